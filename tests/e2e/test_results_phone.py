"""The results table on a phone (390 px): the page does not scroll sideways, the wide table
scrolls in its own box, which the keyboard reaches and arrow keys scroll."""

import pytest

from members.models import User
from tests.factories import PASSWORD, ClusterFactory, DepartmentFactory, UserFactory
from tests.helpers import cluster_year_with, evaluation_for, results_published, results_url

pytestmark = pytest.mark.e2e

PHONE = {"width": 390, "height": 844}
WIDE_TABLE = [
    *[(code, None, "section", None, {}) for code in ("I", "II", "III", "IV", "V")],
    *[(f"{code}.1", code, "graded", "20", {}) for code in ("I", "II", "III", "IV", "V")],
    ("VI", None, "section", None, {"cap": "10"}),
    ("VI.1", "VI", "bonus", "10", {}),
    ("VII", None, "section", None, {}),
    ("VII.1", "VII", "penalty", "10", {}),
]


@pytest.fixture
def published(transactional_db):
    departments = [DepartmentFactory() for _ in range(11)]
    cluster_year = cluster_year_with(
        ClusterFactory(code="bac-bo"),
        2019,
        leader=departments[0],
        deputy=departments[1],
        members=departments[2:],
    )
    UserFactory(username="thanhvien", department=departments[5], role=User.Role.STAFF)
    return results_published(evaluation_for(cluster_year, table=WIDE_TABLE, phase="checking"))


def test_the_results_table_scrolls_in_its_own_box_on_a_phone(published, login, page, live_server):
    login("thanhvien", PASSWORD)
    page.set_viewport_size(PHONE)
    response = page.goto(f"{live_server.url}{results_url(published)}")
    assert response.status == 200
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    box = page.locator(".results-scroll")
    assert box.evaluate("e => e.scrollWidth > e.clientWidth")  # the table is wider: it scrolls
    box.focus()
    assert page.evaluate("document.activeElement.classList.contains('results-scroll')")
    for _attempt in range(20):  # scrolling may be smooth: give it a moment
        page.keyboard.press("ArrowRight")
        if box.evaluate("e => e.scrollLeft") > 0:
            break
        page.wait_for_timeout(50)
    assert box.evaluate("e => e.scrollLeft") > 0
