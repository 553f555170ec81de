"""Writes of the award dossier (hồ sơ đề nghị khen thưởng): start it, edit its texts, its
attachments and proposals, issue it (a background task renders, numbers and seals the
documents and builds the one ZIP with its manifest), send it, return it (the Ministry) and
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
import io
import json
import uuid
import zipfile

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from ballots.models import Ballot
from cluster_portal import uploads
from cluster_portal.audit import audit_record
from cluster_portal.documents import decree30_date
from cluster_portal.numbering import document_number_take
from cluster_portal.pdf import render_pdf
from cluster_portal.seal import portal_seal, seal_pdf
from dossiers import permissions
from dossiers.audit import DossierAction
from dossiers.models import Dossier, DossierDocument, Proposal
from dossiers.selectors import dossiers as selectors
from evaluations.selectors.results import result_table, results_pdf_context
from members.models import ClusterYear

# Symbols of the generated documents (Decree 30, appendix III): the cluster's submission
# and its minutes. Numbers run per issuing body (the cluster) and calendar year.
SUBMISSION_SYMBOL = "TTr-CTĐ"
MINUTES_SYMBOL = "BB-CTĐ"
ATTACHMENT_KINDS = uploads.DOCUMENT_KINDS
MANIFEST_NAME = "manifest.json"
CHECKSUMS_NAME = "SHA256SUMS.txt"
# Every entry of the ZIP carries this time, so the archive depends only on its files.
ZIP_TIME = (2000, 1, 1, 0, 0, 0)


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


# Assembling (run by the task)


def _place_and_date(cluster_year: ClusterYear, day: datetime.date) -> str:
    leader = cluster_year.leader
    place = leader.department.province if leader else ""
    return ", ".join(part for part in (place, decree30_date(day)) if part)


def _generated(dossier, *, kind, title, number, position, content, by) -> DossierDocument:
    document = DossierDocument(
        dossier=dossier,
        kind=kind,
        title=title,
        number=number,
        position=position,
        content_type=uploads.PDF.content_type,
        sha256=hashlib.sha256(content).hexdigest(),
        size=len(content),
        added_by=by,
    )
    document.file.save(f"{kind}-{position:02d}.pdf", ContentFile(content), save=False)
    document.save()
    return document


def zip_name(document: DossierDocument) -> str:
    """The document's name inside the ZIP: its order, a slug of its title, its extension."""
    kind = uploads.kind_for_content_type(document.content_type)
    stem = slugify(document.title.replace("đ", "d").replace("Đ", "D"))[:60] or "tep"
    return f"{document.position:03d}-{stem}{kind.extension if kind else ''}"


def _archive(dossier: Dossier, entries: list[tuple[str, bytes]], manifest: dict) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, content in entries:
            archive.writestr(zipfile.ZipInfo(name, date_time=ZIP_TIME), content)
        checksums = "".join(f"{manifest['files'][name]}  {name}\n" for name, _c in entries)
        archive.writestr(
            zipfile.ZipInfo(MANIFEST_NAME, date_time=ZIP_TIME),
            json.dumps(manifest, ensure_ascii=False, indent=2).encode("utf-8"),
        )
        archive.writestr(zipfile.ZipInfo(CHECKSUMS_NAME, date_time=ZIP_TIME), checksums)
    return buffer.getvalue()


def dossier_assemble_run(
    *, dossier_id: int, by_id: int, at: datetime.datetime | None = None
) -> Dossier:
    """Issue the dossier, once: under a lock on its row, take the numbers of the Tờ trình
    and the minutes, render and seal them with the vote records and the results table,
    write the manifest (every file's SHA-256) and the ZIP, and mark the dossier issued.

    Idempotent: a dossier no longer a draft is returned as it is. If anything fails the
    transaction rolls back and no number is taken. ``at`` (demo data only) is the time of
    issue, otherwise now.
    """
    from members.models import User

    by = User.objects.get(pk=by_id)
    with transaction.atomic():
        dossier = Dossier.objects.select_for_update().get(pk=dossier_id)
        if dossier.state != Dossier.State.DRAFT:
            return dossier
        dossier = selectors.dossier_get(pk=dossier_id)
        cluster_year = dossier.cluster_year
        cluster = cluster_year.cluster
        problems = dossier_issue_problems(dossier=dossier)
        if problems:
            raise ValidationError(problems)
        now = at or timezone.now()
        today = timezone.localdate(now)
        place_and_date = _place_and_date(cluster_year, today)
        conference = selectors.closing_conference_for(cluster_year=cluster_year)
        ballots = selectors.counted_ballots_for(cluster_year=cluster_year)
        proposals = selectors.dossier_proposals(dossier=dossier)
        reason = f"Hồ sơ đề nghị khen thưởng năm {cluster_year.year} - {cluster.name}"
        common = {
            "dossier": dossier,
            "cluster_year": cluster_year,
            "cluster": cluster,
            "place_and_date": place_and_date,
        }

        # 2. The minutes of the closing conference (numbered before the submission is
        # rendered, which lists it).
        minutes_number = document_number_take(
            issuer=cluster.code,
            year=today.year,
            symbol=MINUTES_SYMBOL,
            title=f"Biên bản hội nghị tổng kết năm {cluster_year.year}",
        ).text
        minutes = _generated(
            dossier,
            kind=DossierDocument.Kind.MINUTES,
            title=f"Biên bản hội nghị tổng kết công tác thi đua năm {cluster_year.year}",
            number=minutes_number,
            position=2,
            content=seal_pdf(
                render_pdf(
                    "pdf/dossiers/minutes.html",
                    {
                        **common,
                        "number": minutes_number,
                        "conference": conference,
                        "members": [a for a in conference.attendees.all() if a.kind == "member"],
                        "guests": [a for a in conference.attendees.all() if a.kind == "guest"],
                        "chair": next((a for a in conference.attendees.all() if a.is_chair), None),
                        "ballots": ballots,
                    },
                ),
                reason=reason,
            ),
            by=by,
        )
        enclosed = [minutes]
        # 3. The vote records of the counted ballots, as the ballots issued them.
        for offset, record in enumerate(selectors.vote_records_for(cluster_year=cluster_year)):
            with record.file.open("rb") as handle:
                content = handle.read()
            enclosed.append(
                _generated(
                    dossier,
                    kind=DossierDocument.Kind.VOTE_RECORD,
                    title=f"Biên bản kiểm phiếu: {record.ballot.question}"[:500],
                    number=record.number,
                    position=3 + offset,
                    content=content,
                    by=by,
                )
            )
        # 4. The results table of the evaluation, through the results' own renderer.
        evaluation = selectors.published_evaluation_for(cluster_year=cluster_year)
        table = result_table(evaluation=evaluation, user=by)
        enclosed.append(
            _generated(
                dossier,
                kind=DossierDocument.Kind.RESULTS,
                title=f"Bảng tổng hợp kết quả chấm điểm thi đua năm {cluster_year.year}",
                number=evaluation.results_number,
                position=50,
                content=seal_pdf(
                    render_pdf(
                        "pdf/results.html",
                        results_pdf_context(evaluation=evaluation, table=table),
                    ),
                    reason=reason,
                ),
                by=by,
            )
        )
        attachments = [
            d
            for d in selectors.dossier_documents(dossier=dossier)
            if d.kind == DossierDocument.Kind.ATTACHMENT
        ]
        for offset, attachment in enumerate(attachments):
            attachment.position = 100 + offset
            attachment.save(update_fields=["position"])
        enclosed += attachments
        # 1. The submission (Tờ trình), which lists every enclosed file with its SHA-256:
        # its seal covers the manifest.
        submission_number = document_number_take(
            issuer=cluster.code,
            year=today.year,
            symbol=SUBMISSION_SYMBOL,
            title=f"Tờ trình đề nghị khen thưởng năm {cluster_year.year}",
        ).text
        submission = _generated(
            dossier,
            kind=DossierDocument.Kind.SUBMISSION,
            title=f"Tờ trình đề nghị khen thưởng năm {cluster_year.year}",
            number=submission_number,
            position=1,
            content=seal_pdf(
                render_pdf(
                    "pdf/dossiers/submission.html",
                    {
                        **common,
                        "number": submission_number,
                        "paragraphs": [
                            p.strip() for p in dossier.submission_text.splitlines() if p.strip()
                        ],
                        "proposals": proposals,
                        "enclosed": [(zip_name(d), d) for d in enclosed],
                    },
                ),
                reason=reason,
            ),
            by=by,
        )
        documents = [submission, *enclosed]
        entries = []
        for document in documents:
            with document.file.open("rb") as handle:
                entries.append((zip_name(document), handle.read()))
        manifest = {
            "dossier": dossier.filename,
            "cluster": cluster.name,
            "year": cluster_year.year,
            "version": dossier.version,
            "issued_at": now.isoformat(),
            "seal": portal_seal().subject,
            "files": {name: hashlib.sha256(content).hexdigest() for name, content in entries},
            "documents": [
                {
                    "file": zip_name(d),
                    "title": d.title,
                    "number": d.number,
                    "kind": d.kind,
                    "sha256": d.sha256,
                    "size": d.size,
                }
                for d in documents
            ],
        }
        archive = _archive(dossier, entries, manifest)
        dossier.manifest = manifest
        dossier.archive.save(
            f"{cluster_year.year}/{dossier.pk}/{dossier.filename}",
            ContentFile(archive),
            save=False,
        )
        dossier.archive_sha256 = hashlib.sha256(archive).hexdigest()
        dossier.archive_size = len(archive)
        dossier.state = Dossier.State.ISSUED
        dossier.issued_at = now
        dossier.issued_by = by
        dossier.save()
        audit_record(
            actor=by,
            action=DossierAction.DOSSIER_ISSUED,
            target=dossier,
            details={
                "version": dossier.version,
                "submission": submission_number,
                "minutes": minutes_number,
                "sha256": dossier.archive_sha256,
            },
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
