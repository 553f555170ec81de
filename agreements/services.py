"""Writes for covenants: drafting, opening, signing, declining, versions, reminders, closing.

Each service runs in one transaction, checks permission and state, validates, writes, and
records an audit event; e-mail leaves on commit. Errors: ``PermissionDenied`` (not allowed)
and ``ValidationError`` with a code (refused; nothing recorded, except the refusal events
said below).
"""

import datetime
import hashlib
import uuid

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
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
    PdfVerificationAttempt,
    Reminder,
    Signature,
)
from cluster_portal import uploads
from cluster_portal.audit import RequestMeta, audit_record
from cluster_portal.auth import TOO_MANY_ATTEMPTS, WRONG_PASSWORD, password_recheck
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


def _check_response(*, covenant, user, password, confirmed, meta):
    """Checks shared by signing and declining; wrong passwords are recorded as refusals."""
    refusal = permissions.signing_refusal(user, covenant)
    if refusal is not None:
        code, message = refusal
        raise ValidationError(message, code=code)
    if not confirmed:
        raise ValidationError(
            {
                "confirm": ValidationError(
                    _("Tick the box to confirm on behalf of your department."),
                    code="not_confirmed",
                )
            }
        )
    refused = password_recheck(
        user=user,
        password=password,
        refused_action=AgreementAction.SIGNATURE_REFUSED,
        target=covenant,
        meta=meta,
    )
    if refused == TOO_MANY_ATTEMPTS:
        raise ValidationError(
            {
                "password": ValidationError(
                    _("Too many wrong passwords: try again later."), code=TOO_MANY_ATTEMPTS
                )
            }
        )
    if refused == WRONG_PASSWORD:
        raise ValidationError(
            {"password": ValidationError(_("The password is not correct."), code=WRONG_PASSWORD)}
        )


def _membership_of(covenant: Covenant, department_id: int):
    for membership in covenant.cluster_year.memberships.all():
        if membership.department_id == department_id:
            return membership
    return None


def _respond(*, covenant, user, status, reason, meta) -> Signature:
    covenant = _locked(covenant)
    responded = set(
        covenant.signatures.filter(voided_at__isnull=True).values_list("department_id", flat=True)
    )
    refusal = permissions.signing_refusal(user, covenant, responded_ids=responded)
    if refusal is not None:
        code, message = refusal
        raise ValidationError(message, code=code)
    version = covenant.versions.get(number=covenant.version)
    membership = _membership_of(covenant, user.department_id)
    try:
        with transaction.atomic():
            signature = Signature.objects.create(
                covenant=covenant,
                version=version,
                department_id=user.department_id,
                status=status,
                method=Signature.Method.PORTAL,
                signer=user,
                signer_name=user.get_full_name() or user.username,
                signer_title=user.position,
                department_name=membership.full_name,
                signed_at=timezone.now(),
                ip_address=meta.ip_address,
                user_agent=meta.user_agent,
                text_sha256=version.sha256,
                decline_reason=reason,
            )
    except IntegrityError as exc:
        # The constraint is the last line: a request that slipped past the lock.
        raise ValidationError(
            _("Your department has already responded to this covenant."), code="already_signed"
        ) from exc
    audit_record(
        actor=user,
        action=AgreementAction(f"signature.{status}"),
        target=covenant,
        details={
            "department": membership.full_name,
            "signer": signature.signer_name,
            "title": signature.signer_title,
            "version": version.number,
            "sha256": version.sha256,
            "method": signature.method,
            **({"reason": reason} if reason else {}),
        },
        meta=meta,
    )
    notifications.notify_response(covenant, signature)
    _complete_if_all_signed(covenant)
    return signature


def signature_record(
    *, covenant: Covenant, user, password: str, confirmed: bool, meta: RequestMeta
) -> Signature:
    """Record ``user``'s confirmation on behalf of their department (portal method).

    For a signatory of a member department of that year, while the covenant is open and
    before the deadline, re-authenticated by password, with the confirmation ticked. Two
    simultaneous requests for one department give one signature; the other is refused with
    code ``already_signed``. Completes the covenant when every member has signed.
    """
    _check_response(covenant=covenant, user=user, password=password, confirmed=confirmed, meta=meta)
    with transaction.atomic():
        return _respond(
            covenant=covenant, user=user, status=Signature.Status.SIGNED, reason="", meta=meta
        )


def signature_decline(
    *, covenant: Covenant, user, password: str, reason: str, meta: RequestMeta
) -> Signature:
    """Record that ``user``'s department declines to sign, with a reason. Same checks."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(
            {"reason": ValidationError(_("Give a reason for declining."), code="no_reason")}
        )
    _check_response(covenant=covenant, user=user, password=password, confirmed=True, meta=meta)
    with transaction.atomic():
        return _respond(
            covenant=covenant,
            user=user,
            status=Signature.Status.DECLINED,
            reason=reason,
            meta=meta,
        )


def _field_refusal(field: str, message: str, code: str) -> ValidationError:
    return ValidationError({field: ValidationError(message, code=code)})


def _check_paper_date(covenant: Covenant, signed_at: datetime.datetime) -> None:
    """A paper original is dated between the day the covenant opened and today (Vietnam)."""
    signed_on = timezone.localdate(signed_at)
    if signed_on > timezone.localdate():
        raise _field_refusal(
            "signed_at", _("The date of signing cannot be in the future."), "future_date"
        )
    if covenant.opened_at and signed_on < timezone.localdate(covenant.opened_at):
        raise _field_refusal(
            "signed_at",
            _("The date of signing cannot be before the covenant was opened for signing (%(day)s).")
            % {"day": timezone.localdate(covenant.opened_at).strftime("%d/%m/%Y")},
            "before_opened",
        )


def _checked_scan(scan) -> tuple[uploads.FileKind, str]:
    """The scan's kind (PDF or image, by content) and SHA-256; renamed for storage."""
    if not scan:
        raise _field_refusal("scan", _("Attach the scan of the signed paper original."), "no_scan")
    try:
        kind, _original_name = uploads.prepare_upload(scan, accepted=uploads.SCAN_KINDS)
    except ValidationError as error:
        raise ValidationError({"scan": error}) from error
    digest = hashlib.sha256()
    scan.seek(0)
    for chunk in scan.chunks():
        digest.update(chunk)
    scan.seek(0)
    return kind, digest.hexdigest()


@transaction.atomic
def signature_record_paper(
    *,
    covenant: Covenant,
    department: Department,
    signer_name: str,
    signer_title: str,
    signed_at: datetime.datetime,
    scan,
    by,
    meta: RequestMeta | None = None,
) -> Signature:
    """Record a paper original signed by ``department``, with the scan of it as evidence.

    For the people the cluster allows to record paper originals (by default the
    signatories of the year's leader department) among the secretariat, while the covenant
    is open and before its deadline. The scan (PDF or image, checked by content) is stored
    under a random name with its type and SHA-256, which the audit event repeats; the date
    of signing is neither in the future nor before the covenant was opened.

    ``PermissionDenied`` for anyone who may not manage signing; ``ValidationError`` codes
    ``not_paper_recorder``, ``deadline_passed``, ``not_member``, ``already_signed``,
    ``future_date``, ``before_opened``, ``no_scan``, ``wrong_type``, ``too_large``,
    ``empty``. A refusal records nothing and stores no file.
    """
    covenant = _locked(covenant)
    if not permissions.can_manage_signing(by, covenant):
        raise PermissionDenied
    refusal = permissions.paper_recording_refusal(by, covenant)
    if refusal is not None:
        code, message = refusal
        raise ValidationError(message, code=code)
    membership = _membership_of(covenant, department.pk)
    if membership is None:
        raise _field_refusal(
            "department",
            _("This department is not a member of the cluster this year."),
            "not_member",
        )
    if covenant.signatures.filter(voided_at__isnull=True, department=department).exists():
        raise _field_refusal(
            "department", _("This department has already responded."), "already_signed"
        )
    _check_paper_date(covenant, signed_at)
    kind, scan_sha256 = _checked_scan(scan)
    version = covenant.versions.get(number=covenant.version)
    signature = Signature(
        covenant=covenant,
        version=version,
        department=department,
        status=Signature.Status.SIGNED,
        method=Signature.Method.PAPER,
        signer_name=signer_name,
        signer_title=signer_title,
        department_name=membership.full_name,
        signed_at=signed_at,
        text_sha256=version.sha256,
        recorded_by=by,
        ip_address=(meta or RequestMeta()).ip_address,
        user_agent=(meta or RequestMeta()).user_agent,
        scan=scan,
        scan_content_type=kind.content_type,
        scan_sha256=scan_sha256,
    )
    signature.save()
    audit_record(
        actor=by,
        action=AgreementAction.SIGNATURE_SIGNED,
        target=covenant,
        details={
            "department": membership.full_name,
            "signer": signer_name,
            "title": signer_title,
            "version": version.number,
            "sha256": version.sha256,
            "method": Signature.Method.PAPER,
            "signed_at": signed_at.isoformat(),
            "scan_sha256": scan_sha256,
        },
        meta=meta,
    )
    notifications.notify_response(covenant, signature)
    _complete_if_all_signed(covenant)
    return signature


def _complete_if_all_signed(covenant: Covenant) -> None:
    signed = set(
        covenant.signatures.filter(
            voided_at__isnull=True, status=Signature.Status.SIGNED
        ).values_list("department_id", flat=True)
    )
    if permissions.member_department_ids(covenant) <= signed:
        covenant.state = Covenant.State.SIGNED
        covenant.completed_at = timezone.now()
        covenant.save(update_fields=["state", "completed_at", "updated_at"])
        audit_record(
            actor=None,
            action=AgreementAction.COVENANT_COMPLETED,
            target=covenant,
            details={"version": covenant.version, "signatures": len(signed)},
        )
        notifications.notify_completed(covenant)
        # The final PDF is rendered after the commit: the last signatory does not wait for
        # it while holding the covenant's lock. A download issues it if this failed.
        covenant_pk = covenant.pk
        transaction.on_commit(
            lambda: covenant_issue_document(covenant=Covenant.objects.get(pk=covenant_pk)),
            robust=True,
        )


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
    responded = set(
        covenant.signatures.filter(voided_at__isnull=True).values_list("department_id", flat=True)
    )
    pending = permissions.member_department_ids(covenant) - responded
    return notifications.signatories_of(covenant, department_ids=pending)


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


def pdf_verification_begin(*, user) -> None:
    """Count one use of the verification page by ``user``, or refuse it over the throttle.

    At most ``PDF_VERIFY_RATE_LIMIT`` verifications per user in the last
    ``PDF_VERIFY_RATE_WINDOW_MINUTES`` minutes, counted in the database (every process and
    app server sees the same count; the user's row is locked so concurrent uploads cannot
    both take the last place). A refused attempt is not counted. Records no audit event: a
    verification changes nothing. Raises ``ValidationError`` (code ``throttled``).
    """
    limit = settings.PDF_VERIFY_RATE_LIMIT
    minutes = settings.PDF_VERIFY_RATE_WINDOW_MINUTES
    now = timezone.now()
    since = now - datetime.timedelta(minutes=minutes)
    with transaction.atomic():
        User.objects.select_for_update().filter(pk=user.pk).first()
        attempts = PdfVerificationAttempt.objects.filter(user=user)
        attempts.filter(created_at__lt=since).delete()
        if attempts.filter(created_at__gte=since).count() >= limit:
            raise ValidationError(
                _(
                    "You have checked %(limit)s PDFs in the last %(minutes)s minutes: "
                    "please wait a few minutes and try again."
                )
                % {"limit": limit, "minutes": minutes},
                code="throttled",
            )
        PdfVerificationAttempt.objects.create(user=user, created_at=now)
