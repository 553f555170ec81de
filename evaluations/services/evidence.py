"""Writes of a self-assessment's evidence: a file checked by content, an activity of the
year, or a page of this portal; added and removed while the assessment may be edited
(refusal codes in ``evaluations.services.assessments``)."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import Resolver404, resolve
from django.utils.translation import gettext as _

from cluster_portal import uploads
from cluster_portal.audit import RequestMeta, audit_record
from evaluations.audit import EvaluationAction
from evaluations.models import Evidence, Score
from evaluations.services.assessments import MAX_LINK, _locked, _refuse_editing


def portal_path(link: str) -> str:
    """``link`` as a path of a portal page ("/plans/activities/3/"), or ``ValidationError``.

    A full address on the portal's own host (``PORTAL_BASE_URL``) is cut down to its path;
    addresses of other hosts, ``javascript:`` and other schemes, protocol-relative
    ("//host") and paths that lead to no page of the portal are refused.
    """
    link = (link or "").strip()
    if not link:
        raise ValidationError(_("Enter the address of a page of the portal."), code="no_source")
    if len(link) > MAX_LINK or any(ord(c) < 33 or c == "\\" for c in link):
        raise ValidationError(
            _("This is not the address of a page of the portal."), code="not_a_path"
        )
    parts = urlsplit(link)
    if parts.scheme or parts.netloc:
        own = urlsplit(settings.PORTAL_BASE_URL)
        if parts.scheme not in ("http", "https") or parts.netloc.lower() != own.netloc.lower():
            raise ValidationError(
                _(
                    "Only pages of this portal can be linked as evidence: attach a copy of "
                    "anything from elsewhere as a file."
                ),
                code="other_host",
            )
    if not parts.path.startswith("/") or parts.path.startswith("//"):
        raise ValidationError(
            _("This is not the address of a page of the portal."), code="not_a_path"
        )
    try:
        resolve(parts.path)
    except Resolver404:
        raise ValidationError(
            _("No page of the portal has this address."), code="unknown_page"
        ) from None
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    return path + (f"#{parts.fragment}" if parts.fragment else "")


@transaction.atomic
def evidence_add(
    *,
    score: Score,
    by,
    upload=None,
    activity=None,
    link: str = "",
    title: str = "",
    meta: RequestMeta | None = None,
) -> Evidence:
    """Add evidence to one line: a file (PDF, image or Word/Excel, checked by content and
    stored under a random name), an activity of the same cluster year's work plan, or the
    address of a page of the portal; exactly one. Whoever may edit the assessment, while
    they may. Does not change the assessment's version (scores are not touched)."""
    locked = _locked(score.assessment)
    _refuse_editing(by, locked)
    sources = [upload is not None, activity is not None, bool((link or "").strip())]
    if sum(sources) == 0:
        raise ValidationError(
            _("Attach a file, choose an activity or enter the address of a page."),
            code="no_source",
        )
    if sum(sources) > 1:
        raise ValidationError(
            _("Evidence is one file, one activity or one page: add them one by one."),
            code="several_sources",
        )
    values = {"title": (title or "").strip()[:255]}
    if upload is not None:
        try:
            kind, original_name = uploads.prepare_upload(upload, accepted=uploads.DOCUMENT_KINDS)
        except ValidationError as error:
            raise ValidationError({"file": error}) from error
        values.update(
            file=upload,
            original_name=original_name,
            content_type=kind.content_type,
            size=upload.size,
        )
    elif activity is not None:
        if activity.work_plan.cluster_year_id != locked.evaluation.cluster_year_id:
            raise ValidationError(
                {
                    "activity": ValidationError(
                        _("Choose an activity of this year's work plan."), code="other_year"
                    )
                }
            )
        values["activity"] = activity
    else:
        try:
            values["link"] = portal_path(link)
        except ValidationError as error:
            raise ValidationError({"link": error}) from error
    evidence = Evidence.objects.create(score=score, added_by=by, **values)
    audit_record(
        actor=by,
        action=EvaluationAction.EVIDENCE_ADDED,
        target=locked,
        details={
            "line": score.criterion.code,
            "evidence": evidence.pk,
            "file": values.get("original_name", ""),
            "activity": activity.pk if activity is not None else None,
            "link": values.get("link", ""),
        },
        meta=meta,
    )
    return evidence


@transaction.atomic
def evidence_remove(*, evidence: Evidence, by, meta: RequestMeta | None = None) -> None:
    """Remove evidence from a line, on the same terms as adding it; a stored file is deleted
    from storage after the commit."""
    locked = _locked(evidence.score.assessment)
    _refuse_editing(by, locked)
    details = {
        "line": evidence.score.criterion.code,
        "evidence": evidence.pk,
        "file": evidence.original_name,
        "activity": evidence.activity_id,
        "link": evidence.link,
    }
    stored = evidence.file.name if evidence.file else ""
    storage = evidence.file.storage
    evidence.delete()
    if stored:
        transaction.on_commit(lambda: storage.delete(stored), robust=True)
    audit_record(
        actor=by,
        action=EvaluationAction.EVIDENCE_REMOVED,
        target=locked,
        details=details,
        meta=meta,
    )
