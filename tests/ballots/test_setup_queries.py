"""Query-count guards of the ballot setup pages: the same cost for a small and a large
cluster, for few and many ballots, candidates and voters."""

import pytest
from django.urls import reverse

from ballots.models import Ballot, BallotVoter
from tests.helpers import (
    assert_same_count,
    ballot_setup_conference,
    ballot_setup_draft,
    ballot_setup_opened,
    members_year,
    queries_for,
)

pytestmark = pytest.mark.django_db


def year_with_ballots(*, members: int, ballots: int):
    """A year of ``members`` members with ``ballots`` open ballots on every member, where
    every member has voted; its secretariat."""
    cluster_year, _departments, secretariat = members_year(members)
    conference = ballot_setup_conference(cluster_year)
    made = []
    for _ in range(ballots):
        ballot = ballot_setup_opened(cluster_year, secretariat, conference=conference)
        BallotVoter.objects.bulk_create(
            BallotVoter(ballot=ballot, membership=m, cast_by=secretariat)
            for m in cluster_year.memberships.all()
        )
        made.append(ballot)
    return cluster_year, made, secretariat


def list_url(cluster_year):
    return reverse(
        "ballots:ballot-list",
        kwargs={"code": cluster_year.cluster.code, "year": cluster_year.year},
    )


def test_the_list_costs_the_same_with_2_and_9_ballots(client):
    small_year, _, small_user = year_with_ballots(members=4, ballots=2)
    large_year, _, large_user = year_with_ballots(members=25, ballots=9)
    assert_same_count(
        queries_for(client, small_user, list_url(small_year)),
        queries_for(client, large_user, list_url(large_year)),
    )


def test_the_detail_page_costs_the_same_with_4_and_25_members(client):
    _, [small], small_user = year_with_ballots(members=4, ballots=1)
    _, [large], large_user = year_with_ballots(members=25, ballots=1)
    assert_same_count(
        queries_for(client, small_user, small.get_absolute_url()),
        queries_for(client, large_user, large.get_absolute_url()),
    )


@pytest.mark.parametrize("page", ["ballot-edit", "ballot-open"])
def test_the_draft_pages_cost_the_same_with_4_and_25_members(client, page):
    small_year, _, small_user = members_year(4)
    large_year, _, large_user = members_year(25)
    small = ballot_setup_draft(small_year, small_user)
    large = ballot_setup_draft(large_year, large_user)
    assert_same_count(
        queries_for(client, small_user, reverse(f"ballots:{page}", kwargs={"pk": small.pk})),
        queries_for(client, large_user, reverse(f"ballots:{page}", kwargs={"pk": large.pk})),
    )


def test_the_new_ballot_page_costs_the_same_with_4_and_25_members(client):
    small_year, _, small_user = members_year(4)
    large_year, _, large_user = members_year(25)
    for cluster_year in (small_year, large_year):
        ballot_setup_conference(cluster_year)

    def url(cluster_year):
        return reverse(
            "ballots:ballot-create",
            kwargs={"code": cluster_year.cluster.code, "year": cluster_year.year},
        )

    assert_same_count(
        queries_for(client, small_user, url(small_year)),
        queries_for(client, large_user, url(large_year)),
    )


def test_the_paper_count_page_costs_the_same_with_4_and_25_members(client):
    pages = []
    for members in (4, 25):
        cluster_year, _, user = members_year(members)
        ballot = ballot_setup_opened(cluster_year, user, method=Ballot.Method.PAPER)
        url = reverse("ballots:ballot-paper-count", kwargs={"pk": ballot.pk})
        pages.append(queries_for(client, user, url))
    assert_same_count(*pages)
