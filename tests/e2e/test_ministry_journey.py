"""The Ministry's side on a phone (390 px): a reviewer with the permission reads the year
table across clusters, records the council's decision on one proposal, and sees it in the
table; neither page scrolls sideways."""

import pytest

from dossiers.models import AwardDecision, Proposal
from members.models import User
from tests.factories import PASSWORD, ClusterFactory, DepartmentFactory, UserFactory
from tests.helpers import cluster_year_with, ministry_dossier, ministry_may_decide

pytestmark = pytest.mark.e2e

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def sent_dossiers(transactional_db):
    """Two clusters of 2019 with sent dossiers, a third with none, and a reviewer who may
    record decisions."""
    rows = []
    for code in ("bac-bo", "mien-trung", "tay-bac"):
        departments = [DepartmentFactory() for _ in range(4)]
        cluster_year = cluster_year_with(
            ClusterFactory(code=code, name=f"Cụm thi đua các tỉnh, thành phố {code}"),
            2019,
            leader=departments[0],
            members=departments[1:],
        )
        rows.append((cluster_year, departments))
    for cluster_year, departments in rows[:2]:
        ministry_dossier(
            cluster_year,
            (departments[0], Proposal.Award.GOVERNMENT_FLAG, 1, "98.75", "100"),
            (departments[1], Proposal.Award.MINISTRY_FLAG, 2, "96.5", "75"),
            (departments[2], Proposal.Award.MINISTER_MERIT, 3, "95", "75"),
        )
    ministry_may_decide(UserFactory(username="bonoivu", role=User.Role.REVIEWER, department=None))
    return rows


def test_a_reviewer_records_a_decision_from_a_phone(sent_dossiers, login, page, live_server):
    login("bonoivu", PASSWORD)
    page.set_viewport_size(PHONE)
    response = page.goto(f"{live_server.url}/dossiers/ministry/2019/")
    assert response.status == 200
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert page.locator(".no-dossier").count() == 1
    assert page.locator(".cap-over").count() == 1  # 2 proposed, cap 0 of 3 leading units

    page.locator("#cluster-bac-bo .decision-record-link").nth(1).click()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.select_option("#id_decision", AwardDecision.Decision.MINISTRY_FLAG)
    page.fill("#id_reference", "45/QĐ-BNV")
    page.fill("#id_decided_on", "20/01/2020")
    page.locator("form.page-form [type=submit]").click()

    page.wait_for_url("**/dossiers/ministry/2019/#cluster-bac-bo")
    decision = AwardDecision.objects.get()
    assert decision.proposal.award == Proposal.Award.MINISTRY_FLAG
    assert "45/QĐ-BNV" in page.locator("#cluster-bac-bo").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
