"""The count of a ballot on a phone (390 px): the secretariat closes it from the close
page, and the counted result, with its table of votes, fits the screen without the page
scrolling sideways."""

import pytest

from ballots.models import Ballot
from ballots.services.counting import ballot_count, vote_record_issue
from members.models import User
from tests.factories import PASSWORD, ClusterFactory, DepartmentFactory, UserFactory
from tests.helpers import cluster_year_with, counting_ballot_for, counting_papers_cast

pytestmark = pytest.mark.e2e

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def ballot(transactional_db):
    departments = [DepartmentFactory() for _ in range(11)]
    cluster_year = cluster_year_with(
        ClusterFactory(code="bac-bo"),
        2026,
        leader=departments[0],
        deputy=departments[1],
        members=departments[2:],
    )
    secretariat = UserFactory(username="vanphong", department=departments[0])
    UserFactory(username="thanhvien", department=departments[5], role=User.Role.STAFF)
    ballot = counting_ballot_for(cluster_year, by=secretariat)
    counting_papers_cast(ballot, *[[departments[0]]] * 7, *[[departments[1]]] * 4)
    return ballot


def test_the_secretariat_closes_a_ballot_on_a_phone(ballot, login, page, live_server):
    login("vanphong", PASSWORD)
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}{ballot.get_absolute_url()}")
    page.locator("a.count-close").click()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.get_by_role("button", name="Kết thúc bỏ phiếu và kiểm phiếu").click()
    page.wait_for_url(f"**{ballot.get_absolute_url()}")
    assert page.locator(".count-pending").is_visible()
    assert Ballot.objects.get(pk=ballot.pk).state == Ballot.State.CLOSED


def test_the_counted_result_fits_a_phone(ballot, login, page, live_server):
    from ballots.services.counting import ballot_close

    ballot_close(ballot=ballot, by=ballot.created_by)
    ballot_count(ballot_id=ballot.pk)
    vote_record_issue(ballot_id=ballot.pk)
    login("thanhvien", PASSWORD)
    page.set_viewport_size(PHONE)
    response = page.goto(f"{live_server.url}{ballot.get_absolute_url()}")
    assert response.status == 200
    assert page.locator(".count-table").is_visible()
    assert page.locator("a.count-record").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
