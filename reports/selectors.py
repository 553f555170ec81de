"""Reads for the reports, already scoped to what the user may see.

Reviewers and site admins see every cluster; the secretariat and members see their own
clusters (``members.selectors.clusters_visible_to``). Every selector costs a fixed number of
queries whatever the number of clusters, years, departments or activities: related rows come
with ``select_related``/``prefetch_related`` and signatures are counted by the database.

Naming (as in every app's ``selectors.py``, see ``members.selectors``): ``<entity>_get(*,
keys)`` loads one object by its URL keys and raises ``DoesNotExist``; plural names return
several; ``<entity>_<what>`` computes one thing about an entity.
"""

import datetime
import hashlib
from collections import Counter
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Count, Prefetch, Q, Subquery
from django.utils import timezone
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from agreements.models import Covenant, Signature
from agreements.selectors import Board, covenant_board
from cluster_portal.models import AuditEvent
from members import permissions
from members.models import Cluster, ClusterYear, Department, Membership, User
from members.selectors import (
    MembershipRow,
    cluster_years_visible_to,
    clusters_visible_to,
    department_record,
    fold,
    membership_table,
)
from plans.models import Activity, Attachment, Attendee, WorkPlan, rolled_up_progress
from reports.charts import BarChart, bar_chart

NO_COVENANT = "none"
NEXT_ACTIVITIES = 3


def _memberships(path: str = "") -> Prefetch:
    return Prefetch(
        f"{path}memberships",
        queryset=Membership.objects.select_related("department__successor").order_by("sort_key"),
    )


def _activities(path: str = "work_plan__") -> Prefetch:
    return Prefetch(
        f"{path}activities",
        queryset=Activity.objects.select_related("host").order_by("starts_on", "start_time", "id"),
    )


def _years_with_everything():
    """Cluster years with cluster, covenant (and its issued PDF), plan, activities, members."""
    return ClusterYear.objects.select_related(
        "cluster", "covenant", "covenant__document", "work_plan"
    ).prefetch_related(_memberships(), _activities())


def _signature_counts(cluster_year_ids) -> dict[int, dict[str, int]]:
    """Current (not voided) responses per covenant's cluster year: one query."""
    counts = (
        Signature.objects.filter(covenant__cluster_year_id__in=cluster_year_ids, voided_at=None)
        .values("covenant__cluster_year_id")
        .annotate(
            signed=Count("id", filter=Q(status=Signature.Status.SIGNED)),
            declined=Count("id", filter=Q(status=Signature.Status.DECLINED)),
        )
    )
    return {
        row["covenant__cluster_year_id"]: {"signed": row["signed"], "declined": row["declined"]}
        for row in counts
    }


def _covenant_of(cluster_year: ClusterYear) -> Covenant | None:
    covenant = getattr(cluster_year, "covenant", None)
    if covenant is not None:
        covenant.cluster_year = cluster_year  # memberships already loaded
    return covenant


def _work_plan_of(cluster_year: ClusterYear):
    return getattr(cluster_year, "work_plan", None)


def _is_overdue(activity: Activity, today: datetime.date) -> bool:
    return activity.ends_on < today and activity.status in (
        Activity.Status.PLANNED,
        Activity.Status.IN_PROGRESS,
    )


@dataclass
class YearFigures:
    """What the overview and the history show for one cluster year."""

    cluster_year: ClusterYear
    covenant: Covenant | None
    signed: int
    declined: int
    members: int
    plan_progress: int | None
    activities: list = field(default_factory=list)
    next_activities: list = field(default_factory=list)
    overdue: list = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def cluster(self) -> Cluster:
        return self.cluster_year.cluster

    @property
    def leader(self):
        return self.cluster_year.leader

    @property
    def deputy(self):
        return self.cluster_year.deputy

    @property
    def covenant_state(self) -> str:
        return self.covenant.state if self.covenant else NO_COVENANT

    @property
    def covenant_state_label(self) -> str:
        return self.covenant.get_state_display() if self.covenant else _("No covenant")

    @property
    def share_signed(self) -> int:
        """Percentage of the year's members that signed, rounded down."""
        return (100 * self.signed // self.members) if self.members else 0

    @property
    def completed_activities(self) -> int:
        return sum(a.status == Activity.Status.DONE for a in self.activities)


def _figures(cluster_year: ClusterYear, counts: dict, today: datetime.date) -> YearFigures:
    covenant = _covenant_of(cluster_year)
    plan = _work_plan_of(cluster_year)
    activities = list(plan.activities.all()) if plan else []
    members = len(cluster_year.memberships.all())
    mine = counts.get(cluster_year.pk, {})
    figures = YearFigures(
        cluster_year=cluster_year,
        covenant=covenant,
        signed=mine.get("signed", 0) if covenant else 0,
        declined=mine.get("declined", 0) if covenant else 0,
        members=members,
        plan_progress=rolled_up_progress(activities) if plan else None,
        activities=activities,
        next_activities=[
            a
            for a in activities
            if a.starts_on >= today
            and a.status in (Activity.Status.PLANNED, Activity.Status.IN_PROGRESS)
        ][:NEXT_ACTIVITIES],
        overdue=[a for a in activities if _is_overdue(a, today)],
    )
    if (
        covenant is not None
        and covenant.state == Covenant.State.OPEN
        and covenant.deadline is not None
        and covenant.deadline < timezone.now()
        and figures.signed < members
    ):
        figures.warnings.append(
            _("Signing deadline passed: %(missing)s of %(total)s members have not signed.")
            % {"missing": members - figures.signed, "total": members}
        )
    if figures.overdue:
        count = len(figures.overdue)
        figures.warnings.append(
            ngettext("%(count)s activity overdue.", "%(count)s activities overdue.", count)
            % {"count": count}
        )
    return figures


# Overview


@dataclass
class Overview:
    year: int | None
    years: list[int]
    clusters: list[Cluster]
    rows: list[YearFigures]
    signing_chart: BarChart
    progress_chart: BarChart
    monthly_chart: BarChart


def _matches(figures: YearFigures, needle: str) -> bool:
    cluster = figures.cluster_year.cluster
    haystack = [cluster.name, cluster.code]
    for membership in figures.cluster_year.memberships.all():
        haystack += [membership.full_name, membership.short_name, membership.department.province]
    return needle in fold(" ".join(haystack))


def overview(
    *,
    user,
    year: int | None = None,
    cluster_code: str = "",
    state: str = "",
    query: str = "",
    today: datetime.date | None = None,
) -> Overview:
    """Every cluster the user sees in ``year``, with leadership, covenant, plan and warnings.

    ``year`` defaults to this year if any visible cluster has it, else the latest earlier
    year, else the latest. ``state`` is a covenant state or ``"none"``; ``query`` matches
    cluster and member names ignoring case and diacritics (in Python over the clusters of
    one year, so SQLite and PostgreSQL behave the same). Five queries.
    """
    today = today or timezone.localdate()
    visible = clusters_visible_to(user=user)
    # A member reads the years its department is a member of, not its cluster's other years.
    visible_years = cluster_years_visible_to(user=user)
    years = sorted(set(visible_years.values_list("year", flat=True)), reverse=True)
    if year is None and years:
        past = [y for y in years if y <= today.year]
        year = past[0] if past else years[0]
    cluster_years = _years_with_everything().filter(pk__in=visible_years, year=year)
    if cluster_code:
        cluster_years = cluster_years.filter(cluster__code=cluster_code)
    # Sorted in Python: SQLite and PostgreSQL collate Vietnamese differently.
    cluster_years = sorted(cluster_years, key=lambda cy: fold(cy.cluster.name))
    counts = _signature_counts([cy.pk for cy in cluster_years])
    rows = [_figures(cy, counts, today) for cy in cluster_years]
    if state:
        rows = [r for r in rows if r.covenant_state == state]
    needle = fold(query.strip())
    if needle:
        rows = [r for r in rows if _matches(r, needle)]
    return Overview(
        year=year,
        years=years,
        clusters=list(visible.order_by("name")),
        rows=rows,
        signing_chart=signing_chart(rows),
        progress_chart=progress_chart(rows),
        monthly_chart=monthly_chart(rows, year=year),
    )


def signing_chart(rows: list[YearFigures]) -> BarChart:
    return bar_chart(
        _("Covenant signatures per cluster (% of members)"),
        [(r.cluster.name, r.share_signed, f"{r.signed}/{r.members}") for r in rows],
        maximum=100,
    )


def progress_chart(rows: list[YearFigures]) -> BarChart:
    return bar_chart(
        _("Work plan progress per cluster (%)"),
        [
            (
                r.cluster.name,
                r.plan_progress or 0,
                f"{r.plan_progress}%" if r.plan_progress is not None else "—",
            )
            for r in rows
        ],
        maximum=100,
    )


def monthly_chart(rows: list[YearFigures], *, year: int | None) -> BarChart:
    """Activities done per month of ``year`` (by their end date), over the given rows."""
    done = Counter(
        a.ends_on.month
        for r in rows
        for a in r.activities
        if a.status == Activity.Status.DONE and a.ends_on.year == year
    )
    return bar_chart(
        _("Activities completed per month"),
        [(f"{month:02d}/{year}", done[month], str(done[month])) for month in range(1, 13)],
    )


# The overview's cache key: the rendered overview is cached (see the view) under a key that
# changes whenever what it shows may have changed, so nothing needs invalidating and several
# app servers compute the same key.
_FINGERPRINTED = (
    AuditEvent,  # every service writes one: edits, signatures voided, leadership changes
    Cluster,
    ClusterYear,
    Membership,
    Department,
    Covenant,
    Signature,
    WorkPlan,
    Activity,
    User.administered_clusters.through,
)


def _fingerprint_sql() -> str:
    """One SELECT of the highest id of every table the overview reads (primary key indexes:
    cheap whatever the size)."""
    parts = []
    for model in _FINGERPRINTED:
        # Identifiers from the models' metadata, quoted: no user input reaches this SQL.
        table = connection.ops.quote_name(model._meta.db_table)
        parts.append(f"(SELECT MAX(id) FROM {table})")  # noqa: S608
    return "SELECT " + ", ".join(parts)


def overview_cache_key(*, user, year, cluster_code, state, query, now=None) -> str:
    """The cache key of the overview this user gets with these filters (one query).

    It covers the user's scope (every cluster, or this user's), the filters, the language,
    the current minute and a fingerprint of the data: the latest row of every table read,
    including the audit trail, which every service writes to. So a change made through the
    portal shows at once; one made around the services (Django admin, shell) and any
    deadline passing show within the minute.
    """
    now = now or timezone.now()
    with connection.cursor() as cursor:
        cursor.execute(_fingerprint_sql())
        fingerprint = cursor.fetchone()
    scope = (
        "all"
        if permissions.is_site_admin(user) or permissions.is_reviewer(user)
        else f"user-{user.pk}"
    )
    raw = repr(
        (
            scope,
            year,
            cluster_code,
            state,
            fold(query.strip()),
            get_language(),
            timezone.localtime(now).strftime("%Y%m%d%H%M"),
            fingerprint,
        )
    )
    return "reports:overview:" + hashlib.sha256(raw.encode()).hexdigest()


# Cluster-year report


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


# History


@dataclass
class ClusterHistory:
    cluster: Cluster
    years: list[YearFigures]
    rows: list[MembershipRow]


def cluster_history(*, cluster: Cluster, user=None, today=None) -> ClusterHistory:
    """A cluster's years, oldest first: leaders, deputies, members, covenant and plan, and
    the departments × years membership table. Given a ``user``, only the years they may
    read. Five queries."""
    today = today or timezone.localdate()
    years = _years_with_everything().filter(cluster=cluster)
    if user is not None:
        years = years.filter(pk__in=cluster_years_visible_to(user=user))
    years = list(years.order_by("year"))
    counts = _signature_counts([cy.pk for cy in years])
    return ClusterHistory(
        cluster=cluster,
        years=[_figures(cy, counts, today) for cy in years],
        rows=membership_table(years=years),
    )


@dataclass
class DepartmentYear:
    membership: Membership
    signature: Signature | None


def department_history(*, department: Department, user) -> list[DepartmentYear]:
    """A department's memberships across years in the years the user reads, newest first,
    with its response to each year's covenant. Two queries."""
    record = department_record(department=department, user=user)
    signatures = {
        s.covenant.cluster_year_id: s
        for s in Signature.objects.filter(
            department=department,
            voided_at=None,
            covenant__cluster_year_id__in=[m.cluster_year_id for m in record],
        ).select_related("covenant")
    }
    return [DepartmentYear(m, signatures.get(m.cluster_year_id)) for m in record]


def department_get(*, code: str) -> Department:
    """The department with its successor and predecessors; raises DoesNotExist."""
    return (
        Department.objects.select_related("successor")
        .prefetch_related("predecessors")
        .get(code=code)
    )
