"""The report of one cluster year: its figures, membership changes and activities."""

from dataclasses import dataclass

from django.db.models import Prefetch, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from agreements.models import Covenant
from agreements.selectors import Board, covenant_board
from members.models import ClusterYear, Department, Membership
from plans.models import Activity, Attachment, Attendee
from reports.selectors.common import (
    YearFigures,
    _figures,
    _signature_counts,
    _work_plan_of,
    _years_with_everything,
)


@dataclass(frozen=True)
class MembershipChange:
    """A difference between a year's members and the previous year's."""

    kind: str  # joined, left, merged
    department: Department
    successor: Department | None = None

    @property
    def label(self) -> str:
        return {
            "joined": _("Joined"),
            "left": _("Left"),
            "merged": _("Merged"),
        }[self.kind]


def _previous_year(cluster_year: ClusterYear) -> ClusterYear | None:
    """The cluster's latest earlier year with its memberships: one query, found or not."""
    latest_earlier = (
        ClusterYear.objects.filter(cluster_id=cluster_year.cluster_id, year__lt=cluster_year.year)
        .order_by("-year")
        .values("year")[:1]
    )
    memberships = list(
        Membership.objects.filter(
            cluster_year__cluster_id=cluster_year.cluster_id,
            cluster_year__year=Subquery(latest_earlier),
        )
        .select_related("cluster_year", "department__successor")
        .order_by("sort_key")
    )
    if not memberships:
        return None
    previous = memberships[0].cluster_year
    previous._prefetched_objects_cache = {"memberships": memberships}
    return previous


def membership_changes(
    previous: ClusterYear | None, current: ClusterYear
) -> list[MembershipChange]:
    """Who joined and who left since ``previous``; a department that left because it merged
    into another is shown as a merger, and its successor is not counted as joining."""
    if previous is None:
        return []
    before = {m.department_id: m.department for m in previous.memberships.all()}
    now = {m.department_id: m.department for m in current.memberships.all()}
    changes = []
    took_over = set()
    for pk, department in sorted(before.items(), key=lambda item: item[1].sort_key):
        if pk in now:
            continue
        if department.successor_id is not None:
            changes.append(MembershipChange("merged", department, department.successor))
            took_over.add(department.successor_id)
        else:
            changes.append(MembershipChange("left", department))
    for pk, department in sorted(now.items(), key=lambda item: item[1].sort_key):
        if pk not in before and pk not in took_over:
            changes.append(MembershipChange("joined", department))
    return changes


@dataclass
class ClusterYearReport:
    figures: YearFigures
    board: Board | None
    activities: list[Activity]
    conferences: list[Activity]
    documents: list
    previous: ClusterYear | None
    changes: list[MembershipChange]

    @property
    def cluster_year(self) -> ClusterYear:
        return self.figures.cluster_year

    @property
    def covenant(self) -> Covenant | None:
        return self.figures.covenant


def cluster_year_get(*, code: str, year: int) -> ClusterYear:
    """The cluster year with everything its report shows; raises DoesNotExist (3 queries)."""
    return _years_with_everything().get(cluster__code=code, year=year)


def cluster_year_report(*, cluster_year: ClusterYear, today=None) -> ClusterYearReport:
    """The report of a cluster year loaded by ``cluster_year_get``: covenant and its
    signatories, activities with outcomes, conferences with attendees and minutes, issued
    documents, membership changes against the previous year. Eight more queries."""
    today = today or timezone.localdate()
    counts = _signature_counts([cluster_year.pk])
    figures = _figures(cluster_year, counts, today)
    covenant = figures.covenant
    board = covenant_board(covenant=covenant) if covenant is not None else None
    plan = _work_plan_of(cluster_year)
    activities = []
    if plan is not None:
        activities = list(
            plan.activities.select_related("host")
            .prefetch_related(
                Prefetch(
                    "attendees",
                    queryset=Attendee.objects.select_related("department").order_by(
                        "-is_chair", "kind", "department__sort_key", "id"
                    ),
                ),
                Prefetch("attachments", queryset=Attachment.objects.order_by("created_at")),
            )
            .order_by("starts_on", "start_time", "id")
        )
    previous = _previous_year(cluster_year)
    documents = []
    if covenant is not None and getattr(covenant, "document", None) is not None:
        documents.append(covenant.document)
    return ClusterYearReport(
        figures=figures,
        board=board,
        activities=activities,
        conferences=[a for a in activities if a.is_conference],
        documents=documents,
        previous=previous,
        changes=membership_changes(previous, cluster_year),
    )
