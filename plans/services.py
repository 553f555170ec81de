"""Writes for the plans app.

Each service runs in one transaction, checks the actor's permission (``plans.permissions``),
validates, changes the data and records an audit event. Errors are ``PermissionDenied`` (not
allowed) and ``ValidationError`` with a code (bad input or wrong state; nothing changed).
Uploaded files are checked by content before anything is written, so a refused file leaves
no row and no file behind.
"""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from cluster_portal import uploads
from cluster_portal.audit import audit_record
from members.models import ClusterYear, Department
from members.permissions import is_secretariat, is_site_admin
from plans import permissions, selectors
from plans.models import (
    Activity,
    Attachment,
    Attendee,
    CharterArticle,
    CharterComment,
    CharterVersion,
    FeedToken,
    LegalReference,
    NewsPost,
    Photo,
    WorkPlan,
    hash_feed_token,
    new_feed_token,
)


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def _field_error(field: str, message: str, code: str) -> ValidationError:
    return ValidationError({field: ValidationError(message, code=code)})


def _member_department_ids(cluster_year: ClusterYear) -> set[int]:
    return {m.department_id for m in cluster_year.memberships.all()}


# Legal references


def _save_legal_reference(reference: LegalReference, upload) -> None:
    if upload is not None:
        try:
            kind, _original_name = uploads.prepare_upload(upload, accepted=uploads.DOCUMENT_KINDS)
        except ValidationError as error:
            raise ValidationError({"file": error}) from error
        reference.file = upload
        reference.content_type = kind.content_type
    reference.full_clean()
    reference.save()


def _reference_owner(by, cluster):
    """The cluster a new reference belongs to: the one given, else the creator's own (site-wide
    for a site admin)."""
    if cluster is not None or is_site_admin(by):
        return cluster
    clusters = list(selectors.legal_reference_owner_choices(user=by))
    if len(clusters) != 1:
        raise _field_error(
            "cluster", _("Choose the cluster the reference belongs to."), "cluster_required"
        )
    return clusters[0]


@transaction.atomic
def legal_reference_create(
    *,
    kind: str,
    number: str = "",
    issued_on: datetime.date | None = None,
    issuer: str = "",
    title: str = "",
    upload=None,
    cluster=None,
    corrects: LegalReference | None = None,
    by,
) -> LegalReference:
    """Add a document that plans and covenants cite, with an optional file (PDF, image,
    Word or Excel).

    It belongs to ``cluster``, by default the creator's own (the cluster whose open year
    they lead; code ``cluster_required`` if they lead several) or, for a site admin,
    nobody's (site-wide). For that cluster's secretariat and site admins; site-wide ones
    for site admins only (``PermissionDenied``). ``corrects`` is the frozen reference this
    one corrects. Raises ``ValidationError`` for a duplicate number or a refused file."""
    _require(permissions.can_manage_legal_references(by))
    cluster = _reference_owner(by, cluster)
    _require(permissions.can_create_legal_reference(by, cluster))
    if corrects is not None:
        _require(permissions.can_view_legal_reference(by, corrects))
    reference = LegalReference(
        kind=kind,
        number=number,
        issued_on=issued_on,
        issuer=issuer,
        title=title,
        cluster=cluster,
        corrects=corrects,
    )
    _save_legal_reference(reference, upload)
    audit_record(
        actor=by,
        action="legal_reference.created",
        target=reference,
        details={
            "cluster": cluster.code if cluster else None,
            "corrects": corrects.pk if corrects else None,
        },
    )
    return reference


@transaction.atomic
def legal_reference_update(
    *,
    reference: LegalReference,
    kind: str,
    number: str = "",
    issued_on: datetime.date | None = None,
    issuer: str = "",
    title: str = "",
    upload=None,
    by,
) -> LegalReference:
    """Correct a legal reference; a new file replaces the old one.

    A site-wide reference: site admins only; a cluster's: its secretariat and site admins
    (``PermissionDenied``). Once a closed year or a covenant version opened for signing
    cites it, nobody changes it (code ``frozen``): a correction is a new reference."""
    _require(permissions.can_edit_legal_reference(by, reference))
    reference = LegalReference.objects.select_for_update().get(pk=reference.pk)
    if selectors.legal_reference_is_frozen(reference=reference):
        raise ValidationError(
            _(
                "A closed year or a signed covenant version cites this reference, so it "
                "cannot change: create a new reference instead (a corrected copy)."
            ),
            code="frozen",
        )
    before = reference.citation
    reference.kind, reference.number, reference.issued_on = kind, number, issued_on
    reference.issuer, reference.title = issuer, title
    _save_legal_reference(reference, upload)
    audit_record(
        actor=by,
        action="legal_reference.updated",
        target=reference,
        details={"before": before, "after": reference.citation, "new_file": upload is not None},
    )
    return reference


def check_citable(*, cluster, references, field: str) -> None:
    """Refuse (code ``other_cluster_reference``) references a cluster may not cite: only its
    own and the site-wide ones. For the services that set legal bases (plans, covenants)."""
    if any(not permissions.can_cite_legal_reference(cluster, r) for r in references):
        raise _field_error(
            field,
            _("Cite only this cluster's legal references or site-wide ones."),
            "other_cluster_reference",
        )


# Charter


def _locked_version(version: CharterVersion) -> CharterVersion:
    """The version re-read under a row lock, so its state cannot change under us."""
    return (
        CharterVersion.objects.select_for_update()
        .select_related("cluster", "cluster_year")
        .get(pk=version.pk)
    )


def _with_memberships(version: CharterVersion) -> CharterVersion:
    # Permission predicates read the year's memberships; load them once.
    version.cluster_year = ClusterYear.objects.prefetch_related("memberships").get(
        pk=version.cluster_year_id
    )
    return version


def _require_draft(version: CharterVersion) -> None:
    if not version.is_draft:
        raise ValidationError(
            _("Only a draft can be changed; this version is “%(state)s”.")
            % {"state": version.get_state_display()},
            code="not_draft",
        )


@transaction.atomic
def charter_version_create(*, cluster_year: ClusterYear, title: str = "", by) -> CharterVersion:
    """Start a new draft of the cluster's charter, copying the articles of the latest version.

    For the year's secretariat and site admins. Raises ``ValidationError`` (code
    ``draft_exists``) while another version is a draft or open for comments.
    """
    _require(permissions.can_create_charter_version(by, cluster_year))
    cluster = cluster_year.cluster
    if (
        CharterVersion.objects.filter(cluster=cluster)
        .exclude(state=CharterVersion.State.ADOPTED)
        .exists()
    ):
        raise ValidationError(
            _("Another version is being drafted or commented on; adopt it or continue it."),
            code="draft_exists",
        )
    previous = CharterVersion.objects.filter(cluster=cluster).order_by("-number").first()
    number = (previous.number + 1) if previous else 1
    title = title.strip() or (
        previous.title if previous else f"Quy chế tổ chức và hoạt động của {cluster.name}"
    )
    version = CharterVersion(
        cluster=cluster,
        cluster_year=cluster_year,
        number=number,
        title=title,
        preamble=previous.preamble if previous else "",
        based_on=previous,
        is_illustrative=cluster_year.is_illustrative,
    )
    version.full_clean()
    version.save()
    if previous is not None:
        CharterArticle.objects.bulk_create(
            CharterArticle(
                version=version,
                key=article.key,
                number=article.number,
                heading=article.heading,
                body=article.body,
                is_illustrative=article.is_illustrative,
            )
            for article in previous.articles.all()
        )
    audit_record(
        actor=by,
        action="charter_version.created",
        target=version,
        details={"based_on": previous.number if previous else None},
    )
    return version


@transaction.atomic
def charter_version_update(
    *, version: CharterVersion, title: str, preamble: str, by
) -> CharterVersion:
    """Change a draft's title and preamble. Secretariat; drafts only (code ``not_draft``)."""
    version = _with_memberships(_locked_version(version))
    _require(permissions.can_manage_cluster_year(by, version.cluster_year))
    _require_draft(version)
    version.title, version.preamble = title, preamble
    version.full_clean()
    version.save(update_fields=["title", "preamble", "updated_at"])
    audit_record(actor=by, action="charter_version.updated", target=version)
    return version


def _check_article_number(version: CharterVersion, number: int, exclude_pk=None) -> None:
    taken = version.articles.filter(number=number).exclude(pk=exclude_pk).exists()
    if taken:
        raise _field_error(
            "number",
            _("Article %(number)s already exists in this version.") % {"number": number},
            "number_taken",
        )


@transaction.atomic
def charter_article_create(
    *, version: CharterVersion, number: int, heading: str, body: str, by
) -> CharterArticle:
    """Add an article to a draft. Secretariat; drafts only; numbers are unique per version."""
    version = _with_memberships(_locked_version(version))
    _require(permissions.can_manage_cluster_year(by, version.cluster_year))
    _require_draft(version)
    _check_article_number(version, number)
    article = CharterArticle(version=version, number=number, heading=heading, body=body)
    article.full_clean()
    article.save()
    audit_record(
        actor=by,
        action="charter_article.created",
        target=version,
        details={"article": number, "heading": heading},
    )
    return article


@transaction.atomic
def charter_article_update(
    *, article: CharterArticle, number: int, heading: str, body: str, by
) -> CharterArticle:
    """Change an article of a draft. Secretariat; drafts only. Edited text is no longer
    marked illustrative: it is what the secretariat wrote."""
    version = _with_memberships(_locked_version(article.version))
    _require(permissions.can_manage_cluster_year(by, version.cluster_year))
    _require_draft(version)
    _check_article_number(version, number, exclude_pk=article.pk)
    before = {"number": article.number, "heading": article.heading, "body": article.body}
    article.version = version
    article.number, article.heading, article.body = number, heading, body
    if before["body"] != body or before["heading"] != heading:
        article.is_illustrative = False
    article.full_clean()
    article.save()
    audit_record(
        actor=by,
        action="charter_article.updated",
        target=version,
        details={"before": before, "after": {"number": number, "heading": heading, "body": body}},
    )
    return article


@transaction.atomic
def charter_article_delete(*, article: CharterArticle, by) -> None:
    """Remove an article from a draft. Secretariat; drafts only; an article that members
    commented on is kept (code ``has_comments``), so that no comment is lost."""
    version = _with_memberships(_locked_version(article.version))
    _require(permissions.can_manage_cluster_year(by, version.cluster_year))
    _require_draft(version)
    if article.comments.exists():
        raise ValidationError(
            _("Members commented on this article: change its text instead of removing it."),
            code="has_comments",
        )
    details = {"article": article.number, "heading": article.heading}
    article.delete()
    audit_record(actor=by, action="charter_article.deleted", target=version, details=details)


@transaction.atomic
def charter_version_open(*, version: CharterVersion, by) -> CharterVersion:
    """Open a draft for the members' comments. Secretariat; needs at least one article."""
    version = _with_memberships(_locked_version(version))
    _require(permissions.can_manage_cluster_year(by, version.cluster_year))
    _require_draft(version)
    if not version.articles.exists():
        raise ValidationError(
            _("Add at least one article before opening the version for comments."),
            code="no_articles",
        )
    version.state = CharterVersion.State.OPEN
    version.opened_at = timezone.now()
    version.save(update_fields=["state", "opened_at", "updated_at"])
    audit_record(actor=by, action="charter_version.opened", target=version)
    return version


@transaction.atomic
def charter_version_return_to_draft(*, version: CharterVersion, by) -> CharterVersion:
    """Take a version open for comments back to draft, to revise it. Comments are kept."""
    version = _with_memberships(_locked_version(version))
    _require(permissions.can_return_charter_version_to_draft(by, version))
    version.state = CharterVersion.State.DRAFT
    version.save(update_fields=["state", "updated_at"])
    audit_record(actor=by, action="charter_version.returned_to_draft", target=version)
    return version


@transaction.atomic
def charter_version_adopt(
    *,
    version: CharterVersion,
    adopted_on: datetime.date,
    conference: Activity | None = None,
    by,
) -> CharterVersion:
    """Record that a conference adopted a version open for comments; it is read-only from
    then on and in force from ``adopted_on`` until a newer version is adopted.

    For the secretariat. ``conference`` must be a conference of the same cluster and
    ``adopted_on`` one of its days. Raises ``ValidationError`` (codes ``not_open``,
    ``not_a_conference``, ``other_cluster``, ``not_conference_day``).
    """
    version = _with_memberships(_locked_version(version))
    _require(permissions.can_manage_cluster_year(by, version.cluster_year))
    if not version.is_open:
        raise ValidationError(
            _("Only a version open for comments can be adopted."), code="not_open"
        )
    if conference is not None:
        if not conference.is_conference:
            raise _field_error(
                "conference", _("Choose an activity that is a conference."), "not_a_conference"
            )
        if conference.work_plan.cluster_year.cluster_id != version.cluster_id:
            raise _field_error(
                "conference", _("The conference belongs to another cluster."), "other_cluster"
            )
        if not conference.starts_on <= adopted_on <= conference.ends_on:
            raise _field_error(
                "adopted_on",
                _("The adoption date must be a day of the conference (%(date)s).")
                % {"date": conference.starts_on.strftime("%d/%m/%Y")},
                "not_conference_day",
            )
    version.state = CharterVersion.State.ADOPTED
    version.adopted_on = adopted_on
    version.adopted_at = conference
    version.save(update_fields=["state", "adopted_on", "adopted_at", "updated_at"])
    audit_record(
        actor=by,
        action="charter_version.adopted",
        target=version,
        details={
            "adopted_on": adopted_on.isoformat(),
            "conference": conference.pk if conference else None,
        },
    )
    return version


@transaction.atomic
def charter_comment_create(*, article: CharterArticle, body: str, by) -> CharterComment:
    """A member's comment on one article of a version open for comments.

    For users of the year's member departments and its secretariat. Raises
    ``PermissionDenied`` when the version is not open or the user is not a member.
    """
    version = _with_memberships(_locked_version(article.version))
    _require(permissions.can_comment_on_charter_version(by, version))
    body = body.strip()
    if not body:
        raise _field_error("body", _("Write your comment."), "empty")
    comment = CharterComment.objects.create(
        article=article, author=by, department_id=by.department_id, body=body
    )
    audit_record(
        actor=by,
        action="charter_comment.created",
        target=comment,
        details={"version": version.number, "article": article.number},
    )
    return comment


@transaction.atomic
def charter_comment_answer(
    *, comment: CharterComment, answer: str, resolve: bool, by
) -> CharterComment:
    """The secretariat answers a comment, resolves it, or both; not after adoption.

    Raises ``ValidationError`` (code ``nothing_to_record``) with neither an answer nor
    ``resolve``.
    """
    comment = CharterComment.objects.select_for_update().get(pk=comment.pk)
    comment.article.version = _with_memberships(_locked_version(comment.article.version))
    _require(permissions.can_answer_charter_comment(by, comment))
    answer = answer.strip()
    if not answer and not resolve:
        raise _field_error(
            "answer", _("Write an answer or mark the comment resolved."), "nothing_to_record"
        )
    if answer:
        comment.answer = answer
        comment.answered_by = by
        comment.answered_at = timezone.now()
    comment.status = (
        CharterComment.Status.RESOLVED
        if resolve
        else (CharterComment.Status.ANSWERED if comment.answer else CharterComment.Status.OPEN)
    )
    comment.full_clean()
    comment.save()
    audit_record(
        actor=by,
        action="charter_comment.answered",
        target=comment,
        details={"status": comment.status, "answer": comment.answer},
    )
    return comment


# Work plans


@transaction.atomic
def work_plan_create(
    *,
    cluster_year: ClusterYear,
    title: str,
    number: str = "",
    issued_on: datetime.date | None = None,
    objectives: str = "",
    legal_references=(),
    by,
) -> WorkPlan:
    """Create the work plan of a cluster year (one per year, code ``plan_exists``).

    For the year's secretariat and site admins.
    """
    _require(permissions.can_create_work_plan(by, cluster_year))
    if WorkPlan.objects.filter(cluster_year=cluster_year).exists():
        raise ValidationError(
            _("The year %(year)s already has a work plan.") % {"year": cluster_year.year},
            code="plan_exists",
        )
    check_citable(
        cluster=cluster_year.cluster, references=legal_references, field="legal_references"
    )
    work_plan = WorkPlan(
        cluster_year=cluster_year,
        title=title,
        number=number,
        issued_on=issued_on,
        objectives=objectives,
        is_illustrative=cluster_year.is_illustrative,
    )
    work_plan.full_clean()
    work_plan.save()
    work_plan.legal_references.set(legal_references)
    audit_record(actor=by, action="work_plan.created", target=work_plan)
    return work_plan


@transaction.atomic
def work_plan_update(
    *,
    work_plan: WorkPlan,
    title: str,
    number: str = "",
    issued_on: datetime.date | None = None,
    objectives: str = "",
    legal_references=(),
    adopted_at: Activity | None = None,
    by,
) -> WorkPlan:
    """Change a plan's number, title, issue date, objectives, legal bases and the conference
    that adopted it (a conference of the same cluster, code ``not_a_conference`` or
    ``other_cluster`` otherwise). Secretariat."""
    _require(permissions.can_edit_work_plan(by, work_plan))
    if adopted_at is not None:
        if not adopted_at.is_conference:
            raise _field_error(
                "adopted_at", _("Choose an activity that is a conference."), "not_a_conference"
            )
        if adopted_at.work_plan.cluster_year.cluster_id != work_plan.cluster_year.cluster_id:
            raise _field_error(
                "adopted_at", _("The conference belongs to another cluster."), "other_cluster"
            )
    check_citable(
        cluster=work_plan.cluster_year.cluster,
        references=legal_references,
        field="legal_references",
    )
    before = {"title": work_plan.title, "number": work_plan.number}
    work_plan.title, work_plan.number = title, number
    work_plan.issued_on, work_plan.objectives = issued_on, objectives
    work_plan.adopted_at = adopted_at
    work_plan.full_clean()
    work_plan.save()
    work_plan.legal_references.set(legal_references)
    audit_record(
        actor=by,
        action="work_plan.updated",
        target=work_plan,
        details={"before": before, "after": {"title": title, "number": number}},
    )
    return work_plan


# Activities

# What the host department's users may change; the secretariat changes every field.
HOST_FIELDS = frozenset(
    {
        "starts_on",
        "ends_on",
        "start_time",
        "end_time",
        "venue",
        "status",
        "progress",
        "outcome_notes",
        "agenda",
        "minutes_text",
    }
)
ACTIVITY_FIELDS = HOST_FIELDS | {"title", "kind", "host", "outside_plan_year", "adopted_covenant"}


def _validate_activity(values: dict, *, work_plan: WorkPlan) -> dict:
    """Check an activity's values together; returns them normalised (done ⇒ 100%).

    Raises one ``ValidationError`` naming every field at fault.
    """
    errors: dict[str, ValidationError] = {}
    starts_on, ends_on = values.get("starts_on"), values.get("ends_on")
    start_time, end_time = values.get("start_time"), values.get("end_time")
    year = work_plan.cluster_year.year
    if not (values.get("title") or "").strip():
        errors["title"] = ValidationError(_("Give the activity a title."), code="required")
    if starts_on is None:
        errors["starts_on"] = ValidationError(_("Give the start date."), code="required")
    if ends_on is None:
        errors["ends_on"] = ValidationError(_("Give the end date."), code="required")
    if starts_on and ends_on and ends_on < starts_on:
        errors["ends_on"] = ValidationError(
            _("The end date cannot be before the start date."), code="end_before_start"
        )
    if end_time is not None and start_time is None:
        errors["start_time"] = ValidationError(
            _("Give the start time too, or neither time."), code="end_time_without_start"
        )
    if (
        starts_on
        and ends_on
        and starts_on == ends_on
        and start_time is not None
        and end_time is not None
        and end_time < start_time
    ):
        errors["end_time"] = ValidationError(
            _("On a one-day activity the end time cannot be before the start time."),
            code="end_before_start",
        )
    if not values.get("outside_plan_year"):
        message = _(
            "The plan is for %(year)s: choose a date in %(year)s, or tick “may fall "
            "outside the plan's year”."
        ) % {"year": year}
        if starts_on and starts_on.year != year and "starts_on" not in errors:
            errors["starts_on"] = ValidationError(message, code="outside_plan_year")
        if ends_on and ends_on.year != year and "ends_on" not in errors:
            errors["ends_on"] = ValidationError(message, code="outside_plan_year")
    progress = values.get("progress")
    if progress is None or not 0 <= progress <= 100:
        errors["progress"] = ValidationError(
            _("Progress must be between 0 and 100%."), code="progress_range"
        )
    host = values.get("host")
    if host is not None and host.pk not in _member_department_ids(work_plan.cluster_year):
        errors["host"] = ValidationError(
            _("The host must be a member of the cluster in %(year)s.") % {"year": year},
            code="host_not_member",
        )
    if values.get("kind") not in Activity.Kind.values:
        errors["kind"] = ValidationError(_("Choose a kind of activity."), code="invalid_choice")
    if values.get("status") not in Activity.Status.values:
        errors["status"] = ValidationError(_("Choose a status."), code="invalid_choice")
    if errors:
        raise ValidationError(errors)
    values = dict(values)
    if values["status"] == Activity.Status.DONE:
        values["progress"] = 100
    values["title"] = values["title"].strip()
    return values


def _plan_with_memberships(work_plan: WorkPlan) -> WorkPlan:
    if "memberships" not in getattr(work_plan.cluster_year, "_prefetched_objects_cache", {}):
        work_plan.cluster_year = ClusterYear.objects.prefetch_related("memberships").get(
            pk=work_plan.cluster_year_id
        )
    return work_plan


@transaction.atomic
def activity_create(
    *,
    work_plan: WorkPlan,
    title: str,
    kind: str,
    starts_on: datetime.date,
    ends_on: datetime.date,
    host: Department | None = None,
    start_time: datetime.time | None = None,
    end_time: datetime.time | None = None,
    outside_plan_year: bool = False,
    venue: str = "",
    status: str = Activity.Status.PLANNED,
    progress: int = 0,
    outcome_notes: str = "",
    agenda: str = "",
    minutes_text: str = "",
    adopted_covenant: bool = False,
    by,
) -> Activity:
    """Add an activity to a work plan. For the year's secretariat and site admins.

    Dates must make sense (end not before start; within the plan's year unless
    ``outside_plan_year``) and the host must be a member that year; otherwise a
    ``ValidationError`` names each field at fault.
    """
    work_plan = _plan_with_memberships(work_plan)
    _require(permissions.can_add_activity(by, work_plan))
    values = _validate_activity(
        {
            "title": title,
            "kind": kind,
            "host": host,
            "starts_on": starts_on,
            "ends_on": ends_on,
            "start_time": start_time,
            "end_time": end_time,
            "outside_plan_year": outside_plan_year,
            "venue": venue,
            "status": status,
            "progress": progress,
            "outcome_notes": outcome_notes,
            "agenda": agenda,
            "minutes_text": minutes_text,
            "adopted_covenant": adopted_covenant,
        },
        work_plan=work_plan,
    )
    activity = Activity.objects.create(
        work_plan=work_plan, is_illustrative=work_plan.is_illustrative, **values
    )
    audit_record(
        actor=by,
        action="activity.created",
        target=activity,
        details={"work_plan": work_plan.pk, "host": host.code if host else None},
    )
    return activity


def _audit_value(value):
    if isinstance(value, Department):
        return value.code
    return value


@transaction.atomic
def activity_update(*, activity: Activity, version: int, changes: dict, by) -> Activity:
    """Change an activity, unless someone else changed it since ``version`` was read.

    The secretariat may change every field; the host department's users only their report
    (dates, venue, status, progress, outcome, agenda, minutes). Marking it done sets the
    progress to 100%. The plan's progress follows (it is rolled up from its activities).

    The write is one conditional UPDATE on (id, version): if another edit came first,
    nothing is written and ``ValidationError`` (code ``conflict``) tells the second editor.
    Raises ``PermissionDenied``, or ``ValidationError`` naming each field at fault.
    """
    work_plan = _plan_with_memberships(activity.work_plan)
    activity.work_plan = work_plan
    unknown = set(changes) - ACTIVITY_FIELDS
    if unknown:
        raise ValueError(f"Not activity fields: {sorted(unknown)}")
    if not permissions.can_edit_activity(by, activity):
        _require(permissions.can_update_activity(by, activity))
        _require(set(changes) <= HOST_FIELDS)
    before = {name: getattr(activity, name) for name in ACTIVITY_FIELDS}
    values = _validate_activity({**before, **changes}, work_plan=work_plan)
    changed = {name: value for name, value in values.items() if value != before[name]}
    updated = Activity.objects.filter(pk=activity.pk, version=version).update(
        **changed, version=F("version") + 1, updated_at=timezone.now()
    )
    if not updated:
        current = Activity.objects.filter(pk=activity.pk).values_list("version", flat=True)
        raise ValidationError(
            _(
                "Someone else saved this activity while you were editing it (it is now at "
                "version %(current)s, you started from version %(yours)s). Your changes "
                "were not saved: reload the activity to see theirs, then make yours again."
            )
            % {"current": current.first(), "yours": version},
            code="conflict",
        )
    activity.refresh_from_db()
    audit_record(
        actor=by,
        action="activity.updated",
        target=activity,
        details={
            "version": activity.version,
            "before": {k: _audit_value(before[k]) for k in changed},
            "after": {k: _audit_value(v) for k, v in changed.items()},
        },
    )
    return activity


# Conference records


@transaction.atomic
def attendee_add(
    *,
    activity: Activity,
    kind: str,
    department: Department | None = None,
    organisation: str = "",
    name: str = "",
    title: str = "",
    is_chair: bool = False,
    by,
) -> Attendee:
    """Record who attended a conference: a member department (with its representative's
    name and title, when known) or a guest (name required). Whoever may report on it."""
    activity.work_plan = _plan_with_memberships(activity.work_plan)
    _require(permissions.can_record_conference(by, activity))
    if kind == Attendee.Kind.MEMBER:
        if department is None:
            raise _field_error("department", _("Choose the department."), "required")
        if department.pk not in _member_department_ids(activity.work_plan.cluster_year):
            raise _field_error(
                "department",
                _("Only members of the cluster that year attend as members; add others as guests."),
                "not_member",
            )
        if activity.attendees.filter(kind=kind, department=department).exists():
            raise _field_error(
                "department", _("This department is already listed as attending."), "duplicate"
            )
    elif kind == Attendee.Kind.GUEST:
        department = None
        if not name.strip():
            raise _field_error("name", _("Give the guest's name."), "required")
    else:
        raise _field_error("kind", _("Choose member or guest."), "invalid_choice")
    attendee = Attendee.objects.create(
        activity=activity,
        kind=kind,
        department=department,
        organisation=organisation.strip(),
        name=name.strip(),
        title=title.strip(),
        is_chair=is_chair,
    )
    audit_record(
        actor=by,
        action="attendee.added",
        target=activity,
        details={"attendee": str(attendee), "kind": kind},
    )
    return attendee


@transaction.atomic
def attendee_remove(*, attendee: Attendee, by) -> None:
    """Remove an attendee recorded by mistake. Whoever may report on the conference."""
    activity = attendee.activity
    activity.work_plan = _plan_with_memberships(activity.work_plan)
    _require(permissions.can_record_conference(by, activity))
    details = {"attendee": str(attendee)}
    attendee.delete()
    audit_record(actor=by, action="attendee.removed", target=activity, details=details)


# Files


@transaction.atomic
def attachment_add(
    *,
    activity: Activity,
    upload,
    title: str = "",
    purpose: str = Attachment.Purpose.DOCUMENT,
    by,
) -> Attachment:
    """Attach a file to an activity: a document, or the scan of a conference's signed
    minutes (PDF or image only). Whoever may report on the activity.

    The file is checked by its content and size first (``ValidationError`` codes
    ``wrong_type``, ``too_large``, ``empty``); a refused file saves nothing.
    """
    activity.work_plan = _plan_with_memberships(activity.work_plan)
    _require(permissions.can_add_activity_files(by, activity))
    if purpose == Attachment.Purpose.MINUTES:
        if not activity.is_conference:
            raise _field_error(
                "purpose", _("Only conferences have minutes."), "minutes_not_conference"
            )
        accepted = uploads.MINUTES_KINDS
    elif purpose == Attachment.Purpose.DOCUMENT:
        accepted = uploads.DOCUMENT_KINDS
    else:
        raise _field_error("purpose", _("Choose what the file is."), "invalid_choice")
    try:
        kind, original_name = uploads.prepare_upload(upload, accepted=accepted)
    except ValidationError as error:
        raise ValidationError({"file": error}) from error
    attachment = Attachment.objects.create(
        activity=activity,
        purpose=purpose,
        title=title.strip(),
        file=upload,
        original_name=original_name,
        content_type=kind.content_type,
        size=upload.size,
        uploaded_by=by,
    )
    audit_record(
        actor=by,
        action="attachment.added",
        target=activity,
        details={"attachment": attachment.pk, "purpose": purpose, "name": original_name},
    )
    return attachment


@transaction.atomic
def photo_add(
    *,
    upload,
    caption: str = "",
    activity: Activity | None = None,
    news_post: NewsPost | None = None,
    by,
) -> Photo:
    """Add a photo (JPEG, PNG or WebP, checked by content) with its caption to an activity
    (whoever may report on it) or to a news post (whoever may edit it).

    ``ValidationError`` codes ``wrong_type``, ``too_large``, ``empty``; nothing is saved then.
    """
    if (activity is None) == (news_post is None):
        raise ValueError("A photo belongs to exactly one activity or news post.")
    if activity is not None:
        activity.work_plan = _plan_with_memberships(activity.work_plan)
        _require(permissions.can_add_activity_files(by, activity))
    else:
        _require(permissions.can_edit_news_post(by, news_post))
    try:
        kind, original_name = uploads.prepare_upload(upload, accepted=uploads.PHOTO_KINDS)
    except ValidationError as error:
        raise ValidationError({"image": error}) from error
    photo = Photo.objects.create(
        activity=activity,
        news_post=news_post,
        image=upload,
        caption=caption.strip(),
        original_name=original_name,
        content_type=kind.content_type,
        size=upload.size,
        uploaded_by=by,
    )
    audit_record(
        actor=by,
        action="photo.added",
        target=activity or news_post,
        details={"photo": photo.pk, "name": original_name},
    )
    return photo


# News


def _check_news_fields(*, cluster_year, title, body, author_department, activity, by) -> None:
    errors = {}
    if not title.strip():
        errors["title"] = ValidationError(_("Give the post a title."), code="required")
    if not body.strip():
        errors["body"] = ValidationError(_("Write the text of the post."), code="required")
    if author_department is None:
        errors["author_department"] = ValidationError(
            _("Choose the author department."), code="required"
        )
    elif author_department.pk not in _member_department_ids(cluster_year):
        errors["author_department"] = ValidationError(
            _("The author department must be a member of the cluster that year."),
            code="not_member",
        )
    elif not (is_site_admin(by) or is_secretariat(by, cluster_year)) and (
        author_department.pk != by.department_id
    ):
        errors["author_department"] = ValidationError(
            _("You write for your own department."), code="other_department"
        )
    if activity is not None and activity.work_plan.cluster_year_id != cluster_year.pk:
        errors["activity"] = ValidationError(
            _("Choose an activity of the same cluster year."), code="other_year"
        )
    if errors:
        raise ValidationError(errors)


def _year_with_memberships(cluster_year: ClusterYear) -> ClusterYear:
    return (
        ClusterYear.objects.select_related("cluster")
        .prefetch_related("memberships")
        .get(pk=cluster_year.pk)
    )


@transaction.atomic
def news_post_create(
    *,
    cluster_year: ClusterYear,
    title: str,
    body: str,
    author_department: Department | None,
    author_name: str = "",
    activity: Activity | None = None,
    by,
) -> NewsPost:
    """Write a news post (a draft) about the cluster's activities.

    For users of the year's member departments (for their own department) and the
    secretariat (for any member). Raises ``ValidationError`` naming each field at fault.
    """
    cluster_year = _year_with_memberships(cluster_year)
    _require(permissions.can_create_news_post(by, cluster_year))
    _check_news_fields(
        cluster_year=cluster_year,
        title=title,
        body=body,
        author_department=author_department,
        activity=activity,
        by=by,
    )
    post = NewsPost.objects.create(
        cluster_year=cluster_year,
        title=title.strip(),
        body=body.strip(),
        author_department=author_department,
        author_name=author_name.strip(),
        activity=activity,
        is_illustrative=cluster_year.is_illustrative,
        created_by=by,
    )
    audit_record(actor=by, action="news_post.created", target=post)
    return post


@transaction.atomic
def news_post_update(
    *,
    post: NewsPost,
    title: str,
    body: str,
    author_department: Department | None,
    author_name: str = "",
    activity: Activity | None = None,
    by,
) -> NewsPost:
    """Change a post (draft or published). Its author department's users and the secretariat."""
    post.cluster_year = _year_with_memberships(post.cluster_year)
    _require(permissions.can_edit_news_post(by, post))
    _check_news_fields(
        cluster_year=post.cluster_year,
        title=title,
        body=body,
        author_department=author_department,
        activity=activity,
        by=by,
    )
    post.title, post.body = title.strip(), body.strip()
    post.author_department, post.author_name = author_department, author_name.strip()
    post.activity = activity
    post.full_clean()
    post.save()
    audit_record(actor=by, action="news_post.updated", target=post)
    return post


@transaction.atomic
def news_post_publish(*, post: NewsPost, published_on: datetime.date | None = None, by) -> NewsPost:
    """Publish a post: from then on anyone can read it, without logging in. The date is
    today unless given. Its author department's users and the secretariat."""
    post.cluster_year = _year_with_memberships(post.cluster_year)
    _require(permissions.can_edit_news_post(by, post))
    post.status = NewsPost.Status.PUBLISHED
    post.published_on = published_on or timezone.localdate()
    post.save(update_fields=["status", "published_on", "updated_at"])
    audit_record(
        actor=by,
        action="news_post.published",
        target=post,
        details={"published_on": post.published_on.isoformat()},
    )
    return post


@transaction.atomic
def news_post_withdraw(*, post: NewsPost, by) -> NewsPost:
    """Take a published post back to draft: it is no longer public. Same rights as editing."""
    post.cluster_year = _year_with_memberships(post.cluster_year)
    _require(permissions.can_edit_news_post(by, post))
    post.status = NewsPost.Status.DRAFT
    post.save(update_fields=["status", "updated_at"])
    audit_record(actor=by, action="news_post.withdrawn", target=post)
    return post


# Calendar feed tokens


@transaction.atomic
def feed_token_create(*, user, by) -> FeedToken:
    """Give ``user`` a new secret for calendar feed URLs, revoking the previous one.

    Only its hash is stored: the secret is on the returned object (``secret``) and nowhere
    else, to be shown once. Only for oneself (``by`` must be ``user``); not for Ministry
    reviewers, who change nothing in the portal.
    """
    _require(by.pk == user.pk and permissions.can_manage_feed_tokens(by))
    now = timezone.now()
    FeedToken.objects.filter(user=user, revoked_at__isnull=True).update(
        revoked_at=now, updated_at=now
    )
    secret = new_feed_token()
    token = FeedToken.objects.create(user=user, token_hash=hash_feed_token(secret))
    audit_record(actor=by, action="feed_token.created", target=token)
    token.secret = secret
    return token


@transaction.atomic
def feed_token_revoke(*, token: FeedToken, by) -> FeedToken:
    """Revoke a feed token: every URL with it answers 404 from now on. Its owner only."""
    _require(by.pk == token.user_id and permissions.can_manage_feed_tokens(by))
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at", "updated_at"])
        audit_record(actor=by, action="feed_token.revoked", target=token)
    return token


def membership_guard(*, cluster_year: ClusterYear, department: Department, change: str):
    """Registered with the members app: a department named in the year's plans, charter
    comments or news stays a member of that year (history stays true)."""
    if change != "remove":
        return None
    records = [
        (
            _("hosts an activity"),
            Activity.objects.filter(work_plan__cluster_year=cluster_year, host=department),
        ),
        (
            _("attends an activity"),
            Attendee.objects.filter(
                activity__work_plan__cluster_year=cluster_year, department=department
            ),
        ),
        (
            _("commented on the charter"),
            CharterComment.objects.filter(
                article__version__cluster_year=cluster_year, department=department
            ),
        ),
        (
            _("wrote news"),
            NewsPost.objects.filter(cluster_year=cluster_year, author_department=department),
        ),
    ]
    named = [label for label, queryset in records if queryset.exists()]
    if not named:
        return None
    return _(
        "%(department)s is named in the records of %(year)s (%(records)s): its membership "
        "stays part of that year."
    ) % {"department": department.full_name, "year": cluster_year.year, "records": "; ".join(named)}
