"""Writes for news posts."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cluster_portal.audit import audit_record
from members.models import ClusterYear, Department
from members.permissions import is_secretariat, is_site_admin
from plans import permissions
from plans.audit import PlanAction
from plans.models import Activity, NewsPost
from plans.services.common import _member_department_ids, _require
from plans.services.files import photo_add

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
    photo=None,
    photo_caption: str = "",
    by,
) -> NewsPost:
    """Write a news post (a draft) about the cluster's activities, with its first photo if
    ``photo`` is given (checked as ``photo_add`` checks it: a refused photo saves nothing).

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
    audit_record(actor=by, action=PlanAction.NEWS_POST_CREATED, target=post)
    if photo:
        photo_add(upload=photo, caption=photo_caption, news_post=post, by=by)
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
    audit_record(actor=by, action=PlanAction.NEWS_POST_UPDATED, target=post)
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
        action=PlanAction.NEWS_POST_PUBLISHED,
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
    audit_record(actor=by, action=PlanAction.NEWS_POST_WITHDRAWN, target=post)
    return post
