"""Issuing the award dossier, run by the background task ``dossiers.tasks.dossier_assemble``:
number, render and seal the generated documents, write the manifest and the one ZIP, once.

Numbers come from ``cluster_portal.numbering.document_number_take`` (per issuing body, the
cluster's code, and calendar year), in the same transaction as everything else: if the
issue fails half way, no number is taken and the dossier stays a draft.
"""

import datetime
import hashlib
import io
import json
import zipfile

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from ballots.models import VoteRecord
from ballots.services.counting import vote_record_issue
from cluster_portal import uploads
from cluster_portal.audit import audit_record
from cluster_portal.documents import decree30_date
from cluster_portal.numbering import document_number_take
from cluster_portal.pdf import render_pdf
from cluster_portal.seal import portal_seal, seal_pdf
from dossiers.audit import DossierAction
from dossiers.models import Dossier, DossierDocument
from dossiers.selectors import dossiers as selectors
from dossiers.services.dossiers import dossier_issue_problems
from evaluations.selectors.results import result_table, results_pdf_context
from members.models import ClusterYear

# Symbols of the generated documents (Decree 30, appendix III): the cluster's submission
# and its minutes. Numbers run per issuing body (the cluster) and calendar year.
SUBMISSION_SYMBOL = "TTr-CTĐ"
MINUTES_SYMBOL = "BB-CTĐ"
MANIFEST_NAME = "manifest.json"
CHECKSUMS_NAME = "SHA256SUMS.txt"
# Every entry of the ZIP carries this time, so the archive depends only on its files.
ZIP_TIME = (2000, 1, 1, 0, 0, 0)


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
        # A counted ballot whose record task has not run yet gets its record now, as that
        # task would (numbered before the dossier's own documents).
        for ballot in ballots:
            if not VoteRecord.objects.filter(ballot=ballot).exists():
                vote_record_issue(ballot_id=ballot.pk, at=at)
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
