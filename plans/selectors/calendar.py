"""Reads for the cluster calendar: month grids and their filters.

Naming (every plans selectors module): ``<entity>_get(*, ...)`` returns one row with what
its page needs (raises ``<Model>.DoesNotExist``); ``<entity>_list(*, ...)`` returns rows, a
list or a queryset; a qualifier after the suffix says which or for what
(``activity_list_for_export``, ``feed_token_get_live``). A selector that returns something
other than the entity's rows is named for what it returns (``charter_diff``,
``charter_pdf_context``, ``legal_reference_is_frozen``).
"""

import calendar
import datetime
from dataclasses import dataclass, field

from django.db.models import QuerySet
from django.utils import timezone

from members.models import Cluster, Department
from members.selectors import cluster_years_visible_to
from plans.models import Activity

# Calendar


@dataclass
class CalendarDay:
    day: datetime.date
    in_month: bool
    is_today: bool
    activities: list = field(default_factory=list)


@dataclass
class CalendarMonth:
    """A month grid, Monday first, with the activities on each day they run."""

    year: int
    month: int
    weeks: list[list[CalendarDay]]
    activities: list[Activity]
    previous: datetime.date
    next: datetime.date

    @property
    def first_day(self) -> datetime.date:
        return datetime.date(self.year, self.month, 1)


def calendar_month_get(
    *,
    cluster: Cluster,
    year: int,
    month: int,
    department: Department | None = None,
    today: datetime.date | None = None,
    user=None,
) -> CalendarMonth:
    """The cluster's activities in a month (optionally only those a department hosts), in
    one query whatever their number. Given a ``user``, only the activities of the years
    they may read (a department that left sees nothing of later years)."""
    today = today or timezone.localdate()
    first = datetime.date(year, month, 1)
    last = datetime.date(year, month, calendar.monthrange(year, month)[1])
    grid_start = first - datetime.timedelta(days=first.weekday())
    grid_end = last + datetime.timedelta(days=6 - last.weekday())
    activities = (
        Activity.objects.filter(
            work_plan__cluster_year__cluster=cluster,
            starts_on__lte=grid_end,
            ends_on__gte=grid_start,
        )
        .select_related("host", "work_plan__cluster_year")
        .order_by("starts_on", "start_time", "id")
    )
    if department is not None:
        activities = activities.filter(host=department)
    if user is not None:
        activities = activities.filter(
            work_plan__cluster_year__in=cluster_years_visible_to(user=user)
        )
    activities = list(activities)
    days = []
    current = grid_start
    while current <= grid_end:
        days.append(
            CalendarDay(
                day=current,
                in_month=current.month == month,
                is_today=current == today,
                activities=[a for a in activities if a.starts_on <= current <= a.ends_on],
            )
        )
        current += datetime.timedelta(days=1)
    weeks = [days[i : i + 7] for i in range(0, len(days), 7)]
    previous = (first - datetime.timedelta(days=1)).replace(day=1)
    following = last + datetime.timedelta(days=1)
    in_month = [a for a in activities if a.starts_on <= last and a.ends_on >= first]
    return CalendarMonth(year, month, weeks, in_month, previous, following)


def calendar_department_list(*, cluster: Cluster, year: int) -> QuerySet[Department]:
    """Departments that are members of the cluster in ``year``: the calendar's filter."""
    return Department.objects.filter(
        memberships__cluster_year__cluster=cluster, memberships__cluster_year__year=year
    ).order_by("sort_key")


def calendar_month_get_default(*, user, today: datetime.date | None = None):
    """Where the Calendar link takes the user: (cluster, year, month) or None.

    The user's current cluster year; this month if it is this year, otherwise the month
    of that year's first activity (January if it has none).
    """
    from members.selectors import current_cluster_years_for

    today = today or timezone.localdate()
    years = current_cluster_years_for(user=user, today=today)
    if not years:
        return None
    cluster_year = sorted(years, key=lambda cy: cy.cluster.name)[0]
    if cluster_year.year == today.year:
        return cluster_year.cluster, today.year, today.month
    first = (
        Activity.objects.filter(work_plan__cluster_year=cluster_year)
        .order_by("starts_on")
        .values_list("starts_on", flat=True)
        .first()
    )
    month = first.month if first and first.year == cluster_year.year else 1
    return cluster_year.cluster, cluster_year.year, month
