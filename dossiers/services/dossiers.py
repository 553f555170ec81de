"""Writes of the award dossier (hồ sơ đề nghị khen thưởng): start it, edit its texts, its
attachments and proposals, ask for it to be issued (the background task runs
``dossiers.services.issuing``), send it, return it (the Ministry) and
start a new version after a return.

Every service runs in ``transaction.atomic``, checks the permission (``dossiers.permissions``)
and the state, and writes an audit event (``DossierAction``). ValidationError codes:
``not_allowed``, ``not_draft``, ``not_issued``, ``not_sent``, ``not_returned``, ``exists``,
``no_signer``, ``no_text``, ``no_proposals``, ``no_conference``, ``no_results``,
``being_prepared``, ``no_reason``, plus the upload check's (``empty``, ``too_large``,
``wrong_type``).
"""

import datetime
import hashlib
import uuid

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ballots.models import Ballot
from cluster_portal import uploads
from cluster_portal.audit import audit_record
from dossiers import permissions
from dossiers.audit import DossierAction
from dossiers.models import Dossier, DossierDocument, Proposal
from dossiers.selectors import dossiers as selectors
from members.models import ClusterYear

ATTACHMENT_KINDS = uploads.DOCUMENT_KINDS


def _locked(dossier: Dossier) -> Dossier:
    """The dossier's row, locked until the end of the transaction, with its year."""
    locked = Dossier.objects.select_for_update().get(pk=dossier.pk)
    locked.cluster_year = dossier.cluster_year
    return locked


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def _require_draft(dossier: Dossier) -> None:
    if dossier.state != Dossier.State.DRAFT:
        raise ValidationError(
            _("The dossier has been issued: it can no longer be changed."), code="not_draft"
        )


def _proposals_from_ballots(dossier: Dossier) -> int:
    """Replace the draft's proposals with the chosen candidates of the year's counted award
    ballots (rank, total and vote share as they were). Returns how many."""
    dossier.proposals.all().delete()
    proposals = [
        Proposal(
            dossier=dossier,
            membership=candidate.membership,
            award=ballot.kind,
            ballot=ballot,
            rank=candidate.rank,
            total=candidate.total,
            vote_share=candidate.share,
        )
        for ballot in selectors.counted_ballots_for(cluster_year=dossier.cluster_year)
        if ballot.kind in Ballot.AWARD_KINDS
        for candidate in ballot.candidates.all()
        if candidate.chosen
    ]
    unique = {(p.membership_id, p.award): p for p in proposals}
    Proposal.objects.bulk_create(unique.values())
    return len(unique)


def dossier_create(*, cluster_year: ClusterYear, by) -> Dossier:
    """Start the year's award dossier (version 1, a draft) for the secretariat, with the
    proposals read from the counted award ballots and the leader as the signer.

    Raises PermissionDenied for anyone but the secretariat; ValidationError ``exists``
    when the year already has a dossier.
    """
    _require(permissions.can_start_dossier(by, cluster_year))
    with transaction.atomic():
        ClusterYear.objects.select_for_update().get(pk=cluster_year.pk)
        if Dossier.objects.filter(cluster_year=cluster_year).exists():
            raise ValidationError(
                _("The year already has an award dossier; open it instead."), code="exists"
            )
        leader = cluster_year.leader
        dossier = Dossier.objects.create(
            cluster_year=cluster_year,
            version=1,
            signer_name=leader.head_name if leader else "",
            is_illustrative=cluster_year.is_illustrative,
        )
        count = _proposals_from_ballots(dossier)
        audit_record(
            actor=by,
            action=DossierAction.DOSSIER_CREATED,
            target=dossier,
            details={"version": 1, "proposals": count},
        )
    return dossier


def dossier_update(
    *, dossier: Dossier, submission_text: str, signer_name: str, signer_title: str, by
) -> Dossier:
    """Edit the texts of a draft: the body of the Tờ trình and who signs for the cluster."""
    _require(permissions.can_manage_dossier(by, dossier))
    with transaction.atomic():
        dossier = _locked(dossier)
        _require_draft(dossier)
        dossier.submission_text = submission_text.strip()
        dossier.signer_name = signer_name.strip()
        dossier.signer_title = signer_title.strip()
        dossier.save(update_fields=["submission_text", "signer_name", "signer_title", "updated_at"])
        audit_record(actor=by, action=DossierAction.DOSSIER_EDITED, target=dossier)
    return dossier


def dossier_proposals_refresh(*, dossier: Dossier, by) -> int:
    """Read the draft's proposals again from the counted award ballots. Returns how many."""
    _require(permissions.can_manage_dossier(by, dossier))
    with transaction.atomic():
        dossier = _locked(dossier)
        _require_draft(dossier)
        count = _proposals_from_ballots(dossier)
        audit_record(
            actor=by,
            action=DossierAction.PROPOSAL_ADDED,
            target=dossier,
            details={"proposals": count, "from": "ballots"},
        )
    return count


def attachment_add(*, dossier: Dossier, title: str, file, by) -> DossierDocument:
    """Add an uploaded attachment to a draft, through the one upload check (content
    sniffing: a renamed or fake file is refused, nothing is stored), under a random name."""
    _require(permissions.can_manage_dossier(by, dossier))
    kind, original_name = uploads.prepare_upload(file, accepted=ATTACHMENT_KINDS)
    with transaction.atomic():
        dossier = _locked(dossier)
        _require_draft(dossier)
        file.seek(0)
        content = file.read()
        document = DossierDocument(
            dossier=dossier,
            kind=DossierDocument.Kind.ATTACHMENT,
            title=title.strip() or original_name,
            position=100 + dossier.documents.count(),
            content_type=kind.content_type,
            original_name=original_name,
            sha256=hashlib.sha256(content).hexdigest(),
            size=len(content),
            added_by=by,
        )
        document.file.save(f"{uuid.uuid4().hex}{kind.extension}", ContentFile(content), save=False)
        document.save()
        audit_record(
            actor=by,
            action=DossierAction.ATTACHMENT_ADDED,
            target=dossier,
            details={"title": document.title, "sha256": document.sha256},
        )
    return document


def attachment_remove(*, document: DossierDocument, by) -> None:
    """Remove an attachment from a draft (the generated documents are not removable)."""
    dossier = document.dossier
    _require(permissions.can_manage_dossier(by, dossier))
    with transaction.atomic():
        dossier = _locked(dossier)
        _require_draft(dossier)
        if document.kind != DossierDocument.Kind.ATTACHMENT:
            raise ValidationError(_("Only attachments can be removed."), code="not_attachment")
        title = document.title
        document.delete()
        audit_record(
            actor=by,
            action=DossierAction.ATTACHMENT_REMOVED,
            target=dossier,
            details={"title": title},
        )


def dossier_issue_problems(*, dossier: Dossier) -> list[ValidationError]:
    """What stops the draft from being issued (empty when nothing does)."""
    cluster_year = dossier.cluster_year
    problems = []
    if not dossier.signer_name.strip():
        problems.append(
            ValidationError(_("Say who signs the dossier for the cluster."), code="no_signer")
        )
    if not dossier.submission_text.strip():
        problems.append(
            ValidationError(_("Write the text of the submission (Tờ trình)."), code="no_text")
        )
    if not dossier.proposals.exists():
        problems.append(
            ValidationError(
                _("The dossier proposes no unit: count the award ballots first."),
                code="no_proposals",
            )
        )
    if selectors.closing_conference_for(cluster_year=cluster_year) is None:
        problems.append(
            ValidationError(
                _("The year's work plan has no closing conference for the minutes."),
                code="no_conference",
            )
        )
    if selectors.published_evaluation_for(cluster_year=cluster_year) is None:
        problems.append(
            ValidationError(
                _("The results of the year-end evaluation are not published yet."),
                code="no_results",
            )
        )
    return problems


def dossier_issue(*, dossier: Dossier, by) -> Dossier:
    """Ask for the draft to be issued: checks what it needs and queues the background task
    that renders, numbers and seals the documents and builds the ZIP (``dossier_assemble``).
    The dossier stays a draft, "being prepared", until the task has run. Issuing twice
    issues it once."""
    from dossiers.tasks import dossier_assemble

    _require(permissions.can_manage_dossier(by, dossier))
    with transaction.atomic():
        dossier = _locked(dossier)
        _require_draft(dossier)
        if selectors.dossier_being_prepared(dossier=dossier):
            raise ValidationError(
                _("The dossier is already being prepared."), code="being_prepared"
            )
        problems = dossier_issue_problems(dossier=dossier)
        if problems:
            raise ValidationError(problems)
        dossier_id, user_id, year_id = dossier.pk, by.pk, dossier.cluster_year_id
        transaction.on_commit(
            lambda: dossier_assemble.enqueue(
                dossier_id=dossier_id, by_id=user_id, cluster_year_id=year_id
            )
        )
    return dossier


def dossier_send(*, dossier: Dossier, by, at: datetime.datetime | None = None) -> Dossier:
    """Send the issued dossier to the Ministry: a recorded act (who, when, which ZIP).
    ``at`` (demo data only) is when it was sent, otherwise now."""
    _require(permissions.can_manage_dossier(by, dossier))
    with transaction.atomic():
        dossier = _locked(dossier)
        if dossier.state != Dossier.State.ISSUED:
            raise ValidationError(
                _("Only an issued dossier that has not been sent can be sent."), code="not_issued"
            )
        dossier.state = Dossier.State.SENT
        dossier.sent_at = at or timezone.now()
        dossier.sent_by = by
        dossier.save(update_fields=["state", "sent_at", "sent_by", "updated_at"])
        audit_record(
            actor=by,
            action=DossierAction.DOSSIER_SENT,
            target=dossier,
            details={"version": dossier.version, "sha256": dossier.archive_sha256},
        )
    return dossier


def dossier_return(*, dossier: Dossier, reason: str, by) -> Dossier:
    """The Ministry returns a sent dossier with a reason (reviewers holding the permission
    ``dossiers.record_award_decision``). The returned version is kept as it is."""
    _require(permissions.can_return_dossier(by, dossier))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(
            {"reason": ValidationError(_("Say why the dossier is returned."), code="no_reason")}
        )
    with transaction.atomic():
        dossier = _locked(dossier)
        if dossier.state != Dossier.State.SENT:
            raise ValidationError(_("Only a sent dossier can be returned."), code="not_sent")
        if Proposal.objects.filter(dossier=dossier, decision__isnull=False).exists():
            raise ValidationError(
                _("The Ministry has recorded decisions on this dossier; it cannot be returned."),
                code="decided",
            )
        dossier.state = Dossier.State.RETURNED
        dossier.returned_at = timezone.now()
        dossier.returned_by = by
        dossier.return_reason = reason
        dossier.save(
            update_fields=["state", "returned_at", "returned_by", "return_reason", "updated_at"]
        )
        audit_record(
            actor=by,
            action=DossierAction.DOSSIER_RETURNED,
            target=dossier,
            details={"version": dossier.version, "reason": reason},
        )
    return dossier


def dossier_resubmit(*, dossier: Dossier, by) -> Dossier:
    """Start the next version after a return: a new draft with the texts, the proposals
    (read again from the ballots) and copies of the attachments. The returned version and
    its files are kept unchanged."""
    _require(permissions.can_manage_dossier(by, dossier))
    with transaction.atomic():
        dossier = _locked(dossier)
        if dossier.state != Dossier.State.RETURNED:
            raise ValidationError(
                _("Only a returned dossier can be followed by a new version."),
                code="not_returned",
            )
        if Dossier.objects.filter(previous=dossier).exists():
            raise ValidationError(_("A new version has already been started."), code="exists")
        new = Dossier.objects.create(
            cluster_year=dossier.cluster_year,
            version=dossier.version + 1,
            previous=dossier,
            submission_text=dossier.submission_text,
            signer_name=dossier.signer_name,
            signer_title=dossier.signer_title,
            is_illustrative=dossier.is_illustrative,
        )
        new.cluster_year = dossier.cluster_year
        _proposals_from_ballots(new)
        for attachment in dossier.documents.filter(kind=DossierDocument.Kind.ATTACHMENT):
            with attachment.file.open("rb") as handle:
                content = handle.read()
            copy = DossierDocument(
                dossier=new,
                kind=attachment.kind,
                title=attachment.title,
                position=attachment.position,
                content_type=attachment.content_type,
                original_name=attachment.original_name,
                sha256=attachment.sha256,
                size=attachment.size,
                added_by=by,
            )
            kind = uploads.kind_for_content_type(attachment.content_type)
            extension = kind.extension if kind else ""
            copy.file.save(f"{uuid.uuid4().hex}{extension}", ContentFile(content), save=False)
            copy.save()
        audit_record(
            actor=by,
            action=DossierAction.DOSSIER_RESUBMITTED,
            target=new,
            details={"version": new.version, "replaces": dossier.version},
        )
    return new
