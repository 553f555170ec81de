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
from decimal import Decimal

from django.db.models import Count, Prefetch, Q, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from agreements.models import Covenant, Signature
from agreements.selectors import Board, covenant_board
from cluster_portal.charts import BarChart, bar_chart
from members import permissions
from members.models import Cluster, ClusterYear, Department, Membership
from members.selectors import (
    MembershipRow,
    cluster_years_visible_to,
    clusters_visible_to,
    department_record,
    fold,
    membership_table,
)
from plans.models import Activity, Attachment, Attendee, rolled_up_progress
from reports import figures_sql

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


@dataclass(slots=True)
class YearFigures:
    """What the overview and the history show for one cluster year."""

    cluster_year: ClusterYear
    covenant: Covenant | None
    signed: int
    declined: int
    members: int
    plan_progress: int | None
    leader: "Membership | RoleHolder | None" = None
    deputy: "Membership | RoleHolder | None" = None
    activities: list = field(default_factory=list)
    next_activities: list = field(default_factory=list)
    overdue: list = field(default_factory=list)
    overdue_count: int = 0
    completed_activities: int = 0
    # Activities done per month (by end date) of the overview's year: {month: count}.
    done_per_month: dict[int, int] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    report_url: str = ""
    history_url: str = ""

    @property
    def cluster(self) -> Cluster:
        return self.cluster_year.cluster

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


def _figures(cluster_year: ClusterYear, counts: dict, today: datetime.date) -> YearFigures:
    covenant = _covenant_of(cluster_year)
    plan = _work_plan_of(cluster_year)
    activities = list(plan.activities.all()) if plan else []
    members = len(cluster_year.memberships.all())
    mine = counts.get(cluster_year.pk, {})
    overdue = [a for a in activities if _is_overdue(a, today)]
    figures = YearFigures(
        cluster_year=cluster_year,
        covenant=covenant,
        signed=mine.get("signed", 0) if covenant else 0,
        declined=mine.get("declined", 0) if covenant else 0,
        members=members,
        plan_progress=rolled_up_progress(activities) if plan else None,
        leader=cluster_year.leader,
        deputy=cluster_year.deputy,
        activities=activities,
        next_activities=[
            a
            for a in activities
            if a.starts_on >= today
            and a.status in (Activity.Status.PLANNED, Activity.Status.IN_PROGRESS)
        ][:NEXT_ACTIVITIES],
        overdue=overdue,
        overdue_count=len(overdue),
        completed_activities=sum(a.status == Activity.Status.DONE for a in activities),
    )
    _add_warnings(figures)
    return figures


class _WarningTexts:
    """The warnings' wording in the active language, translated once per page rather than
    once per row (each translation lookup goes through a context-local, which adds up over
    60 clusters)."""

    def __init__(self):
        self.deadline = _(
            "Signing deadline passed: %(missing)s of %(total)s members have not signed."
        )
        self._overdue: dict[int, str] = {}

    def overdue(self, count: int) -> str:
        if count not in self._overdue:
            self._overdue[count] = ngettext(
                "%(count)s activity overdue.", "%(count)s activities overdue.", count
            ) % {"count": count}
        return self._overdue[count]


def _add_warnings(
    figures: YearFigures,
    now: datetime.datetime | None = None,
    texts: _WarningTexts | None = None,
) -> None:
    texts = texts or _WarningTexts()
    covenant, members = figures.covenant, figures.members
    if (
        covenant is not None
        and covenant.state == Covenant.State.OPEN
        and covenant.deadline is not None
        and covenant.deadline < (now or timezone.now())
        and figures.signed < members
    ):
        figures.warnings.append(
            texts.deadline % {"missing": members - figures.signed, "total": members}
        )
    if figures.overdue_count:
        figures.warnings.append(texts.overdue(figures.overdue_count))


# Overview


@dataclass
class Overview:
    year: int | None
    years: list[int]
    clusters: list  # figures_sql.ClusterChoice: code and name
    rows: list[YearFigures]
    signing_chart: BarChart
    progress_chart: BarChart
    monthly_chart: BarChart
    # When the page stops being true by itself: the next signing deadline of an open covenant
    # shown (its warning appears then). None when only a write can change it.
    valid_until: datetime.datetime | None = None


@dataclass(frozen=True)
class RoleHolder:
    """What the overview shows of a leader or deputy: the department's name that year."""

    full_name: str


def _url_maker(name: str, **placeholders):
    """A function building ``name``'s URL from keyword values, reversing once: 120 calls of
    ``reverse`` cost more than the rest of the overview's table."""
    sample = reverse(name, kwargs=placeholders)

    def make(**values) -> str:
        url = sample
        for key, placeholder in placeholders.items():
            url = url.replace(str(placeholder), str(values[key]), 1)
        return url

    return make


def _search_texts(ids) -> dict[int, str]:
    """Cluster and member names of each cluster year, folded, for the search. One query."""
    texts: dict[int, list[str]] = {}
    for cluster_year_id, full_name, short_name, province in Membership.objects.filter(
        cluster_year_id__in=ids
    ).values_list("cluster_year_id", "full_name", "short_name", "department__province"):
        texts.setdefault(cluster_year_id, []).extend((full_name, short_name, province))
    return {pk: fold(" ".join(parts)) for pk, parts in texts.items()}


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
    one year, so SQLite and PostgreSQL behave the same).

    The figures are counted and summed by the database (``reports.figures_sql``): no
    activity or membership is loaded beyond the next activities shown. Two queries, three
    with a search, whatever the number of clusters, years, members and activities.
    """
    today = today or timezone.localdate()
    visible = clusters_visible_to(user=user)
    # A member reads the years its department is a member of, not its cluster's other years.
    visible_years = cluster_years_visible_to(user=user)
    years, clusters = figures_sql.filter_choices(
        visible_years=visible_years, visible_clusters=visible
    )
    if year is None and years:
        past = [y for y in years if y <= today.year]
        year = past[0] if past else years[0]
    found = figures_sql.year_rows(
        visible_years=visible_years,
        year=year,
        today=today,
        coming=NEXT_ACTIVITIES,
        cluster_code=cluster_code,
        state=state,
        none=NO_COVENANT,
    )
    needle = fold(query.strip())
    if needle:
        texts = _search_texts([item[0].pk for item in found])
        found = [
            item
            for item in found
            if needle
            in fold(f"{item[0].cluster.name} {item[0].cluster.code}")
            + " "
            + texts.get(item[0].pk, "")
        ]
    # Sorted in Python: SQLite and PostgreSQL collate Vietnamese differently.
    found.sort(key=lambda item: fold(item[0].cluster.name))
    report_url = _url_maker("reports:clusteryear-report", code="cluster-code", year=987654321)
    history_url = _url_maker("reports:cluster-history", code="cluster-code")
    rows = []
    now = timezone.now()
    texts = _WarningTexts()
    valid_until = None
    for cluster_year, covenant, counts, plan, coming in found:
        code = cluster_year.cluster.code
        figures = YearFigures(
            cluster_year=cluster_year,
            covenant=covenant,
            signed=counts["signed"] if covenant else 0,
            declined=counts["declined"] if covenant else 0,
            members=counts["members"],
            plan_progress=(
                int(Decimal(plan["progress_sum"]) / plan["counted"] + Decimal("0.5"))
                if plan and plan["counted"]
                else None
            ),
            leader=RoleHolder(counts["leader"]) if counts["leader"] else None,
            deputy=RoleHolder(counts["deputy"]) if counts["deputy"] else None,
            next_activities=coming,
            overdue_count=plan["overdue"] if plan else 0,
            completed_activities=plan["done"] if plan else 0,
            done_per_month=plan["done_per_month"] if plan else {},
            report_url=report_url(code=code, year=cluster_year.year),
            history_url=history_url(code=code),
        )
        _add_warnings(figures, now, texts)
        rows.append(figures)
        if (
            covenant is not None
            and covenant.state == Covenant.State.OPEN
            and covenant.deadline is not None
            and covenant.deadline >= now
        ):
            valid_until = min(valid_until or covenant.deadline, covenant.deadline)
    return Overview(
        year=year,
        years=years,
        clusters=clusters,
        rows=rows,
        signing_chart=signing_chart(rows),
        progress_chart=progress_chart(rows),
        monthly_chart=monthly_chart(rows, year=year),
        valid_until=valid_until,
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
    done = Counter()
    for r in rows:
        done.update(r.done_per_month)
    return bar_chart(
        _("Activities completed per month"),
        [(f"{month:02d}/{year}", done[month], str(done[month])) for month in range(1, 13)],
    )


def overview_cache_key(*, user, version: str, year, cluster_code, state, query, today=None):
    """The cache key of the overview this user gets with these filters (no query).

    It covers the user's scope (every cluster, or this user's), the filters, the language,
    the day (next activities and overdue ones follow the date) and the data's version
    (``cluster_portal.cache.data_version``), which every write replaces: a cached page is
    never out of date, and two data sets never share a key.
    """
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
            (today or timezone.localdate()).isoformat(),
            version,
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
