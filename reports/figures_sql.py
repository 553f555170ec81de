"""The overview's figures, counted by the database in two plain SQL statements.

Issue 14: the reviewer overview for 60 clusters must cost at most four times a minimal view
without any cache. The figures were first written with the ORM (correlated ``Subquery``
annotations, ``Count(filter=...)``, a ``Window``): right, but compiling those expressions
cost more CPU than the database spent answering them, and each statement is one more round
trip. The figures are written here as one statement (plus one for the filters' choices),
from the models' own table and column names, in SQL that SQLite and PostgreSQL both run
(CASE inside the aggregates rather than ``FILTER``, ROW_NUMBER() in a subquery, the month of a
date through the backend's own ``date_extract_sql``), with every value passed as a parameter.
The activities are read once (one derived table for their totals, months and the next ones)
and the per-year counts are correlated subqueries on indexed columns: planning the statement
had cost as much as running it.
``tests/reports/test_selectors.py`` checks the figures; run it on both databases.

Used only by ``reports.selectors.overview``; the cluster-year report and the history still
read through the ORM (one cluster at a time).
"""

import datetime
from typing import NamedTuple

from django.db import connection
from django.db.models.base import ModelState
from django.utils import timezone

from agreements.models import Covenant, Signature
from members.models import Cluster, ClusterYear, Membership
from plans.models import Activity, WorkPlan

OPEN_STATUSES = (Activity.Status.PLANNED, Activity.Status.IN_PROGRESS)


def _table(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _column(model, name: str) -> str:
    return connection.ops.quote_name(model._meta.get_field(name).column)


def _loaded(model, db: str, **values):
    """An instance of ``model`` as the ORM leaves one loaded from the database with only
    ``values`` (attribute names) selected: the other fields are deferred and load on first
    use. Built as ``Model.from_db`` ends up (state, then the attributes), without its pass
    over every field for each of the page's 180 instances."""
    instance = model.__new__(model)
    instance._state = ModelState()
    instance._state.adding = False
    instance._state.db = db
    instance.__dict__.update(values)
    return instance


def _aware(value):
    """A datetime column as an aware datetime (SQLite gives it back naive, in UTC)."""
    if value is None or not timezone.is_naive(value):
        return value
    return timezone.make_aware(value, datetime.UTC)


def year_rows(
    *,
    visible_years,
    year: int,
    today: datetime.date,
    coming: int,
    cluster_code: str = "",
    state: str = "",
    none: str = "",
):
    """The cluster years of ``year`` among ``visible_years`` (a queryset), with their cluster
    and covenant as model instances and, counted by the database, the number of members,
    the leader's and deputy's names that year, the covenant's current signatures and
    refusals, the figures of the work plan's activities and its first ``coming`` activities
    to come (``_activity_figures``). ``state`` filters by covenant state (``none``: years
    without a covenant). One query; each row:
    ``(cluster_year, covenant or None, counts, plan figures or None, [activities])``."""
    cy, c, cov = "cy", "c", "cov"
    # Identifiers come from the models' metadata, quoted; every value is a parameter.
    membership = f"{_table(Membership)} m WHERE m.{_column(Membership, 'cluster_year')} = {cy}.id"
    holder = f"SELECT m.{_column(Membership, 'full_name')} FROM {membership}"  # noqa: S608
    holder += f" AND m.{_column(Membership, 'role')} = %s"
    current = (
        f"{_table(Signature)} s WHERE s.{_column(Signature, 'covenant')} = {cov}.id"
        f" AND s.{_column(Signature, 'voided_at')} IS NULL"
        f" AND s.{_column(Signature, 'status')} = %s"
    )
    select = [
        f"{cy}.id",
        f"{cy}.{_column(ClusterYear, 'year')}",
        f"{cy}.{_column(ClusterYear, 'is_illustrative')}",
        f"{c}.id",
        f"{c}.{_column(Cluster, 'code')}",
        f"{c}.{_column(Cluster, 'name')}",
        f"{c}.{_column(Cluster, 'is_illustrative')}",
        f"{cov}.id",
        f"{cov}.{_column(Covenant, 'state')}",
        f"{cov}.{_column(Covenant, 'deadline')}",
        # Correlated subqueries, one index lookup each: cheaper to plan than derived tables.
        f"(SELECT COUNT(*) FROM {membership})",  # noqa: S608
        f"({holder})",
        f"({holder})",
        f"(SELECT COUNT(*) FROM {current})",  # noqa: S608
        f"(SELECT COUNT(*) FROM {current})",  # noqa: S608
    ]
    select_params = [
        Membership.Role.LEADER.value,
        Membership.Role.DEPUTY.value,
        Signature.Status.SIGNED.value,
        Signature.Status.DECLINED.value,
    ]
    figures_sql, figures_params, totals = _activity_figures(year=year, today=today, coming=coming)
    select.append("act.*")
    where = [f"{cy}.{_column(ClusterYear, 'year')} = %s"]
    filter_params = [year]
    if visible_years.query.where:
        # Reviewers and site admins see every year: no semi-join to plan for them.
        visible_sql, visible_params = visible_years.order_by().values("pk").query.sql_with_params()
        where.append(f"{cy}.id IN ({visible_sql})")
        filter_params += visible_params
    if cluster_code:
        where.append(f"{c}.{_column(Cluster, 'code')} = %s")
        filter_params.append(cluster_code)
    if state and state == none:
        where.append(f"{cov}.id IS NULL")
    elif state:
        where.append(f"{cov}.{_column(Covenant, 'state')} = %s")
        filter_params.append(state)
    sql = (
        f"SELECT {', '.join(select)} FROM {_table(ClusterYear)} {cy}"  # noqa: S608
        f" INNER JOIN {_table(Cluster)} {c} ON {c}.id = {cy}.{_column(ClusterYear, 'cluster')}"
        f" LEFT OUTER JOIN {_table(Covenant)} {cov}"
        f" ON {cov}.{_column(Covenant, 'cluster_year')} = {cy}.id"
        f" LEFT OUTER JOIN ({figures_sql}) act ON act.cluster_year_id = {cy}.id"
        f" WHERE {' AND '.join(where)}"
    )
    # In the order the placeholders appear: select list, the derived table, filters.
    with connection.cursor() as cursor:
        cursor.execute(sql, [*select_params, *figures_params, *filter_params])
        fetched = cursor.fetchall()
    db = connection.alias
    rows = []
    # After the 15 columns above: the derived table's cluster year id, its ``totals``
    # figures, then ``coming`` groups of ACTIVITY_COLUMNS.
    first_next = 16 + totals
    width = len(ACTIVITY_COLUMNS)
    for row in fetched:
        pk, cluster_pk, covenant_pk = row[0], row[3], row[7]
        cluster = _loaded(
            Cluster, db, id=cluster_pk, code=row[4], name=row[5], is_illustrative=bool(row[6])
        )
        cluster_year = _loaded(
            ClusterYear,
            db,
            id=pk,
            cluster_id=cluster_pk,
            year=row[1],
            is_illustrative=bool(row[2]),
        )
        cluster_year._state.fields_cache["cluster"] = cluster
        covenant = None
        if covenant_pk is not None:
            covenant = _loaded(
                Covenant,
                db,
                id=covenant_pk,
                cluster_year_id=pk,
                state=row[8],
                deadline=_aware(row[9]),
            )
            covenant._state.fields_cache["cluster_year"] = cluster_year
        plan = None
        activities = []
        if row[15] is not None:  # the plan has activities
            figures = row[16:first_next]
            plan = {
                "progress_sum": int(figures[0]),
                "counted": int(figures[1]),
                "done": int(figures[2]),
                "overdue": int(figures[3]),
                "done_per_month": {
                    month: int(count) for month, count in enumerate(figures[4:], 1) if count
                },
            }
            for start in range(first_next, len(row), width):
                pk_, title, starts_on, ends_on = row[start : start + width]
                if pk_ is None:
                    break
                activities.append(
                    _loaded(
                        Activity,
                        db,
                        id=pk_,
                        title=title,
                        starts_on=_date(starts_on),
                        ends_on=_date(ends_on),
                    )
                )
        rows.append(
            (
                cluster_year,
                covenant,
                {
                    "members": row[10],
                    "leader": row[11],
                    "deputy": row[12],
                    "signed": row[13],
                    "declined": row[14],
                },
                plan,
                activities,
            )
        )
    return rows


# The columns of each coming activity in a row of ``year_rows``.
ACTIVITY_COLUMNS = ("id", "title", "starts_on", "ends_on")


def _activity_figures(*, year: int, today: datetime.date, coming: int) -> tuple[str, list, int]:
    """A derived table with one row per cluster year of ``year`` that has activities: its
    ``cluster_year_id``; the sum and number of the progress figures of the activities that
    are not cancelled, the activities done, those overdue (ended before ``today`` and
    neither done nor cancelled), those done in each month of ``year`` by their end date
    (twelve columns); then, side by side, the first ``coming`` activities that start on or
    after ``today`` and are planned or in progress, in the plan's order (start date, time,
    id), each as ACTIVITY_COLUMNS.

    The activities are read once: the innermost query marks each one (coming or not, the
    month it was done in), a window numbers the coming ones, and one GROUP BY sums it all.
    Its SQL, parameters and number of figure columns (before the activities)."""
    a = {
        name: f"a.{_column(Activity, name)}"
        for name in ("status", "starts_on", "ends_on", "start_time", "progress", "title")
    }
    plan, plan_year = (
        f"a.{_column(Activity, 'work_plan')}",
        f"p.{_column(WorkPlan, 'cluster_year')}",
    )
    done, cancelled = Activity.Status.DONE.value, Activity.Status.CANCELLED.value
    open_statuses = [s.value for s in OPEN_STATUSES]
    month_sql, month_params = connection.ops.date_extract_sql("month", a["ends_on"], ())
    marked = (
        f"SELECT {plan_year} AS cluster_year_id, {plan} AS work_plan_id, a.id AS id,"  # noqa: S608
        f" {a['title']} AS title, {a['starts_on']} AS starts_on, {a['ends_on']} AS ends_on,"
        f" {a['start_time']} AS start_time, {a['status']} AS status,"
        f" {a['progress']} AS progress,"
        f" CASE WHEN {a['starts_on']} >= %s AND {a['status']} IN (%s, %s) THEN 1 ELSE 0 END"
        " AS coming,"
        f" CASE WHEN {a['status']} = %s AND {a['ends_on']} >= %s AND {a['ends_on']} < %s"
        f" THEN {month_sql} END AS done_in"
        f" FROM {_table(Activity)} a INNER JOIN {_table(WorkPlan)} p ON p.id = {plan}"
        f" INNER JOIN {_table(ClusterYear)} y ON y.id = {plan_year}"
        f" WHERE y.{_column(ClusterYear, 'year')} = %s"
    )
    marked_params = [
        today,
        *open_statuses,
        done,
        datetime.date(year, 1, 1),
        datetime.date(year + 1, 1, 1),
        *month_params,
        year,
    ]
    numbered = (
        "SELECT marked.*, ROW_NUMBER() OVER (PARTITION BY work_plan_id, coming"  # noqa: S608
        f" ORDER BY starts_on, start_time, id) AS position_in_plan FROM ({marked}) marked"
    )
    select = [
        "SUM(CASE WHEN status <> %s THEN progress ELSE 0 END)",
        "COUNT(CASE WHEN status <> %s THEN 1 END)",
        "COUNT(CASE WHEN status = %s THEN 1 END)",
        "COUNT(CASE WHEN ends_on < %s AND status IN (%s, %s) THEN 1 END)",
        *[f"COUNT(CASE WHEN done_in = {int(month)} THEN 1 END)" for month in range(1, 13)],
    ]
    params = [cancelled, cancelled, done, today, *open_statuses]
    totals = len(select)
    select += [
        f"MAX(CASE WHEN coming = 1 AND position_in_plan = {int(position)} THEN {column} END)"
        for position in range(1, coming + 1)
        for column in ACTIVITY_COLUMNS
    ]
    columns = ", ".join(f"{expression} AS f{n}" for n, expression in enumerate(select))
    sql = (
        f"SELECT cluster_year_id, {columns}"  # noqa: S608
        f" FROM ({numbered}) numbered GROUP BY cluster_year_id"
    )
    return sql, [*params, *marked_params], totals


def _date(value):
    # SQLite gives dates computed in a subquery back as text.
    return datetime.date.fromisoformat(value) if isinstance(value, str) else value


def _time(value):
    return datetime.time.fromisoformat(value) if isinstance(value, str) else value


class ClusterChoice(NamedTuple):
    """A cluster as the overview's filter offers it."""

    code: str
    name: str


def filter_choices(*, visible_years, visible_clusters) -> tuple[list[int], list[ClusterChoice]]:
    """The years the user sees (newest first) and the clusters they see (by name, with code
    and name only), for the overview's filters. One query."""
    years_sql, years_params = (
        visible_years.order_by().values("year").distinct().query.sql_with_params()
    )
    clusters_sql, clusters_params = (
        visible_clusters.order_by().values("id", "code", "name").query.sql_with_params()
    )
    sql = (
        "SELECT 0, y.year, NULL, NULL, NULL"  # noqa: S608
        f" FROM ({years_sql}) y"
        " UNION ALL SELECT 1, NULL, c.id, c.code, c.name"
        f" FROM ({clusters_sql}) c"
        " ORDER BY 1, 2 DESC, 5"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*years_params, *clusters_params])
        fetched = cursor.fetchall()
    years = [year for kind, year, _pk, _code, _name in fetched if kind == 0]
    clusters = [ClusterChoice(code, name) for kind, _year, _pk, code, name in fetched if kind == 1]
    return years, clusters
