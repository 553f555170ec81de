"""Reads for the iCalendar feeds and their tokens.

Naming (every plans selectors module): ``<entity>_get(*, ...)`` returns one row with what
its page needs (raises ``<Model>.DoesNotExist``); ``<entity>_list(*, ...)`` returns rows, a
list or a queryset; a qualifier after the suffix says which or for what
(``activity_list_for_export``, ``feed_token_get_live``). A selector that returns something
other than the entity's rows is named for what it returns (``charter_diff``,
``charter_pdf_context``, ``legal_reference_is_frozen``).
"""

from members.models import Cluster, Department
from members.selectors import cluster_years_visible_to
from plans.models import Activity, FeedToken, hash_feed_token

# Calendar feeds


def feed_token_get_live(*, token: str) -> FeedToken | None:
    """The live token with this value (looked up by its hash) and its active user, or None."""
    return (
        FeedToken.objects.select_related("user")
        .filter(token_hash=hash_feed_token(token), revoked_at__isnull=True, user__is_active=True)
        .first()
    )


def feed_token_get_live_for_user(*, user) -> FeedToken | None:
    """The user's live feed token, if any."""
    return FeedToken.objects.filter(user=user, revoked_at__isnull=True).first()


def feed_department_list(*, user) -> list[Department]:
    """Departments whose feed the user is offered: the members of the years they read."""
    return list(
        Department.objects.filter(memberships__cluster_year__in=cluster_years_visible_to(user=user))
        .distinct()
        .order_by("sort_key")
    )


def activity_list_for_cluster_feed(*, cluster: Cluster, user=None) -> list[Activity]:
    """Every activity of the cluster for its iCalendar feed: every year, or given a ``user``
    (the feed token's owner) the years they may read."""
    activities = Activity.objects.filter(work_plan__cluster_year__cluster=cluster)
    if user is not None:
        activities = activities.filter(
            work_plan__cluster_year__in=cluster_years_visible_to(user=user)
        )
    return list(
        activities.select_related("host", "work_plan__cluster_year__cluster").order_by(
            "starts_on", "id"
        )
    )


def activity_list_for_department_feed(*, department: Department, user) -> list[Activity]:
    """Activities the department hosts, in the cluster years ``user`` may read."""
    return list(
        Activity.objects.filter(
            host=department,
            work_plan__cluster_year__in=cluster_years_visible_to(user=user),
        )
        .select_related("host", "work_plan__cluster_year__cluster")
        .order_by("starts_on", "id")
    )
