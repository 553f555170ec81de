"""The year page and the dashboard link to the results for whoever may see them."""

import pytest
from django.urls import reverse

from tests.helpers import (
    ROLES,
    assert_same_count,
    evaluation_for,
    queries_for,
    results_published,
    results_url,
)
from tests.members.test_queries import cluster_of

pytestmark = pytest.mark.django_db

YEAR_PAGE_STATUS = {"outsider": 404}


def year_page(client, world, role):
    client.force_login(world.user(role))
    url = reverse("members:clusteryear-detail", kwargs={"code": "bac-bo", "year": 2024})
    return client.get(url)


@pytest.mark.parametrize("role", ROLES)
def test_every_role_that_sees_the_year_finds_its_published_results_there(client, world, role):
    evaluation = results_published(evaluation_for(world.year_a, phase="checking"))
    response = year_page(client, world, role)
    assert response.status_code == YEAR_PAGE_STATUS.get(role, 200)
    if response.status_code == 200:
        assert results_url(evaluation) in response.content.decode()


@pytest.mark.parametrize(
    ("role", "linked"),
    [
        ("secretariat", True),
        ("signatory", False),
        ("staff", False),
        ("reviewer", True),
        ("site_admin", True),
    ],
)
def test_before_publication_only_those_who_see_provisional_results_get_the_link(
    client, world, role, linked
):
    evaluation = evaluation_for(world.year_a, phase="checking")
    page = year_page(client, world, role).content.decode()
    assert (results_url(evaluation) in page) is linked


def test_the_dashboard_costs_the_same_with_results_in_7_and_60_member_clusters(client):
    counts = []
    for members in (7, 60):
        cluster, _departments, user = cluster_of(members=members)
        results_published(evaluation_for(cluster.years.get(), phase="checking"))
        counts.append(queries_for(client, user, reverse("members:dashboard")))
    assert_same_count(*counts)
