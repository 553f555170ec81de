"""What the reports' selectors share: the loading of cluster years with what they show, and
the figures and warnings of one year."""

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from agreements.models import Covenant, Signature
from members.models import Cluster, ClusterYear, Membership
from plans.models import Activity, rolled_up_progress

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


@dataclass(frozen=True)
class RoleHolder:
    """What the overview shows of a leader or deputy: the department's name that year."""

    full_name: str
