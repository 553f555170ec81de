"""The overview's figures, counted by the database in three plain SQL statements.

Issue 14: the reviewer overview for 60 clusters must cost at most four times a minimal view
without any cache. The figures were first written with the ORM (correlated ``Subquery``
annotations, ``Count(filter=...)``, a ``Window``): right, but compiling those expressions
cost more CPU than the database spent answering them, and each statement is one more round
trip. The figures are written here as one statement (plus one for the filters' choices),
from the models' own table and column names, in SQL that SQLite and PostgreSQL both run
(CASE inside the aggregates rather than ``FILTER``, ROW_NUMBER() in a subquery, no vendor
function), with every value passed as a parameter.
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
    refusals, the figures of the work plan's activities (``_activity_totals``) and its
    first ``coming`` activities to come (``_coming_activities``). ``state`` filters by
    covenant state (``none``: years without a covenant). One query; each row:
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
    visible_sql, visible_params = visible_years.order_by().values("pk").query.sql_with_params()
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
        f"(SELECT COUNT(*) FROM {membership})",  # noqa: S608
        f"({holder})",
        f"({holder})",
        f"(SELECT COUNT(*) FROM {current})",  # noqa: S608
        f"(SELECT COUNT(*) FROM {current})",  # noqa: S608
    ]
    params = [
        Membership.Role.LEADER.value,
        Membership.Role.DEPUTY.value,
        Signature.Status.SIGNED.value,
        Signature.Status.DECLINED.value,
    ]
    totals_sql, totals_params, totals = _activity_totals(year=year, today=today)
    select += [f"act.f{n}" for n in range(totals)]
    params += totals_params
    coming_sql, coming_params = _coming_activities(year=year, today=today)
    # One row per cluster year with its first ``coming`` activities side by side: one more
    # relation for the planner rather than one per position.
    spread = ", ".join(
        f"MAX(CASE WHEN position_in_plan = {int(position)} THEN {column} END)"
        f" AS n{int(position)}_{column}"
        for position in range(1, coming + 1)
        for column in ACTIVITY_COLUMNS
    )
    select += [
        f"nx.n{int(position)}_{column}"
        for position in range(1, coming + 1)
        for column in ACTIVITY_COLUMNS
    ]
    where = [f"{cy}.{_column(ClusterYear, 'year')} = %s", f"{cy}.id IN ({visible_sql})"]
    params += [year, *visible_params]
    if cluster_code:
        where.append(f"{c}.{_column(Cluster, 'code')} = %s")
        params.append(cluster_code)
    if state and state == none:
        where.append(f"{cov}.id IS NULL")
    elif state:
        where.append(f"{cov}.{_column(Covenant, 'state')} = %s")
        params.append(state)
    sql = (
        f"SELECT {', '.join(select)} FROM {_table(ClusterYear)} {cy}"  # noqa: S608
        f" INNER JOIN {_table(Cluster)} {c} ON {c}.id = {cy}.{_column(ClusterYear, 'cluster')}"
        f" LEFT OUTER JOIN {_table(Covenant)} {cov}"
        f" ON {cov}.{_column(Covenant, 'cluster_year')} = {cy}.id"
        f" LEFT OUTER JOIN ({totals_sql}) act ON act.cluster_year_id = {cy}.id"
        f" LEFT OUTER JOIN (SELECT cluster_year_id, {spread} FROM ({coming_sql}) ranked"
        f" WHERE position_in_plan <= %s GROUP BY cluster_year_id) nx"
        f" ON nx.cluster_year_id = {cy}.id"
        f" WHERE {' AND '.join(where)}"
    )
    # In the order the placeholders appear: select list, the two derived tables, filters.
    select_params, filter_params = params[:4], params[4 + len(totals_params) :]
    params = [*select_params, *totals_params, *coming_params, coming, *filter_params]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        fetched = cursor.fetchall()
    db = connection.alias
    rows = []
    for row in fetched:
        (
            pk,
            the_year,
            year_illustrative,
            cluster_pk,
            code,
            name,
            cluster_illustrative,
            covenant_pk,
            covenant_state,
            deadline,
            member_count,
            leader_name,
            deputy_name,
            signed,
            declined,
        ) = row[:15]
        figures = row[15 : 15 + totals]
        next_columns = row[15 + totals :]
        plan = None
        if figures[0] is not None:  # the plan has activities
            plan = {
                "progress_sum": int(figures[0]),
                "counted": int(figures[1]),
                "done": int(figures[2]),
                "overdue": int(figures[3]),
                "done_per_month": {month: int(figures[3 + month]) for month in range(1, 13)},
            }
        cluster = _loaded(
            Cluster,
            db,
            id=cluster_pk,
            code=code,
            name=name,
            is_illustrative=bool(cluster_illustrative),
        )
        cluster_year = _loaded(
            ClusterYear,
            db,
            id=pk,
            cluster_id=cluster_pk,
            year=the_year,
            is_illustrative=bool(year_illustrative),
        )
        cluster_year.cluster = cluster
        covenant = None
        if covenant_pk is not None:
            covenant = _loaded(
                Covenant,
                db,
                id=covenant_pk,
                cluster_year_id=pk,
                state=covenant_state,
                deadline=_aware(deadline),
            )
            covenant.cluster_year = cluster_year
        activities = []
        width = len(ACTIVITY_COLUMNS)
        for start in range(0, len(next_columns), width):
            pk_, plan_id, title, starts_on, start_time, status = next_columns[start : start + width]
            if pk_ is None:
                break
            activities.append(
                _loaded(
                    Activity,
                    db,
                    id=pk_,
                    work_plan_id=plan_id,
                    title=title,
                    starts_on=_date(starts_on),
                    start_time=_time(start_time),
                    status=status,
                )
            )
        rows.append(
            (
                cluster_year,
                covenant,
                {
                    "members": member_count,
                    "leader": leader_name,
                    "deputy": deputy_name,
                    "signed": signed,
                    "declined": declined,
                },
                plan,
                activities,
            )
        )
    return rows


def _activity_totals(*, year: int, today: datetime.date) -> tuple[str, list, int]:
    """A derived table, per cluster year of ``year``: the sum and number of the progress
    figures of the activities that are not cancelled, the activities done, those overdue
    (ended before ``today`` and neither done nor cancelled), and those done in each month of
    ``year`` by their end date. Its SQL, parameters and number of figure columns."""
    status = f"a.{_column(Activity, 'status')}"
    ends_on = f"a.{_column(Activity, 'ends_on')}"
    progress = f"a.{_column(Activity, 'progress')}"
    plan_year = f"p.{_column(WorkPlan, 'cluster_year')}"
    select = [
        f"SUM(CASE WHEN {status} <> %s THEN {progress} ELSE 0 END)",
        f"COUNT(CASE WHEN {status} <> %s THEN 1 END)",
        f"COUNT(CASE WHEN {status} = %s THEN 1 END)",
        f"COUNT(CASE WHEN {ends_on} < %s AND {status} IN (%s, %s) THEN 1 END)",
    ]
    cancelled, done = Activity.Status.CANCELLED.value, Activity.Status.DONE.value
    params = [cancelled, cancelled, done, today, *[s.value for s in OPEN_STATUSES]]
    for month in range(1, 13):
        first = datetime.date(year, month, 1)
        after = datetime.date(year + (month == 12), month % 12 + 1, 1)
        select.append(
            f"COUNT(CASE WHEN {status} = %s AND {ends_on} >= %s AND {ends_on} < %s THEN 1 END)"
        )
        params += [done, first, after]
    columns = ", ".join(f"{expression} AS f{n}" for n, expression in enumerate(select))
    sql = (
        f"SELECT {plan_year} AS cluster_year_id, {columns}"  # noqa: S608
        f" FROM {_table(Activity)} a"
        f" INNER JOIN {_table(WorkPlan)} p ON p.id = a.{_column(Activity, 'work_plan')}"
        f" INNER JOIN {_table(ClusterYear)} y ON y.id = {plan_year}"
        f" WHERE y.{_column(ClusterYear, 'year')} = %s GROUP BY {plan_year}"
    )
    return sql, [*params, year], len(select)


ACTIVITY_COLUMNS = ("id", "work_plan_id", "title", "starts_on", "start_time", "status")


def _coming_activities(*, year: int, today: datetime.date) -> tuple[str, list]:
    """The activities of the plans of ``year`` that start on or after ``today`` and are
    planned or in progress, each with its position in its plan's order (start date, time,
    id), numbered by ROW_NUMBER(). SQL of the subquery and its parameters."""
    a = {name: f"a.{_column(Activity, name)}" for name in ("starts_on", "start_time", "status")}
    plan = f"a.{_column(Activity, 'work_plan')}"
    plan_year = f"p.{_column(WorkPlan, 'cluster_year')}"
    order = f"{a['starts_on']}, {a['start_time']}, a.id"
    sql = (
        f"SELECT a.id AS id, {plan} AS work_plan_id,"  # noqa: S608
        f" a.{_column(Activity, 'title')} AS title, {a['starts_on']} AS starts_on,"
        f" {a['start_time']} AS start_time, {a['status']} AS status,"
        f" {plan_year} AS cluster_year_id,"
        f" ROW_NUMBER() OVER (PARTITION BY {plan} ORDER BY {order}) AS position_in_plan"
        f" FROM {_table(Activity)} a INNER JOIN {_table(WorkPlan)} p ON p.id = {plan}"
        f" INNER JOIN {_table(ClusterYear)} y ON y.id = {plan_year}"
        f" WHERE y.{_column(ClusterYear, 'year')} = %s AND {a['starts_on']} >= %s"
        f" AND {a['status']} IN (%s, %s)"
    )
    return sql, [year, today, *[s.value for s in OPEN_STATUSES]]


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
