"""The closing conference's election, end to end in the browser: two signatories vote for
next year's leader on phones (390 px), one of them with a double tap; the secretariat
closes the ballot, the real task worker counts it and issues the vote record, a voter's
receipt code is found among the counted papers, and confirming the result makes the
elected department the leader of the next year.

Elements are found by address, class and id, so the journey does not depend on
translations.
"""

import re

import pytest
from playwright.sync_api import expect

from ballots.models import Ballot, BallotPaper, BallotVoter
from members.models import ClusterYear
from tests.factories import PASSWORD, ClusterFactory, UserFactory
from tests.helpers import ballot_open_for, cluster_year_with, department, run_worker

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def election(transactional_db, settings, tmp_path):
    """A 2026 year led by Hà Nội with Hải Phòng and Bắc Ninh as members; an open electronic
    ballot on the 2027 leader with both members as candidates; every member attends."""
    settings.MEDIA_ROOT = tmp_path / "media"
    hanoi = department("Hà Nội", "hanoi", "thành phố")
    haiphong = department("Hải Phòng", "haiphong", "thành phố")
    bacninh = department("Bắc Ninh", "bacninh")
    cluster_year = cluster_year_with(
        ClusterFactory(code="bac-bo"), 2026, leader=hanoi, members=[haiphong, bacninh]
    )
    secretariat = UserFactory(username="thuky.hanoi", department=hanoi)
    UserFactory(username="haiphong.signer", department=haiphong, signatory=True)
    UserFactory(username="bacninh.signer", department=bacninh, signatory=True)
    return ballot_open_for(
        cluster_year, created_by=secretariat, candidates=[haiphong, bacninh], max_choices=1
    )


def fits_the_phone(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def log_out(page):
    page.locator("form[action='/accounts/logout/'] [type=submit]").first.click()
    expect(page).to_have_url(re.compile(r"/accounts/login/"))


def vote_for_haiphong(page, live_server, ballot, *, double_tap=False) -> str:
    """From the ballot page: open the vote, choose Hải Phòng, confirm with the password;
    returns the receipt code shown."""
    page.goto(f"{live_server.url}{ballot.get_absolute_url()}")
    assert fits_the_phone(page)
    page.locator("a.vote-submit").click()
    expect(page).to_have_url(re.compile(rf"/ballots/{ballot.pk}/vote/$"))
    assert fits_the_phone(page)
    page.locator(".ballot-option", has_text="Hải Phòng").click()
    page.locator("#id_confirm").check()
    page.fill("#id_password", PASSWORD)
    if double_tap:
        page.locator("button.vote-submit").dblclick()
    else:
        page.locator("button.vote-submit").click()
    page.locator("#receipt-code").wait_for()
    assert fits_the_phone(page)
    return page.locator("#receipt-code").inner_text().strip()


def test_two_signatories_vote_on_phones_the_count_elects_next_years_leader(
    election, login, page, live_server
):
    page.set_viewport_size(PHONE)

    login("haiphong.signer")
    receipt = vote_for_haiphong(page, live_server, election, double_tap=True)
    log_out(page)
    login("bacninh.signer")
    vote_for_haiphong(page, live_server, election)
    log_out(page)
    # One roll entry and one paper per department, the double tap included.
    assert BallotVoter.objects.filter(ballot=election).count() == 2
    assert BallotPaper.objects.filter(ballot=election).count() == 2

    # The secretariat closes the ballot from its page; the page says it is being counted.
    login("thuky.hanoi")
    page.goto(f"{live_server.url}{election.get_absolute_url()}")
    page.locator("a.count-close").click()
    page.locator("main form [type=submit]").click()
    page.wait_for_url(f"**{election.get_absolute_url()}")
    assert page.locator(".count-pending").is_visible()

    # The worker counts and issues the vote record; the page shows the count.
    run_worker()
    counted = Ballot.objects.get(pk=election.pk)
    assert (counted.state, counted.cast, counted.valid) == (Ballot.State.COUNTED, 2, 2)
    page.goto(f"{live_server.url}{election.get_absolute_url()}")
    assert page.locator(".count-table").is_visible()
    assert page.locator("a.count-record").is_visible()
    assert fits_the_phone(page)

    # A voter's receipt is among the counted papers.
    page.goto(f"{live_server.url}/ballots/{election.pk}/receipt/")
    page.fill("#id_code", receipt)
    page.locator("form.receipt-form [type=submit]").click()
    assert page.locator(".receipt-found").is_visible()

    # Confirming the result makes Hải Phòng the leader of 2027.
    page.goto(f"{live_server.url}/ballots/{election.pk}/confirm/")
    page.locator("main form [type=submit]").click()
    page.wait_for_url(f"{live_server.url}/**/2027/")
    year = ClusterYear.objects.get(cluster__code="bac-bo", year=2027)
    assert year.leader.department.code == "haiphong"
    assert year.leader.full_name in page.content()
