"""Query-count guards: the hub and the table page cost the same whatever the size."""

import pytest

from tests.factories import ClusterFactory, DepartmentFactory, UserFactory
from tests.helpers import (
    assert_same_count,
    cluster_year_with,
    evaluation_for,
    evaluation_page,
    queries_for,
    table_of,
)

pytestmark = pytest.mark.django_db


def evaluation_of(*, members: int, criteria: int, adopted: bool = True):
    """An evaluation of a new cluster year with ``members`` members and a table of
    ``criteria`` criteria; the first department leads (its user is the secretariat)."""
    departments = [DepartmentFactory() for _ in range(members)]
    cluster_year = cluster_year_with(
        ClusterFactory(), 2024, leader=departments[0], members=departments[1:]
    )
    evaluation = evaluation_for(cluster_year, table=table_of(criteria), adopted=adopted)
    return evaluation, UserFactory(department=departments[0])


@pytest.mark.parametrize("adopted", [True, False])
def test_the_hub_costs_the_same_with_7_and_60_members(client, adopted):
    small, user = evaluation_of(members=7, criteria=20, adopted=adopted)
    small_queries = queries_for(client, user, small.get_absolute_url())
    large, user = evaluation_of(members=60, criteria=200, adopted=adopted)
    assert_same_count(small_queries, queries_for(client, user, large.get_absolute_url()))


def test_the_hub_of_a_reviewer_costs_the_same_with_7_and_60_members(client):
    reviewer = UserFactory(reviewer=True)
    small, _ = evaluation_of(members=7, criteria=20)
    small_queries = queries_for(client, reviewer, small.get_absolute_url())
    large, _ = evaluation_of(members=60, criteria=200)
    assert_same_count(small_queries, queries_for(client, reviewer, large.get_absolute_url()))


@pytest.mark.parametrize("adopted", [True, False])
def test_the_table_page_costs_the_same_with_20_and_200_criteria(client, adopted):
    small, user = evaluation_of(members=7, criteria=20, adopted=adopted)
    small_queries = queries_for(client, user, evaluation_page(small, "table-detail"))
    large, user = evaluation_of(members=7, criteria=200, adopted=adopted)
    assert_same_count(
        small_queries, queries_for(client, user, evaluation_page(large, "table-detail"))
    )


def test_the_export_costs_the_same_with_20_and_200_criteria(client):
    small, user = evaluation_of(members=7, criteria=20)
    small_queries = queries_for(client, user, evaluation_page(small, "table-export"))
    large, user = evaluation_of(members=7, criteria=200)
    assert_same_count(
        small_queries, queries_for(client, user, evaluation_page(large, "table-export"))
    )


@pytest.mark.parametrize("page", ["table-line-create", "table-adopt", "table-copy"])
def test_the_pages_that_prepare_the_table_cost_the_same_with_20_and_200_criteria(client, page):
    small, user = evaluation_of(members=7, criteria=20, adopted=False)
    small_queries = queries_for(client, user, evaluation_page(small, page))
    large, user = evaluation_of(members=7, criteria=200, adopted=False)
    assert_same_count(small_queries, queries_for(client, user, evaluation_page(large, page)))


@pytest.mark.parametrize("page", ["phase-checking", "evaluation-dates"])
def test_the_phase_pages_cost_the_same_with_7_and_60_members(client, page):
    small, user = evaluation_of(members=7, criteria=20)
    small_queries = queries_for(client, user, evaluation_page(small, page))
    large, user = evaluation_of(members=60, criteria=200)
    assert_same_count(small_queries, queries_for(client, user, evaluation_page(large, page)))


def test_the_extension_page_costs_the_same_with_7_and_60_members(client):
    small, user = evaluation_of(members=7, criteria=20)
    code = small.assessments.first().membership.department.code
    small_queries = queries_for(
        client, user, evaluation_page(small, "deadline-extend", department=code)
    )
    large, user = evaluation_of(members=60, criteria=200)
    code = large.assessments.first().membership.department.code
    assert_same_count(
        small_queries,
        queries_for(client, user, evaluation_page(large, "deadline-extend", department=code)),
    )
