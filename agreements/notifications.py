"""E-mail about covenants, in Vietnamese, plain text and HTML.

Services call these inside their transaction; the messages are queued with
``transaction.on_commit`` (one background task per message, ``cluster_portal.mail``), so
nothing is sent for a change that was rolled back and nobody waits for the mail server.
"""

from django.conf import settings
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import translation

from agreements.models import Covenant
from cluster_portal.mail import mail_users
from members.models import User


def _send(*, template: str, recipients, context: dict) -> None:
    mail_users(template=f"agreements/email/{template}", recipients=recipients, context=context)


def _context(covenant: Covenant, **extra) -> dict:
    return {
        "covenant": covenant,
        "cluster_year": covenant.cluster_year,
        "url": settings.PORTAL_BASE_URL + covenant.get_absolute_url(),
        "board_url": settings.PORTAL_BASE_URL + covenant.board_url,
        **extra,
    }


def signatories_of(covenant: Covenant, department_ids=None):
    """Active signatories of the year's member departments (or of ``department_ids``)."""
    ids = department_ids
    if ids is None:
        ids = [m.department_id for m in covenant.cluster_year.memberships.all()]
    return list(
        User.objects.filter(department_id__in=ids, role=User.Role.SIGNATORY, is_active=True)
    )


def secretariat_of(covenant: Covenant):
    """The leader department's users and the cluster's administrators."""
    leader = covenant.cluster_year.leader
    users = User.objects.filter(is_active=True)
    condition = Q(administered_clusters=covenant.cluster_year.cluster_id)
    if leader is not None:
        condition |= Q(department_id=leader.department_id)
    return list(users.filter(condition).distinct())


def notify_opened(covenant: Covenant, *, department_ids=None) -> None:
    """Tell the signatories (of every member, or of ``department_ids``) that it is open."""
    _send(
        template="opened",
        recipients=signatories_of(covenant, department_ids),
        context=_context(covenant),
    )


def notify_voided(covenant: Covenant, *, reason: str) -> None:
    _send(
        template="voided",
        recipients=signatories_of(covenant),
        context=_context(covenant, reason=reason),
    )


def notify_response(covenant: Covenant, signature) -> None:
    _send(
        template="response",
        recipients=secretariat_of(covenant),
        context=_context(covenant, signature=signature),
    )


def notify_receipt(covenant: Covenant, signature) -> None:
    """Send the signatory who signed in the portal a receipt: the version and its SHA-256,
    the time (GMT+7) and the link to the board."""
    _send(
        template="receipt",
        recipients=[signature.signer],
        context=_context(covenant, signature=signature),
    )


def notify_completed(covenant: Covenant) -> None:
    member_ids = [m.department_id for m in covenant.cluster_year.memberships.all()]
    recipients = list(User.objects.filter(is_active=True, department_id__in=member_ids)) + list(
        User.objects.filter(is_active=True, role=User.Role.REVIEWER)
    )
    _send(template="completed", recipients=recipients, context=_context(covenant))


def notify_reminder(covenant: Covenant, recipient) -> None:
    _send(template="reminder", recipients=[recipient], context=_context(covenant))


def reminder_message(covenant: Covenant) -> tuple[str, str]:
    """The reminder's subject and plain text exactly as ``notify_reminder`` sends them (the
    same for every recipient), for the secretariat's preview."""
    with translation.override("vi"):
        context = _context(covenant)
        subject = render_to_string("agreements/email/reminder_subject.txt", context)
        text = render_to_string("agreements/email/reminder.txt", context)
    return " ".join(subject.split()), text
