"""Ballot setup on a phone (390 px wide): the secretariat prepares a ballot through the
form, opens it, and no page of the setup scrolls sideways."""

import re

import pytest

from tests.e2e.test_phone_layout import PHONE, WIDE_ELEMENTS

pytestmark = pytest.mark.e2e


@pytest.fixture
def year(demo):
    """The demo's Bắc Bộ 2026 year with its closing conference and a paper ballot."""
    from ballots.models import Ballot
    from members.models import ClusterYear, User
    from tests.helpers import ballot_setup_conference, ballot_setup_opened

    cluster_year = ClusterYear.objects.get(cluster__code="bac-bo", year=2026)
    secretariat = User.objects.get(username="secretariat")
    conference = ballot_setup_conference(cluster_year)
    ballot_setup_opened(
        cluster_year,
        secretariat,
        conference=conference,
        method=Ballot.Method.PAPER,
        question="Đề nghị Bằng khen của Bộ trưởng Bộ Nội vụ cho các đơn vị có thành tích xuất sắc",
    )
    return cluster_year


def sideways(page) -> tuple | None:
    width = page.evaluate("document.documentElement.scrollWidth")
    return None if width <= PHONE["width"] else (width, page.evaluate(WIDE_ELEMENTS))


def test_the_secretariat_prepares_and_opens_a_ballot_on_a_phone(year, login, page, live_server):
    from ballots.models import Ballot

    login("secretariat")
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/ballots/bac-bo/2026/")
    assert sideways(page) is None
    page.get_by_role("link", name="Cuộc bỏ phiếu mới").click()
    assert sideways(page) is None
    page.select_option("#id_kind", "leader")
    page.fill("#id_question", "Bầu Cụm trưởng năm 2027")
    page.locator(".page-form [type=submit]").click()
    page.wait_for_url(re.compile(r"/ballots/\d+/$"))
    ballot = Ballot.objects.get(question="Bầu Cụm trưởng năm 2027")
    assert page.url.endswith(ballot.get_absolute_url())
    assert sideways(page) is None
    page.get_by_role("link", name="Mở cuộc bỏ phiếu").first.click()
    assert sideways(page) is None
    page.get_by_role("button", name="Mở cuộc bỏ phiếu").click()
    page.wait_for_url(f"{live_server.url}{ballot.get_absolute_url()}")
    ballot.refresh_from_db()
    assert ballot.state == Ballot.State.OPEN


def test_the_paper_count_pages_fit_a_phone(year, login, page, live_server):
    from ballots.models import Ballot

    paper = Ballot.objects.get(method=Ballot.Method.PAPER)
    login("secretariat")
    page.set_viewport_size(PHONE)
    wide = {}
    for url in (paper.get_absolute_url(), f"{paper.get_absolute_url()}paper-count/"):
        page.goto(f"{live_server.url}{url}")
        if sideways(page):
            wide[url] = sideways(page)
    assert wide == {}
