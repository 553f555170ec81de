"""The pages of closing and counting: the close and runoff confirmations (secretariat),
the vote record PDF (whoever sees the ballot), the count panel of the ballot page in each
state, per role, with query-count guards."""

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import ngettext

from ballots.models import Ballot
from ballots.services.counting import ballot_close, ballot_count, vote_record_issue
from tests.helpers import (
    assert_same_count,
    counting_ballot_for,
    counting_papers_cast,
    members_year,
    queries_for,
    vi,
)

pytestmark = pytest.mark.django_db

# Who may do what: the secretariat; members and reviewers see the ballot but may not
# (403); another cluster's user does not see it (404).
CLOSE_STATUS = {
    "secretariat": 200,
    "signatory": 403,
    "staff": 403,
    "reviewer": 403,
    "outsider": 404,
}


def url(ballot, name) -> str:
    return reverse(f"ballots:{name}", kwargs={"pk": ballot.pk})


def page(client, user, ballot) -> str:
    client.force_login(user)
    response = client.get(ballot.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def ballot(world):
    ballot = counting_ballot_for(world.year_a, by=world.secretariat)
    counting_papers_cast(ballot, [world.hanoi], [world.hanoi], [world.vinhphuc])
    return ballot


def counted(ballot, world, *, record=False):
    ballot_close(ballot=ballot, by=world.secretariat)
    ballot = ballot_count(ballot_id=ballot.pk)
    if record:
        vote_record_issue(ballot_id=ballot.pk)
    return ballot


@pytest.fixture
def tied(world):
    ballot = counting_ballot_for(
        world.year_a, by=world.secretariat, threshold_base="valid", threshold_percent=40
    )
    counting_papers_cast(ballot, [world.hanoi], [world.hanoi], [world.haiphong], [world.haiphong])
    return counted(ballot, world)


# Closing


@pytest.mark.parametrize(("role", "status"), CLOSE_STATUS.items())
def test_the_close_page_is_for_the_secretariat(client, world, ballot, role, status):
    client.force_login(world.user(role))
    assert client.get(url(ballot, "ballot-close")).status_code == status


def test_the_close_page_asks_for_login(client, ballot):
    response = client.get(url(ballot, "ballot-close"))
    assert response.status_code == 302
    assert "/login/" in response["Location"] or "login" in response["Location"]


def test_the_close_page_says_how_many_departments_have_voted(client, world, ballot):
    client.force_login(world.secretariat)
    html = client.get(url(ballot, "ballot-close")).content.decode()
    with translation.override("vi"):
        note = ngettext(
            "%(count)s department has voted.", "%(count)s departments have voted.", 3
        ) % {"count": 3}
    assert note in html


def test_the_secretariat_closes_the_ballot_and_returns_to_its_page(client, world, ballot):
    client.force_login(world.secretariat)
    response = client.post(url(ballot, "ballot-close"))
    assert response.status_code == 302
    assert response["Location"] == ballot.get_absolute_url()
    assert Ballot.objects.get(pk=ballot.pk).state == Ballot.State.CLOSED


@pytest.mark.parametrize("role", ["signatory", "staff", "reviewer"])
def test_nobody_else_can_close_the_ballot(client, world, ballot, role):
    client.force_login(world.user(role))
    assert client.post(url(ballot, "ballot-close")).status_code == 403
    assert Ballot.objects.get(pk=ballot.pk).state == Ballot.State.OPEN


def test_closing_a_closed_ballot_again_says_why_and_changes_nothing(client, world, ballot):
    ballot_close(ballot=ballot, by=world.secretariat)
    client.force_login(world.secretariat)
    response = client.post(url(ballot, "ballot-close"))
    assert response.status_code == 200
    assert (
        vi("Only an open ballot can be closed; this one is: %(state)s.").replace(
            "%(state)s", vi("Closed")
        )
        in response.content.decode()
    )


# The runoff


def test_the_runoff_page_names_the_tied_candidates(client, world, tied):
    client.force_login(world.secretariat)
    html = client.get(url(tied, "ballot-runoff")).content.decode()
    assert world.hanoi.full_name in html
    assert world.haiphong.full_name in html


def test_the_secretariat_creates_the_runoff_and_lands_on_it(client, world, tied):
    client.force_login(world.secretariat)
    response = client.post(url(tied, "ballot-runoff"))
    runoff = Ballot.objects.get(runoff_of=tied)
    assert response.status_code == 302
    assert response["Location"] == runoff.get_absolute_url()


@pytest.mark.parametrize(("role", "status"), CLOSE_STATUS.items())
def test_the_runoff_page_is_for_the_secretariat(client, world, tied, role, status):
    client.force_login(world.user(role))
    assert client.get(url(tied, "ballot-runoff")).status_code == status


@pytest.mark.parametrize("role", ["signatory", "staff", "reviewer"])
def test_nobody_else_creates_a_runoff(client, world, tied, role):
    client.force_login(world.user(role))
    assert client.post(url(tied, "ballot-runoff")).status_code == 403
    assert not Ballot.objects.filter(runoff_of=tied).exists()


# The vote record


def test_there_is_no_vote_record_before_the_count(client, world, ballot):
    client.force_login(world.staff)
    assert client.get(url(ballot, "ballot-record")).status_code == 404


@pytest.mark.parametrize("role", ["secretariat", "signatory", "staff", "reviewer"])
def test_whoever_sees_the_counted_ballot_downloads_its_record(client, world, ballot, role):
    ballot = counted(ballot, world, record=True)
    client.force_login(world.user(role))
    response = client.get(url(ballot, "ballot-record"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_another_cluster_s_user_gets_no_record(client, world, ballot):
    ballot = counted(ballot, world, record=True)
    client.force_login(world.outsider)
    assert client.get(url(ballot, "ballot-record")).status_code == 404


def test_a_download_before_the_record_task_ran_issues_it(client, world, ballot):
    ballot = counted(ballot, world)
    client.force_login(world.staff)
    response = client.get(url(ballot, "ballot-record"))
    assert response.status_code == 200
    assert ballot.record.number == "01/BB-CTĐ"


# The count panel of the ballot page, state by state


def test_the_secretariat_sees_the_close_button_on_an_open_ballot(client, world, ballot):
    html = page(client, world.secretariat, ballot)
    assert url(ballot, "ballot-close") in html


@pytest.mark.parametrize("role", ["signatory", "staff", "reviewer"])
def test_others_see_no_close_button(client, world, ballot, role):
    assert url(ballot, "ballot-close") not in page(client, world.user(role), ballot)


def test_a_closed_ballot_is_shown_as_being_counted(client, world, ballot):
    ballot_close(ballot=ballot, by=world.secretariat)
    html = page(client, world.staff, ballot)
    assert "count-pending" in html
    assert vi("The ballot is closed and being counted… Reload the page in a moment.") in html


def test_a_counted_ballot_shows_the_totals_votes_and_shares(client, world, ballot):
    ballot = counted(ballot, world)
    html = page(client, world.staff, ballot)
    assert "count-pending" not in html
    # Hà Nội: 2 votes of 4 members is 50%, not more than half.
    assert 'class="text-end count-votes">2</td>' in html
    assert "50,00%" in html
    assert vi("Below the threshold") in html
    assert vi("Ballots cast") in html


def test_the_chosen_candidate_is_marked_on_the_page(client, world):
    ballot = counting_ballot_for(world.year_a, by=world.secretariat)
    counting_papers_cast(ballot, [world.hanoi], [world.hanoi], [world.hanoi])
    html = page(client, world.staff, counted(ballot, world))
    assert '<tr class="table-success">' in html
    assert vi("Chosen") in html


def test_the_record_is_announced_while_being_prepared_then_offered(client, world, ballot):
    ballot = counted(ballot, world)
    assert "count-record-pending" in page(client, world.staff, ballot)
    vote_record_issue(ballot_id=ballot.pk)
    html = page(client, world.staff, ballot)
    assert "count-record-pending" not in html
    assert url(ballot, "ballot-record") in html


def test_the_secretariat_is_offered_a_runoff_after_a_tie(client, world, tied):
    html = page(client, world.secretariat, tied)
    assert "count-tie" in html
    assert url(tied, "ballot-runoff") in html


def test_members_see_the_tie_but_no_runoff_button(client, world, tied):
    html = page(client, world.signatory, tied)
    assert "count-tie" in html
    assert url(tied, "ballot-runoff") not in html


# What the pages cost


def counted_ballot_of(members: int):
    cluster_year, departments, secretariat = members_year(members)
    ballot = counting_ballot_for(cluster_year, by=secretariat)
    counting_papers_cast(ballot, *[[d] for d in departments])
    ballot_close(ballot=ballot, by=secretariat)
    ballot_count(ballot_id=ballot.pk)
    vote_record_issue(ballot_id=ballot.pk)
    return ballot, secretariat


def test_the_count_panel_costs_the_same_for_three_and_eight_candidates(client):
    small, small_user = counted_ballot_of(3)
    large, large_user = counted_ballot_of(8)
    assert_same_count(
        queries_for(client, small_user, small.get_absolute_url()),
        queries_for(client, large_user, large.get_absolute_url()),
    )


def test_the_close_page_costs_the_same_for_three_and_eight_voters(client):
    pages = []
    for members in (3, 8):
        cluster_year, departments, secretariat = members_year(members)
        ballot = counting_ballot_for(cluster_year, by=secretariat)
        counting_papers_cast(ballot, *[[d] for d in departments])
        pages.append(queries_for(client, secretariat, url(ballot, "ballot-close")))
    assert_same_count(*pages)
