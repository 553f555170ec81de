"""The secretariat confirms the leader election on a phone (390 px): the page fits the
screen, and confirming leads to next year's page, where the elected department leads."""

import pytest

from members.models import ClusterYear
from tests.factories import PASSWORD, ClusterFactory, UserFactory
from tests.helpers import cluster_year_with, department, leadership_ballot

pytestmark = pytest.mark.e2e

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def counted(transactional_db):
    hanoi = department("Hà Nội", "hanoi", "thành phố")
    haiphong = department("Hải Phòng", "haiphong", "thành phố")
    bacninh = department("Bắc Ninh", "bacninh")
    cluster_year = cluster_year_with(
        ClusterFactory(code="bac-bo"), 2026, leader=hanoi, members=[haiphong, bacninh]
    )
    UserFactory(username="thuky.hanoi", department=hanoi)
    return leadership_ballot(cluster_year, chosen=haiphong, others=[bacninh])


def test_the_secretariat_confirms_next_years_leader_on_a_phone(counted, login, page, live_server):
    login("thuky.hanoi", PASSWORD)
    page.set_viewport_size(PHONE)

    response = page.goto(f"{live_server.url}/ballots/{counted.pk}/confirm/")

    assert response.status == 200
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.locator("main form [type=submit]").click()
    page.wait_for_url(f"{live_server.url}/**/2027/")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    year = ClusterYear.objects.get(cluster__code="bac-bo", year=2027)
    assert year.leader.department.code == "haiphong"
    assert year.leader.full_name in page.content()
