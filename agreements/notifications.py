"""E-mail about covenants, in Vietnamese, plain text and HTML.

Services call these inside their transaction; the messages are queued with
``transaction.on_commit`` (one background task per message, ``cluster_portal.mail``), so
nothing is sent for a change that was rolled back and nobody waits for the mail server.
"""

import logging

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import translation

from agreements.models import Covenant
from cluster_portal.mail import mail_send
from members.models import User

logger = logging.getLogger(__name__)


def _send(*, template: str, recipients, context: dict) -> None:
    addresses = sorted({u.email for u in recipients if u.email and u.is_active})
    if not addresses:
        return

    def send():
        with translation.override("vi"):
            subject = render_to_string(f"agreements/email/{template}_subject.txt", context)
            text = render_to_string(f"agreements/email/{template}.txt", context)
            html = render_to_string(f"agreements/email/{template}.html", context)
        # One message per recipient: addresses of other departments are not disclosed.
        for address in addresses:
            message = EmailMultiAlternatives(
                " ".join(subject.split()), text, settings.DEFAULT_FROM_EMAIL, [address]
            )
            message.attach_alternative(html, "text/html")
            try:
                mail_send(message, cluster_year_id=context["cluster_year"].pk)
            except Exception:
                # One message that cannot be queued must not keep the others from being told.
                logger.exception("Could not queue %s e-mail to %s", template, address)

    # robust: a failure is logged, never turned into an error for the user whose change has
    # already been committed.
    transaction.on_commit(send, robust=True)


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


def notify_completed(covenant: Covenant) -> None:
    member_ids = [m.department_id for m in covenant.cluster_year.memberships.all()]
    recipients = list(User.objects.filter(is_active=True, department_id__in=member_ids)) + list(
        User.objects.filter(is_active=True, role=User.Role.REVIEWER)
    )
    _send(template="completed", recipients=recipients, context=_context(covenant))


def notify_reminder(covenant: Covenant, recipient) -> None:
    _send(template="reminder", recipients=[recipient], context=_context(covenant))
