"""Voting on a phone (390 px): the page does not scroll sideways, every choice is a large
touch target, and a double tap on the button casts one vote and shows its receipt."""

import pytest

from ballots.models import BallotPaper, BallotVoter
from tests.factories import PASSWORD, ClusterFactory, DepartmentFactory, UserFactory
from tests.helpers import ballot_open_for, cluster_year_with

pytestmark = pytest.mark.e2e

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def ballot(transactional_db):
    departments = [DepartmentFactory() for _ in range(6)]
    cluster_year = cluster_year_with(
        ClusterFactory(code="bac-bo"),
        2026,
        leader=departments[0],
        deputy=departments[1],
        members=departments[2:],
    )
    UserFactory(username="giamdoc.thanhvien", department=departments[3], signatory=True)
    return ballot_open_for(cluster_year, created_by=UserFactory(department=departments[0]))


def open_vote_page(login, page, live_server, ballot):
    login("giamdoc.thanhvien", PASSWORD)
    page.set_viewport_size(PHONE)
    response = page.goto(f"{live_server.url}/ballots/{ballot.pk}/vote/")
    assert response.status == 200


def test_the_vote_page_fits_a_phone_with_large_touch_targets(ballot, login, page, live_server):
    open_vote_page(login, page, live_server, ballot)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    heights = page.locator(".ballot-option").evaluate_all(
        "els => els.map(e => e.getBoundingClientRect().height)"
    )
    assert len(heights) == 6 and min(heights) >= 48
    assert page.locator(".vote-submit").bounding_box()["height"] >= 44


def test_a_double_tap_on_the_button_casts_one_vote_and_shows_the_receipt(
    ballot, login, page, live_server
):
    open_vote_page(login, page, live_server, ballot)
    page.locator(".ballot-option").nth(2).click()
    page.locator("#id_confirm").check()
    page.fill("#id_password", PASSWORD)
    page.locator(".vote-submit").dblclick()
    page.locator("#receipt-code").wait_for()
    assert len(page.locator("#receipt-code").inner_text().strip()) == 14
    assert (BallotVoter.objects.count(), BallotPaper.objects.count()) == (1, 1)


def test_the_button_is_disabled_and_says_so_once_the_form_is_sent(ballot, login, page, live_server):
    open_vote_page(login, page, live_server, ballot)
    # Keep the page: the form's own listener stops the navigation, the page's script still
    # sees the submit event as it bubbles to the document.
    page.evaluate(
        "document.querySelector('form.vote-form')"
        ".addEventListener('submit', e => e.preventDefault())"
    )
    button = page.locator(".vote-submit")
    button.click()
    page.wait_for_function("document.querySelector('.vote-submit').disabled")
    assert button.inner_text() == button.get_attribute("data-busy-label")
    assert BallotPaper.objects.count() == 0
