"""The overview's search ignores case and diacritics, on SQLite and on PostgreSQL alike
(the suite runs on both: DATABASE_URL chooses)."""

import pytest
from django.urls import reverse

from reports import selectors
from tests.helpers import WORLD_YEAR

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("query", ["ha noi", "HÀ NỘI", "Hà Nội", "hà nội", "HA NOI"])
def test_every_spelling_of_ha_noi_finds_the_cluster_it_belongs_to(world, query):
    overview = selectors.overview(user=world.reviewer, year=WORLD_YEAR, query=query)
    assert [row.cluster.code for row in overview.rows] == ["bac-bo"]


@pytest.mark.parametrize("query", ["dong bac", "ĐÔNG BẮC", "Đông Bắc"])
def test_the_letter_d_with_stroke_matches_a_plain_d(world, query):
    overview = selectors.overview(user=world.reviewer, year=WORLD_YEAR, query=query)
    assert [row.cluster.code for row in overview.rows] == ["dong-bac"]


def test_a_search_that_matches_nothing_says_so(client, world):
    client.force_login(world.reviewer)
    response = client.get(reverse("reports:overview"), {"q": "sai gon"})
    assert response.context["overview"].rows == []
    assert 'id="no-results"' in response.content.decode()


def test_the_search_stays_within_the_users_clusters(world):
    overview = selectors.overview(user=world.outsider, year=WORLD_YEAR, query="ha noi")
    assert overview.rows == []
