"""Reads of ballot setup (ballots.selectors.setup): the detail page's context hook, the
voter roll, the conferences a ballot may belong to and the links from the year pages."""

import pytest
from django.urls import reverse
from django.utils import translation

from ballots.models import BallotVoter
from ballots.selectors import setup as selectors
from members.selectors import year_links_for
from tests.helpers import ballot_setup_conference, ballot_setup_draft, ballot_setup_opened

pytestmark = pytest.mark.django_db


@pytest.fixture
def hooks(monkeypatch):
    """An empty list of detail-context hooks for the test, the real one restored after."""
    registered = []
    monkeypatch.setattr(selectors, "_detail_context_hooks", registered)
    return registered


def test_a_registered_hook_adds_to_the_detail_page_context(client, world, hooks):
    calls = []

    def vote_state(*, ballot, user):
        calls.append((ballot.pk, user.pk))
        return {"vote_state": "may vote"}

    selectors.register_detail_context(vote_state)
    ballot = ballot_setup_opened(world.year_a, world.secretariat)
    client.force_login(world.signatory)
    response = client.get(ballot.get_absolute_url())
    assert response.context["vote_state"] == "may vote"
    assert calls == [(ballot.pk, world.signatory.pk)]


def test_hooks_are_called_in_registration_order_and_a_later_one_wins(world, hooks):
    selectors.register_detail_context(lambda *, ballot, user: {"part": "voting", "a": 1})
    selectors.register_detail_context(lambda *, ballot, user: {"part": "counting", "b": 2})
    ballot = ballot_setup_draft(world.year_a, world.secretariat)
    context = selectors.ballot_detail_context(ballot=ballot, user=world.staff)
    assert (context["part"], context["a"], context["b"]) == ("counting", 1, 2)


def test_a_hook_registered_twice_is_called_once(world, hooks):
    calls = []

    def hook(*, ballot, user):
        calls.append(ballot.pk)
        return {}

    assert selectors.register_detail_context(hook) is hook
    selectors.register_detail_context(hook)
    selectors.ballot_detail_context(
        ballot=ballot_setup_draft(world.year_a, world.secretariat), user=world.staff
    )
    assert len(calls) == 1


def test_the_detail_context_holds_the_ballot_its_candidates_and_its_roll(world, hooks):
    ballot = ballot_setup_opened(world.year_a, world.secretariat)
    context = selectors.ballot_detail_context(ballot=ballot, user=world.staff)
    assert set(context) == {"ballot", "candidates", "voters", "paper_count"}
    assert [c.position for c in context["candidates"]] == [1, 2, 3, 4]


def test_the_voter_roll_lists_the_departments_in_the_members_order_not_the_voting_order(world):
    ballot = ballot_setup_opened(world.year_a, world.secretariat)
    memberships = list(world.year_a.memberships.order_by("-sort_key"))
    for membership in memberships:
        BallotVoter.objects.create(ballot=ballot, membership=membership, cast_by=world.secretariat)
    assert selectors.voter_list(ballot=ballot) == memberships[::-1]


def test_conference_choices_are_the_years_meetings_latest_first(world):
    closing = ballot_setup_conference(world.year_a)
    mid_year = ballot_setup_conference(
        world.year_a, kind="mid_year_review", starts_on=closing.starts_on.replace(month=6)
    )
    ballot_setup_conference(world.year_a, kind="seminar")
    ballot_setup_conference(world.year_a, status="cancelled")
    assert list(selectors.conference_choices(cluster_year=world.year_a)) == [closing, mid_year]


def links_of(world, user):
    return [
        (item.message, item.url)
        for item in year_links_for(user=user, cluster_years=[world.year_a])[world.year_a.pk]
    ]


def list_url(world):
    return reverse("ballots:ballot-list", kwargs={"code": "bac-bo", "year": world.year_a.year})


def test_a_year_with_ballots_links_to_them_for_its_members(world):
    ballot_setup_draft(world.year_a, world.secretariat)
    with translation.override("en"):
        links = links_of(world, world.staff)
    assert ("Ballots of the conference (1)", list_url(world)) in links


def test_the_secretariat_is_invited_to_prepare_the_ballots_of_a_closing_conference(world):
    ballot_setup_conference(world.year_a)
    assert any(url == list_url(world) for _, url in links_of(world, world.secretariat))
    assert all(url != list_url(world) for _, url in links_of(world, world.staff))
