"""Reads for news posts.

Naming (every plans selectors module): ``<entity>_get(*, ...)`` returns one row with what
its page needs (raises ``<Model>.DoesNotExist``); ``<entity>_list(*, ...)`` returns rows, a
list or a queryset; a qualifier after the suffix says which or for what
(``activity_list_for_export``, ``feed_token_get_live``). A selector that returns something
other than the entity's rows is named for what it returns (``charter_diff``,
``charter_pdf_context``, ``legal_reference_is_frozen``).
"""

from django.db.models import Q, QuerySet

from members import permissions as members_permissions
from members.models import ClusterYear, Department, Membership
from members.selectors import clusters_visible_to
from plans.models import Activity, NewsPost
from plans.selectors.common import _memberships, _year_memberships
from plans.selectors.work_plans import member_department_list

# News


def _news() -> QuerySet[NewsPost]:
    return NewsPost.objects.select_related(
        "author_department", "cluster_year__cluster", "activity"
    ).prefetch_related("photos")


def news_post_list_published() -> QuerySet[NewsPost]:
    """Published posts of every cluster, newest first: public."""
    return _news().filter(status=NewsPost.Status.PUBLISHED).order_by("-published_on", "-id")


def news_post_list_drafts(*, user) -> list[NewsPost]:
    """Drafts the user may see: their department's, the years they are secretariat of;
    every draft for reviewers and site admins."""
    if not user.is_authenticated:
        return []
    drafts = _news().filter(status=NewsPost.Status.DRAFT).order_by("-updated_at")
    if members_permissions.is_site_admin(user) or members_permissions.is_reviewer(user):
        return list(drafts)
    led_years = ClusterYear.objects.filter(
        Q(memberships__role=Membership.Role.LEADER, memberships__department_id=user.department_id)
        | Q(cluster__administrators=user)
    )
    return list(
        drafts.filter(
            Q(author_department_id=user.department_id) | Q(cluster_year__in=led_years)
        ).distinct()
    )


def news_post_get(*, pk: int) -> NewsPost:
    """A post with its photos, author, year and the year's memberships."""
    return (
        NewsPost.objects.select_related(
            "author_department", "cluster_year__cluster", "activity__work_plan__cluster_year"
        )
        .prefetch_related(_year_memberships("cluster_year__"), "photos")
        .get(pk=pk)
    )


def cluster_year_list_for_news(*, user) -> list[ClusterYear]:
    """Cluster years the user may write news in, newest first (with memberships)."""
    from plans import permissions

    years = (
        ClusterYear.objects.filter(cluster__in=clusters_visible_to(user=user))
        .exclude(phase=ClusterYear.Phase.CLOSED)
        .select_related("cluster")
        .prefetch_related(_memberships())
        .order_by("-year", "cluster__name")
    )
    return [cy for cy in years if permissions.can_create_news_post(user, cy)]


def department_list_for_news(*, user, cluster_year: ClusterYear) -> QuerySet[Department]:
    """The departments a post of ``cluster_year`` may be signed by: every member for the
    secretariat and site admins, otherwise the user's own department."""
    members = member_department_list(cluster_year=cluster_year)
    if members_permissions.is_site_admin(user) or members_permissions.is_secretariat(
        user, cluster_year
    ):
        return members
    return members.filter(pk=user.department_id)


def activity_list_for_news(*, cluster_year: ClusterYear) -> QuerySet[Activity]:
    """The year's activities by date: what a post may be about."""
    return Activity.objects.filter(work_plan__cluster_year=cluster_year).order_by("starts_on")
