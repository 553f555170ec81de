"""Covenant lifecycle: drafting, opening, new versions, reminders, closing, the issued PDF.

Each service runs in one transaction, checks permission and state, validates, writes, and
records an audit event; e-mail leaves on commit. Errors: ``PermissionDenied`` (not allowed)
and ``ValidationError`` with a code (refused; nothing recorded).
"""

import datetime
import hashlib
import uuid

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from agreements import notifications, permissions, selectors
from agreements.audit import AgreementAction
from agreements.models import (
    Commitment,
    Covenant,
    CovenantDocument,
    CovenantVersion,
    CovenantView,
    Reminder,
)
from cluster_portal.audit import RequestMeta, audit_record
from cluster_portal.pdf import render_pdf
from cluster_portal.seal import portal_seal, seal_pdf
from members.models import ClusterYear, Department, User
from plans.services import check_citable


def _locked(covenant: Covenant) -> Covenant:
    """The covenant row, locked until the transaction ends: signing is serialised per covenant."""
    locked = (
        Covenant.objects.select_for_update()
        .select_related("cluster_year__cluster")
        .get(pk=covenant.pk)
    )
    # Memberships are read after the lock, so they are the current ones.
    locked.cluster_year = (
        ClusterYear.objects.select_related("cluster")
        .prefetch_related("memberships")
        .get(pk=locked.cluster_year_id)
    )
    return locked


def _set_commitments(covenant: Covenant, commitments: list[str]) -> None:
    texts = [text.strip() for text in commitments if text and text.strip()]
    covenant.commitments.all().delete()
    Commitment.objects.bulk_create(
        Commitment(covenant=covenant, position=position, text=text)
        for position, text in enumerate(texts, start=1)
    )


@transaction.atomic
def covenant_create(
    *,
    cluster_year: ClusterYear,
    title: str,
    preamble: str = "",
    place: str = "",
    signing_date: datetime.date | None = None,
    deadline: datetime.datetime | None = None,
    leader_signs_last: bool = False,
    legal_bases=(),
    commitments: list[str] = (),
    number: str = "",
    recipients: str | None = None,
    by,
) -> Covenant:
    """Draft the covenant of a cluster year. For the year's secretariat."""
    if not permissions.can_create_covenant(by, cluster_year):
        raise PermissionDenied
    check_citable(cluster=cluster_year.cluster, references=legal_bases, field="legal_bases")
    covenant = Covenant(
        cluster_year=cluster_year,
        title=title,
        preamble=preamble,
        place=place,
        signing_date=signing_date,
        deadline=deadline,
        leader_signs_last=leader_signs_last,
        number=number,
    )
    if recipients is not None:
        covenant.recipients = recipients
    covenant.full_clean()
    covenant.save()
    covenant.legal_bases.set(legal_bases)
    _set_commitments(covenant, list(commitments))
    audit_record(
        actor=by, action=AgreementAction.COVENANT_CREATED, target=covenant, details={"title": title}
    )
    return covenant


@transaction.atomic
def covenant_copy_to_new_year(*, previous: ClusterYear, cluster_year: ClusterYear, by):
    """Draft ``cluster_year``'s covenant from ``previous`` year's: title (its year changed),
    preamble, place, legal bases, recipients and commitments; no number, dates or
    signatures. Called while the year is started (``members.services.cluster_year_start``,
    registered in ``AgreementsConfig.ready``), for whoever may start it; does nothing when
    the previous year has no covenant or the new one already has one. Returns the draft or
    None."""
    from members.permissions import can_start_year, is_secretariat

    # The previous year's secretariat starts the new one: by then the new year is the
    # cluster's latest, whose secretariat is the incoming leader.
    if not (is_secretariat(by, previous) or can_start_year(by, cluster_year.cluster)):
        raise PermissionDenied
    source = (
        Covenant.objects.filter(cluster_year=previous)
        .prefetch_related("legal_bases", "commitments")
        .first()
    )
    if source is None or Covenant.objects.filter(cluster_year=cluster_year).exists():
        return None
    covenant = Covenant(
        cluster_year=cluster_year,
        title=source.title.replace(str(previous.year), str(cluster_year.year)),
        preamble=source.preamble,
        place=source.place,
        leader_signs_last=source.leader_signs_last,
        recipients=source.recipients,
    )
    covenant.full_clean()
    covenant.save()
    covenant.legal_bases.set(source.legal_bases.all())
    _set_commitments(covenant, [c.text for c in source.commitments.all()])
    audit_record(
        actor=by,
        action=AgreementAction.COVENANT_CREATED,
        target=covenant,
        details={"title": covenant.title, "copied_from": source.pk},
    )
    return covenant


@transaction.atomic
def covenant_update(
    *,
    covenant: Covenant,
    title: str,
    preamble: str,
    place: str,
    signing_date: datetime.date | None,
    deadline: datetime.datetime | None,
    leader_signs_last: bool,
    legal_bases,
    commitments: list[str],
    number: str | None = None,
    recipients: str | None = None,
    by,
) -> Covenant:
    """Edit a draft covenant's text and settings. For the secretariat; drafts only.

    ``number`` and ``recipients`` stay as they are when not given.
    """
    covenant = _locked(covenant)
    if not permissions.can_edit_covenant(by, covenant):
        raise PermissionDenied
    check_citable(
        cluster=covenant.cluster_year.cluster, references=legal_bases, field="legal_bases"
    )
    covenant.title, covenant.preamble, covenant.place = title, preamble, place
    covenant.signing_date, covenant.deadline = signing_date, deadline
    covenant.leader_signs_last = leader_signs_last
    if number is not None:
        covenant.number = number
    if recipients is not None:
        covenant.recipients = recipients
    covenant.full_clean()
    covenant.save()
    covenant.legal_bases.set(legal_bases)
    _set_commitments(covenant, list(commitments))
    audit_record(
        actor=by,
        action=AgreementAction.COVENANT_EDITED,
        target=covenant,
        details={
            "version": covenant.version,
            "sha256": CovenantVersion.hash_text(covenant.render_text()),
        },
    )
    return covenant


@transaction.atomic
def covenant_open_for_signing(*, covenant: Covenant, by) -> Covenant:
    """Freeze the draft's text as the current version and open it for signing.

    For the secretariat. Refused without commitments or with a deadline in the past.
    Signatories of every member department are told by e-mail.
    """
    covenant = _locked(covenant)
    if not permissions.can_open_covenant(by, covenant):
        raise PermissionDenied
    if not covenant.commitments.exists():
        raise ValidationError(
            _("Add at least one commitment before opening for signing."), code="no_commitments"
        )
    if covenant.deadline and covenant.deadline <= timezone.now():
        raise ValidationError(
            _("The signing deadline is in the past; set a later one first."),
            code="deadline_passed",
        )
    text = covenant.render_text()
    version = CovenantVersion.objects.create(
        covenant=covenant,
        number=covenant.version,
        text=text,
        sha256=CovenantVersion.hash_text(text),
    )
    covenant.state = Covenant.State.OPEN
    covenant.opened_at = timezone.now()
    covenant.save(update_fields=["state", "opened_at", "updated_at"])
    audit_record(
        actor=by,
        action=AgreementAction.COVENANT_OPENED,
        target=covenant,
        details={"version": version.number, "sha256": version.sha256},
    )
    notifications.notify_opened(covenant)
    return covenant


@transaction.atomic
def covenant_new_version(*, covenant: Covenant, reason: str, by) -> Covenant:
    """Reopen the text for changes: void every response and go back to draft as version n+1.

    For the secretariat while open. Signatories are told that their signatures were voided
    and that signing starts over when the new version opens.
    """
    covenant = _locked(covenant)
    if not permissions.can_revise_covenant(by, covenant):
        raise PermissionDenied
    reason = reason.strip()
    if not reason:
        raise ValidationError(
            {"reason": ValidationError(_("Say why the text must change."), code="no_reason")}
        )
    now = timezone.now()
    voided = list(covenant.signatures.filter(voided_at__isnull=True))
    for signature in voided:
        signature.voided_at = now
        signature.save(update_fields=["voided_at"])
    covenant.versions.filter(number=covenant.version).update(voided_at=now, void_reason=reason)
    old_version = covenant.version
    covenant.version += 1
    covenant.state = Covenant.State.DRAFT
    covenant.opened_at = None
    covenant.save(update_fields=["version", "state", "opened_at", "updated_at"])
    audit_record(
        actor=by,
        action=AgreementAction.COVENANT_VOIDED,
        target=covenant,
        details={
            "old_version": old_version,
            "new_version": covenant.version,
            "reason": reason,
            "voided_signatures": [s.department_name for s in voided],
        },
    )
    notifications.notify_voided(covenant, reason=reason)
    return covenant


@transaction.atomic
def covenant_close(*, covenant: Covenant, by) -> Covenant:
    """Close a fully signed covenant (nothing changes afterwards). Secretariat."""
    covenant = _locked(covenant)
    if not permissions.can_close_covenant(by, covenant):
        raise PermissionDenied
    covenant.state = Covenant.State.CLOSED
    covenant.closed_at = timezone.now()
    covenant.save(update_fields=["state", "closed_at", "updated_at"])
    audit_record(actor=by, action=AgreementAction.COVENANT_CLOSED, target=covenant)
    return covenant


def pending_signatories(covenant: Covenant) -> list[User]:
    """Active signatories of member departments that have not responded yet."""
    return selectors.covenant_pending_signatories(covenant=covenant)


@transaction.atomic
def covenant_send_reminders(*, covenant: Covenant, by=None) -> int:
    """E-mail every pending signatory who has not had a reminder today (Vietnam time).

    For the secretariat (from the board) and the daily ``send_reminders`` job (``by`` None).
    Returns how many reminders were sent; at most one per signatory per day.
    """
    covenant = _locked(covenant)
    if by is not None and not permissions.can_manage_signing(by, covenant):
        raise PermissionDenied
    if covenant.state != Covenant.State.OPEN or covenant.deadline_passed:
        return 0
    today = timezone.localdate()
    sent = []
    for recipient in pending_signatories(covenant):
        _reminder, created = Reminder.objects.get_or_create(
            covenant=covenant, recipient=recipient, sent_on=today, defaults={"sent_by": by}
        )
        if created:
            notifications.notify_reminder(covenant, recipient)
            sent.append(recipient.username)
    if sent:
        audit_record(
            actor=by,
            action=AgreementAction.COVENANT_REMINDED,
            target=covenant,
            details={"recipients": sent},
        )
    return len(sent)


@transaction.atomic
def covenant_record_view(*, covenant: Covenant, user, meta: RequestMeta) -> bool:
    """Record the first time a signatory of a member department views the current version."""
    if covenant.state != Covenant.State.OPEN or not user.is_signatory:
        return False
    if user.department_id not in permissions.member_department_ids(covenant):
        return False
    version = covenant.versions.filter(number=covenant.version).first()
    if version is None:
        return False
    _view, created = CovenantView.objects.get_or_create(version=version, user=user)
    if created:
        audit_record(
            actor=user,
            action=AgreementAction.COVENANT_VIEWED,
            target=covenant,
            details={"version": version.number},
            meta=meta,
        )
    return created


def covenant_issue_document(*, covenant: Covenant) -> CovenantDocument:
    """Render, seal and store the final PDF of a fully signed covenant, once.

    Idempotent: if the covenant already has its document, that one is returned and nothing
    is rendered. Two processes issuing at once keep the first; the other's work is dropped.
    Raises ValidationError (code ``not_signed``) before the covenant is fully signed.
    """
    existing = CovenantDocument.objects.filter(covenant=covenant).first()
    if existing is not None:
        return existing
    covenant = selectors.covenant_get(
        code=covenant.cluster_year.cluster.code, year=covenant.cluster_year.year
    )
    if covenant.state not in (Covenant.State.SIGNED, Covenant.State.CLOSED):
        raise ValidationError(_("The covenant is not fully signed yet."), code="not_signed")
    version = covenant.versions.get(number=covenant.version)
    document = CovenantDocument(
        covenant=covenant,
        identifier=uuid.uuid4(),
        issued_at=timezone.now(),
        text_sha256=version.sha256,
    )
    pdf = render_pdf(
        "pdf/covenant.html", selectors.covenant_pdf_context(covenant=covenant, document=document)
    )
    sealed = seal_pdf(pdf, reason=f"{covenant.title} - {covenant.cluster_year.cluster.name}")
    with transaction.atomic():
        _locked(covenant)
        existing = CovenantDocument.objects.filter(covenant=covenant).first()
        if existing is not None:
            return existing
        document.sha256 = hashlib.sha256(sealed).hexdigest()
        document.size = len(sealed)
        document.seal_subject = portal_seal().subject
        document.file.save(f"{document.identifier}.pdf", ContentFile(sealed), save=False)
        document.save()
        audit_record(
            actor=None,
            action=AgreementAction.COVENANT_ISSUED,
            target=covenant,
            details={"document": str(document.identifier), "sha256": document.sha256},
        )
    return document


def membership_guard(*, cluster_year: ClusterYear, department: Department, change: str):
    """Registered with the members app: the covenant fixes the year's members once it is
    signed, and a department's response to it keeps that department a member."""
    covenant = Covenant.objects.filter(cluster_year=cluster_year).first()
    if covenant is None:
        return None
    completed = covenant.state in (Covenant.State.SIGNED, Covenant.State.CLOSED)
    if change == "add" and completed:
        return _(
            "The covenant of %(year)s has been signed by all its members: no member can be "
            "added to that year any more."
        ) % {"year": cluster_year.year}
    if change == "remove":
        if covenant.signatures.filter(department=department).exists():
            return _(
                "%(department)s has responded to the covenant of %(year)s: that response "
                "stays part of the record, and so does its membership."
            ) % {"department": department.full_name, "year": cluster_year.year}
        if covenant.state == Covenant.State.OPEN:
            return _(
                "The covenant of %(year)s is open for signing, which fixes its members: "
                "remove a member while it is a draft."
            ) % {"year": cluster_year.year}
    return None


def membership_added(*, membership) -> None:
    """Registered with the members app: a department joining a year whose covenant is open
    for signing is told, like the others were when it opened."""
    covenant = Covenant.objects.filter(
        cluster_year=membership.cluster_year, state=Covenant.State.OPEN
    ).first()
    if covenant is not None:
        notifications.notify_opened(covenant, department_ids=[membership.department_id])
