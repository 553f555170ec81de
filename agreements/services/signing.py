"""Responses to a covenant: signing and declining in the portal, paper originals.

Each service runs in one transaction under the covenant's row lock, checks permission and
state, validates, writes, and records an audit event; e-mail leaves on commit. Errors:
``PermissionDenied`` and ``ValidationError`` with a code (refused; nothing recorded except
the refusal events of wrong passwords).
"""

import datetime
import hashlib

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from agreements import notifications, permissions
from agreements.audit import AgreementAction
from agreements.models import (
    Covenant,
    Signature,
)
from agreements.services.covenants import _locked
from cluster_portal import uploads
from cluster_portal.audit import RequestMeta, audit_record
from cluster_portal.auth import (
    confirmed_password_check,
)
from members.models import Department


def _check_response(*, covenant, user, password, confirmed, meta):
    """Checks shared by signing and declining; wrong passwords are recorded as refusals."""
    refusal = permissions.signing_refusal(user, covenant)
    if refusal is not None:
        code, message = refusal
        raise ValidationError(message, code=code)
    confirmed_password_check(
        user=user,
        password=password,
        confirmed=confirmed,
        refused_action=AgreementAction.SIGNATURE_REFUSED,
        target=covenant,
        meta=meta,
        confirm_message=_("Tick the box to confirm on behalf of your department."),
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
    if status == Signature.Status.SIGNED:
        notifications.notify_receipt(covenant, signature)
    _complete_if_all_signed(covenant)
    return signature


def signature_record(
    *, covenant: Covenant, user, password: str, confirmed: bool, meta: RequestMeta
) -> Signature:
    """Record ``user``'s confirmation on behalf of their department (portal method).

    For a signatory of a member department of that year, while the covenant is open and
    before the deadline, re-authenticated by password, with the confirmation ticked. Two
    simultaneous requests for one department give one signature; the other is refused with
    code ``already_signed``. Completes the covenant when every member has signed. The
    signatory gets an e-mail receipt (version, SHA-256, time, link to the board).
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
            "department",
            _(
                "This department has already responded to this version (signed or declined): "
                "a paper original can be recorded only for a department that has not responded."
            ),
            "already_signed",
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
        # The final PDF is rendered and sealed by a background task queued on commit: the
        # last signatory does not wait for it. A download issues it if the task has not yet.
        from agreements.tasks import covenant_issue

        covenant_id, cluster_year_id = covenant.pk, covenant.cluster_year_id
        transaction.on_commit(
            lambda: covenant_issue.enqueue(
                covenant_id=covenant_id, cluster_year_id=cluster_year_id
            ),
            robust=True,
        )
