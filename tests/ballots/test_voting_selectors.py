"""Where a user stands on a ballot, the ballot page's vote panel, and the signatories'
to-do item (ballots.selectors.voting)."""

import pytest
from django.template.loader import render_to_string
from django.utils import translation

from ballots.selectors.voting import (
    ballot_attention_items,
    ballot_for_voting,
    vote_detail_context,
    vote_state_for,
)
from tests.factories import UserFactory
from tests.helpers import ballot_open_for, ballot_vote_as, todo_kinds, todo_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def ballot(world):
    return ballot_for_voting(pk=ballot_open_for(world.year_a, created_by=world.secretariat).pk)


def items_for(user, world) -> list:
    return ballot_attention_items(user=user, cluster_years=[world.year_a])[world.year_a.pk]


def test_a_present_signatory_may_vote_on_an_open_ballot(world, ballot):
    state = vote_state_for(ballot=ballot, user=world.signatory)
    assert (state.may_vote, state.own_voted, state.voted, state.members) == (True, False, 0, 4)


def test_after_voting_the_state_says_the_department_has_voted(world, ballot):
    ballot_vote_as(ballot, world.signatory, world.hanoi)
    state = vote_state_for(ballot=ballot, user=world.signatory)
    assert (state.may_vote, state.own_voted, state.voted) == (False, True, 1)


def test_staff_of_the_department_see_that_it_has_voted(world, ballot):
    ballot_vote_as(ballot, world.signatory, world.hanoi)
    state = vote_state_for(ballot=ballot, user=world.staff)
    assert (state.may_vote, state.own_voted, state.refusal[0]) == (False, True, "not_signatory")


def test_the_detail_context_hook_gives_the_vote_state(world, ballot):
    context = vote_detail_context(ballot=ballot, user=world.signatory)
    assert context["vote_state"].may_vote


def render_panel(ballot, user) -> str:
    with translation.override("en"):
        return render_to_string(
            "ballots/includes/_vote_panel.html",
            {"ballot": ballot, **vote_detail_context(ballot=ballot, user=user)},
        )


def test_the_vote_panel_offers_the_vote_to_a_signatory_who_may_vote(world, ballot):
    assert f"/ballots/{ballot.pk}/vote/" in render_panel(ballot, world.signatory)


def test_the_vote_panel_says_the_department_has_voted_and_offers_the_receipt_check(world, ballot):
    ballot_vote_as(ballot, world.signatory, world.hanoi)
    panel = render_panel(ballot, world.signatory)
    assert "Your department has voted." in panel and f"/ballots/{ballot.pk}/receipt/" in panel
    assert f"/ballots/{ballot.pk}/vote/" not in panel


def test_the_vote_panel_tells_an_absent_department_why(world):
    ballot = ballot_for_voting(
        pk=ballot_open_for(world.year_a, created_by=world.secretariat, present=[world.hanoi]).pk
    )
    assert "not recorded as present" in render_panel(ballot, world.signatory)


def test_the_vote_panel_counts_who_has_voted_for_a_reviewer_without_a_vote_button(world, ballot):
    ballot_vote_as(ballot, world.signatory, world.hanoi)
    panel = render_panel(ballot, world.reviewer)
    assert "1 of 4 members have voted." in panel and "/vote/" not in panel


def test_the_vote_panel_is_empty_on_a_paper_ballot(world):
    ballot = ballot_for_voting(
        pk=ballot_open_for(world.year_a, created_by=world.secretariat, method="paper").pk
    )
    assert render_panel(ballot, world.signatory).strip() == ""


def test_a_present_signatory_who_has_not_voted_has_a_to_do_item(world, ballot):
    (item,) = items_for(world.signatory, world)
    assert item.url == f"/ballots/{ballot.pk}/vote/" and ballot.question in item.message
    assert item.key == f"ballot-vote:{ballot.pk}:{world.haiphong.pk}"


def test_the_to_do_item_goes_once_the_department_has_voted(world, ballot):
    ballot_vote_as(ballot, world.signatory, world.hanoi)
    assert items_for(world.signatory, world) == []


def test_the_to_do_item_goes_for_a_colleague_once_the_department_has_voted(world, ballot):
    colleague = UserFactory(department=world.haiphong, signatory=True)
    ballot_vote_as(ballot, world.signatory, world.hanoi)
    assert items_for(colleague, world) == []


def test_an_absent_department_has_no_to_do_item(world):
    ballot_open_for(world.year_a, created_by=world.secretariat, present=[world.hanoi])
    assert items_for(world.signatory, world) == []


@pytest.mark.parametrize("state", ["draft", "closed"])
def test_a_ballot_that_is_not_open_gives_no_to_do_item(world, state):
    ballot_open_for(world.year_a, created_by=world.secretariat, state=state)
    assert items_for(world.signatory, world) == []


def test_a_paper_ballot_gives_no_to_do_item(world):
    ballot_open_for(world.year_a, created_by=world.secretariat, method="paper")
    assert items_for(world.signatory, world) == []


@pytest.mark.parametrize("role", ["staff", "secretariat", "reviewer", "outsider"])
def test_only_signatories_get_the_to_do_item(world, ballot, role):
    assert items_for(world.user(role), world) == []


def test_the_to_do_item_reaches_the_dashboard_list(world, ballot):
    assert "ballot" in todo_kinds(world.signatory)
    assert any(item.url == f"/ballots/{ballot.pk}/vote/" for item in todo_of(world.signatory))
