"""The vote page, the receipt shown once and the receipt check, through real requests."""

import pytest
from django.utils.html import escape

from ballots.models import Ballot, BallotPaper, BallotVoter
from tests.factories import PASSWORD, UserFactory
from tests.helpers import (
    assert_same_count,
    ballot_candidate,
    ballot_open_for,
    ballot_vote_as,
    members_year,
    queries_for,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english(client, settings):
    """The pages in English, so that the tests read the messages as written in the code."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


@pytest.fixture
def ballot(world):
    return ballot_open_for(world.year_a, created_by=world.secretariat)


def vote_url(ballot) -> str:
    return f"/ballots/{ballot.pk}/vote/"


def receipt_url(ballot) -> str:
    return f"/ballots/{ballot.pk}/receipt/"


def post_vote(client, ballot, *choices, password=PASSWORD, confirm=True):
    data = {"choices": [ballot_candidate(ballot, d).pk for d in choices], "password": password}
    if confirm:
        data["confirm"] = "on"
    return client.post(vote_url(ballot), data)


def papers(ballot) -> int:
    return BallotPaper.objects.filter(ballot=ballot).count()


def test_the_vote_page_shows_the_question_and_every_candidate(client, world, ballot):
    client.force_login(world.signatory)
    content = client.get(vote_url(ballot)).content.decode()
    assert ballot.question in content
    for dept in (world.hanoi, world.vinhphuc, world.haiphong, world.bacninh):
        assert escape(ballot_candidate(ballot, dept).membership.full_name) in content


def test_a_ballot_with_one_choice_offers_radio_buttons(client, world, ballot):
    client.force_login(world.signatory)
    content = client.get(vote_url(ballot)).content.decode()
    assert content.count('type="radio" name="choices"') == 4


def test_a_ballot_with_several_choices_offers_check_boxes(client, world):
    ballot = ballot_open_for(world.year_a, created_by=world.secretariat, max_choices=2)
    client.force_login(world.signatory)
    content = client.get(vote_url(ballot)).content.decode()
    assert content.count('type="checkbox" name="choices"') == 4


def test_the_vote_form_asks_for_the_password_and_the_confirmation(client, world, ballot):
    client.force_login(world.signatory)
    content = client.get(vote_url(ballot)).content.decode()
    assert 'name="password"' in content and 'name="confirm"' in content


def test_the_vote_form_disables_its_button_on_submit(client, world, ballot):
    client.force_login(world.signatory)
    content = client.get(vote_url(ballot)).content.decode()
    assert "data-submit-once" in content and "js/submit-once" in content


def test_a_vote_shows_the_receipt_code_once(client, world, ballot):
    client.force_login(world.signatory)
    response = post_vote(client, ballot, world.hanoi)
    content = response.content.decode()
    assert response.status_code == 200 and 'id="receipt-code"' in content
    assert papers(ballot) == 1


def test_the_receipt_answer_is_never_cached(client, world, ballot):
    client.force_login(world.signatory)
    response = post_vote(client, ballot, world.hanoi)
    assert "no-store" in response["Cache-Control"]


def test_the_receipt_page_does_not_show_the_choice(client, world, ballot):
    client.force_login(world.signatory)
    content = post_vote(client, ballot, world.vinhphuc).content.decode()
    assert "Vĩnh Phúc" not in content


def test_a_double_submit_keeps_one_vote_and_says_so(client, world, ballot):
    client.force_login(world.signatory)
    post_vote(client, ballot, world.hanoi)
    content = post_vote(client, ballot, world.hanoi).content.decode()
    assert "already voted" in content and 'id="receipt-code"' not in content
    assert (BallotVoter.objects.count(), papers(ballot)) == (1, 1)


def test_a_wrong_password_shows_the_error_and_stores_no_vote(client, world, ballot):
    client.force_login(world.signatory)
    content = post_vote(client, ballot, world.hanoi, password="sai").content.decode()
    assert "The password is not correct." in content and papers(ballot) == 0


def test_a_vote_without_the_tick_shows_the_error_and_stores_no_vote(client, world, ballot):
    client.force_login(world.signatory)
    content = post_vote(client, ballot, world.hanoi, confirm=False).content.decode()
    assert "Tick the box" in content and papers(ballot) == 0


def test_too_many_choices_show_the_numbers_and_store_no_vote(client, world):
    ballot = ballot_open_for(world.year_a, created_by=world.secretariat, max_choices=2)
    client.force_login(world.signatory)
    content = post_vote(client, ballot, world.hanoi, world.vinhphuc, world.bacninh).content
    assert "at most 2 candidates; you chose 3" in content.decode() and papers(ballot) == 0


def test_a_blank_vote_shows_the_error_and_stores_no_vote(client, world, ballot):
    client.force_login(world.signatory)
    content = post_vote(client, ballot).content.decode()
    assert "The ballot is blank" in content and papers(ballot) == 0


def test_a_department_that_has_voted_sees_why_and_no_form(client, world, ballot):
    ballot_vote_as(ballot, world.signatory, world.hanoi)
    client.force_login(world.signatory)
    content = client.get(vote_url(ballot)).content.decode()
    assert "already voted" in content and 'name="password"' not in content


def test_a_closed_ballot_shows_why_and_no_form(client, world):
    ballot = ballot_open_for(world.year_a, created_by=world.secretariat, state="closed")
    client.force_login(world.signatory)
    content = client.get(vote_url(ballot)).content.decode()
    assert "Voting on this ballot has closed." in content and 'name="password"' not in content


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_reviewer_gets_403_on_the_vote_page(client, world, ballot, method):
    client.force_login(world.reviewer)
    assert getattr(client, method)(vote_url(ballot)).status_code == 403


@pytest.mark.parametrize("role", ["staff", "secretariat"])
def test_a_member_who_is_not_a_signatory_gets_403_on_the_vote_page(client, world, ballot, role):
    client.force_login(world.user(role))
    assert client.get(vote_url(ballot)).status_code == 403


def test_a_member_who_is_not_a_signatory_cannot_vote_by_post(client, world, ballot):
    client.force_login(world.staff)
    assert post_vote(client, ballot, world.hanoi).status_code == 403 and papers(ballot) == 0


def test_a_user_of_another_cluster_gets_404(client, world, ballot):
    client.force_login(world.outsider)
    assert client.get(vote_url(ballot)).status_code == 404


def test_an_anonymous_visitor_is_sent_to_log_in(client, ballot):
    assert client.get(vote_url(ballot)).status_code == 302


def test_a_right_receipt_code_is_found_among_the_papers_cast(client, world, ballot):
    code = ballot_vote_as(ballot, world.signatory, world.hanoi)
    client.force_login(world.staff)
    content = client.post(receipt_url(ballot), {"code": code}).content.decode()
    assert "receipt-found" in content and "among the 1 cast so far" in content


def test_a_right_receipt_code_on_a_counted_ballot_is_among_those_counted(client, world, ballot):
    code = ballot_vote_as(ballot, world.signatory, world.hanoi)
    Ballot.objects.filter(pk=ballot.pk).update(state="counted", cast=1, valid=1)
    client.force_login(world.staff)
    content = client.post(receipt_url(ballot), {"code": code}).content.decode()
    assert "among the 1 counted" in content


def test_a_wrong_receipt_code_is_not_found(client, world, ballot):
    ballot_vote_as(ballot, world.signatory, world.hanoi)
    client.force_login(world.staff)
    content = client.post(receipt_url(ballot), {"code": "2222-3333-4444"}).content.decode()
    assert "receipt-not-found" in content and "receipt-found" not in content


def test_the_receipt_code_of_another_ballot_is_not_found_here(client, world, ballot):
    other = ballot_open_for(world.year_a, created_by=world.secretariat)
    code = ballot_vote_as(other, world.signatory, world.hanoi)
    client.force_login(world.signatory)
    content = client.post(receipt_url(ballot), {"code": code}).content.decode()
    assert "receipt-not-found" in content


def test_the_receipt_check_never_shows_the_choice(client, world, ballot):
    code = ballot_vote_as(ballot, world.signatory, world.vinhphuc)
    client.force_login(world.signatory)
    content = client.post(receipt_url(ballot), {"code": code}).content.decode()
    assert "Vĩnh Phúc" not in content


def test_a_reviewer_sees_the_receipt_page_but_cannot_post(client, world, ballot):
    client.force_login(world.reviewer)
    assert client.get(receipt_url(ballot)).status_code == 200
    assert client.post(receipt_url(ballot), {"code": "2222-3333-4444"}).status_code == 403


def test_a_user_of_another_cluster_gets_404_on_the_receipt_page(client, world, ballot):
    client.force_login(world.outsider)
    assert client.get(receipt_url(ballot)).status_code == 404


def _voting_year(members: int):
    cluster_year, departments, secretariat = members_year(members)
    ballot = ballot_open_for(cluster_year, created_by=secretariat)
    signatory = UserFactory(department=departments[-1], signatory=True)
    for dept in departments[:-1]:
        ballot_vote_as(ballot, UserFactory(department=dept, signatory=True), departments[0])
    return ballot, signatory


@pytest.mark.parametrize("page", [vote_url, receipt_url])
def test_the_voting_pages_cost_the_same_queries_for_4_and_12_members(client, page):
    small_ballot, small_user = _voting_year(4)
    large_ballot, large_user = _voting_year(12)
    assert_same_count(
        queries_for(client, small_user, page(small_ballot)),
        queries_for(client, large_user, page(large_ballot)),
    )
