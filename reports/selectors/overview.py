"""The reviewer overview: every cluster of a year with its figures, charts and cache key."""

import datetime
import hashlib
from collections import Counter
from dataclasses import dataclass

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from agreements.models import Covenant
from cluster_portal.charts import BarChart, bar_chart
from members import permissions
from members.models import Membership
from members.selectors import (
    cluster_years_visible_to,
    clusters_visible_to,
    fold,
)
from reports import figures_sql
from reports.selectors.common import (
    NEXT_ACTIVITIES,
    NO_COVENANT,
    RoleHolder,
    YearFigures,
    _add_warnings,
    _WarningTexts,
)


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
            # Rounded half up in integers: the mean of the progress figures, as
            # ``plans.models.rolled_up_progress`` rounds it, without a Decimal per row.
            plan_progress=(
                (2 * plan["progress_sum"] + plan["counted"]) // (2 * plan["counted"])
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
