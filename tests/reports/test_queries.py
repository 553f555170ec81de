"""Query-count guards: every report page and export costs the same for 1 cluster × 1 year
as for 20 clusters × 10 years, with the cache disabled (the overview computed on every
request, issue 14) and, for the overview, from an emptied cache and from a warm one."""

import pytest
from django.urls import reverse

from agreements.models import Covenant
from plans.models import Activity
from tests.factories import ClusterFactory, DepartmentFactory, UserFactory
from tests.helpers import assert_same_count, cluster_year_with, covenant_for, plan_for, queries_for

pytestmark = pytest.mark.django_db

FIRST_YEAR = 2015


def build(*, clusters: int, years: int, members: int = 4):
    """Clusters with ``years`` years each, a covenant (half signed) and a plan every year."""
    import datetime

    first = None
    for _ in range(clusters):
        cluster = ClusterFactory()
        departments = [DepartmentFactory() for _ in range(members)]
        for year in range(FIRST_YEAR, FIRST_YEAR + years):
            cluster_year = cluster_year_with(
                cluster, year, leader=departments[0], deputy=departments[1], members=departments[2:]
            )
            covenant_for(cluster_year, state=Covenant.State.OPEN, signed=departments[:2])
            plan_for(
                cluster_year,
                (Activity.Status.DONE, 100, datetime.date(year, 3, 1)),
                (Activity.Status.PLANNED, 0, datetime.date(year, 9, 1)),
            )
        first = first or (cluster, departments)
    return first


def urls(cluster, department, year):
    kwargs = {"code": cluster.code, "year": year}
    return [
        reverse("reports:overview") + f"?year={year}",
        reverse("reports:overview-csv") + f"?year={year}&q=so",
        reverse("reports:overview-xlsx") + f"?year={year}",
        reverse("reports:clusteryear-report", kwargs=kwargs),
        reverse("reports:clusteryear-export-csv", kwargs={**kwargs, "table": "signatures"}),
        reverse("reports:clusteryear-export-xlsx", kwargs={**kwargs, "table": "activities"}),
        reverse("reports:cluster-history", kwargs={"code": cluster.code}),
        reverse("reports:cluster-history-xlsx", kwargs={"code": cluster.code}),
        reverse("reports:department-history", kwargs={"code": department.code}),
        reverse("reports:clusteryear-pdf", kwargs=kwargs),
    ]


@pytest.mark.usefixtures("cache_disabled")
@pytest.mark.parametrize("role", ["reviewer", "member"])
@pytest.mark.parametrize("index", range(10))
def test_each_report_costs_the_same_for_1_cluster_year_and_for_20_clusters_10_years(
    client, django_db_blocker, role, index
):
    cluster, departments = build(clusters=1, years=1)
    user = (
        UserFactory(reviewer=True) if role == "reviewer" else UserFactory(department=departments[0])
    )
    small = queries_for(client, user, urls(cluster, departments[2], FIRST_YEAR)[index])

    big_cluster, big_departments = build(clusters=20, years=10)
    if role == "member":
        user = UserFactory(department=big_departments[0])
    large = queries_for(client, user, urls(big_cluster, big_departments[2], FIRST_YEAR + 9)[index])
    assert_same_count(small, large)


def cold_queries_for(client, user, url) -> list[str]:
    """Like ``queries_for``, with the cache emptied before the measured GET."""
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(user)
    client.get(url)
    cache.clear()
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return [query["sql"] for query in context.captured_queries]


@pytest.mark.parametrize("role", ["reviewer", "member"])
def test_the_uncached_overview_costs_the_same_for_1_cluster_year_and_20_clusters_10_years(
    client, role
):
    cluster, departments = build(clusters=1, years=1)
    user = (
        UserFactory(reviewer=True) if role == "reviewer" else UserFactory(department=departments[0])
    )
    small = cold_queries_for(client, user, urls(cluster, departments[2], FIRST_YEAR)[0])
    big_cluster, big_departments = build(clusters=20, years=10)
    if role == "member":
        user = UserFactory(department=big_departments[0])
    large = cold_queries_for(client, user, urls(big_cluster, big_departments[2], FIRST_YEAR + 9)[0])
    assert_same_count(small, large)


def test_a_cached_overview_skips_the_reports_queries(client):
    cluster, departments = build(clusters=1, years=1)
    user = UserFactory(reviewer=True)
    url = urls(cluster, departments[2], FIRST_YEAR)[0]
    assert len(queries_for(client, user, url)) < len(cold_queries_for(client, user, url))


def test_the_cached_overview_costs_the_same_for_1_cluster_year_and_20_clusters_10_years(client):
    cluster, departments = build(clusters=1, years=1)
    user = UserFactory(reviewer=True)
    small = queries_for(client, user, urls(cluster, departments[2], FIRST_YEAR)[0])
    big_cluster, big_departments = build(clusters=20, years=10)
    large = queries_for(client, user, urls(big_cluster, big_departments[2], FIRST_YEAR + 9)[0])
    assert_same_count(small, large)
