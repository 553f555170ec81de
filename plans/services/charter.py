"""Writes for the cluster charter: versions, articles, comments and answers."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cluster_portal.audit import audit_record
from members.models import ClusterYear
from plans import permissions
from plans.audit import PlanAction
from plans.models import Activity, CharterArticle, CharterComment, CharterVersion
from plans.services.common import _field_error, _require

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
        action=PlanAction.CHARTER_VERSION_CREATED,
        target=version,
        details={"based_on": previous.number if previous else None},
    )
    return version


@transaction.atomic
def charter_version_update(
    *,
    version: CharterVersion,
    title: str,
    preamble: str,
    vote_quorum_percent=None,
    vote_threshold_percent=None,
    vote_threshold_base: str | None = None,
    vote_blank_invalid: bool | None = None,
    by,
) -> CharterVersion:
    """Change a draft's title, preamble and voting rules (the defaults of every ballot
    while the version is in force; a rule left as None keeps its value). Secretariat;
    drafts only (code ``not_draft``); ``vote_quorum_out_of_range`` (0–100) and
    ``vote_threshold_out_of_range`` (0 to below 100)."""
    version = _with_memberships(_locked_version(version))
    _require(permissions.can_manage_cluster_year(by, version.cluster_year))
    _require_draft(version)
    if vote_quorum_percent is not None and not 0 <= vote_quorum_percent <= 100:
        raise _field_error(
            "vote_quorum_percent",
            _("The quorum is a percentage from 0 to 100 (not %(value)s).")
            % {"value": vote_quorum_percent},
            "vote_quorum_out_of_range",
        )
    if vote_threshold_percent is not None and not 0 <= vote_threshold_percent < 100:
        raise _field_error(
            "vote_threshold_percent",
            _("The threshold is a percentage from 0 to below 100 (not %(value)s).")
            % {"value": vote_threshold_percent},
            "vote_threshold_out_of_range",
        )
    version.title, version.preamble = title, preamble
    rules = {
        "vote_quorum_percent": vote_quorum_percent,
        "vote_threshold_percent": vote_threshold_percent,
        "vote_threshold_base": vote_threshold_base or None,
        "vote_blank_invalid": vote_blank_invalid,
    }
    changed = [name for name, value in rules.items() if value is not None]
    for name in changed:
        setattr(version, name, rules[name])
    version.full_clean()
    version.save(update_fields=["title", "preamble", *changed, "updated_at"])
    audit_record(actor=by, action=PlanAction.CHARTER_VERSION_UPDATED, target=version)
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
        action=PlanAction.CHARTER_ARTICLE_CREATED,
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
        action=PlanAction.CHARTER_ARTICLE_UPDATED,
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
    audit_record(
        actor=by, action=PlanAction.CHARTER_ARTICLE_DELETED, target=version, details=details
    )


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
    audit_record(actor=by, action=PlanAction.CHARTER_VERSION_OPENED, target=version)
    return version


@transaction.atomic
def charter_version_return_to_draft(*, version: CharterVersion, by) -> CharterVersion:
    """Take a version open for comments back to draft, to revise it. Comments are kept."""
    version = _with_memberships(_locked_version(version))
    _require(permissions.can_return_charter_version_to_draft(by, version))
    version.state = CharterVersion.State.DRAFT
    version.save(update_fields=["state", "updated_at"])
    audit_record(actor=by, action=PlanAction.CHARTER_VERSION_RETURNED, target=version)
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
        action=PlanAction.CHARTER_VERSION_ADOPTED,
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
        action=PlanAction.CHARTER_COMMENT_CREATED,
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
        action=PlanAction.CHARTER_COMMENT_ANSWERED,
        target=comment,
        details={"status": comment.status, "answer": comment.answer},
    )
    return comment
