"""Checking in the browser, on a phone: the cross-checker finds the assessment on its
dashboard and proposes an adjusted score, the member answers it, the secretariat accepts it
and finalises; no checking page scrolls sideways."""

import pytest

from evaluations.models import Adjustment, Assessment
from tests.factories import UserFactory
from tests.helpers import assessment_of, checking_of, score_lines, set_checker

pytestmark = pytest.mark.e2e

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def checking(transactional_db, world):
    evaluation = checking_of(world.year_a)
    score_lines(assessment_of(evaluation, world.haiphong), I_1="7.5")
    set_checker(evaluation, world.haiphong, world.bacninh)
    UserFactory(username="chuyenvien.bacninh", department=world.bacninh)
    return evaluation


def fits_the_phone(page):
    return page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def log_in_as(page, live_server, login, username):
    page.context.clear_cookies()
    login(username)
    page.set_viewport_size(PHONE)


def test_a_cross_check_adjusts_a_score_on_a_phone(checking, world, login, page, live_server):
    log_in_as(page, live_server, login, "chuyenvien.bacninh")
    page.goto(f"{live_server.url}/")
    page.locator("a[href$='/assessments/haiphong/check/']").first.click()
    assert fits_the_phone(page)
    row = page.locator(
        "#adjust-"
        + str(assessment_of(checking, world.haiphong).scores.get(criterion__code="I.1").pk)
    )
    row.locator("summary").click()
    row.locator("input[name=to_points]").fill("6")
    row.locator("textarea[name=reason]").fill("Minh chứng chưa đầy đủ.")
    row.locator("button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator(".alert-success").count() == 1
    adjustment = Adjustment.objects.get()
    assert adjustment.to_points == 6

    log_in_as(page, live_server, login, world.staff.username)
    page.goto(f"{live_server.url}/")
    page.locator(f"a[href$='/checking/adjustments/{adjustment.pk}/answer/']").first.click()
    assert fits_the_phone(page)
    page.fill("textarea[name=answer]", "Đơn vị đã bổ sung minh chứng.")
    page.locator("form.page-form [type=submit]").click()
    page.wait_for_load_state()

    log_in_as(page, live_server, login, world.secretariat.username)
    page.goto(f"{live_server.url}/evaluations/bac-bo/{world.year_a.year}/checking/")
    assert fits_the_phone(page)
    page.locator("a[href$='/assessments/haiphong/check/']").click()
    assert "Đơn vị đã bổ sung minh chứng." in page.content()
    page.locator(f"a[href$='/checking/adjustments/{adjustment.pk}/decide/']").click()
    assert fits_the_phone(page)
    page.locator("input[name=decision][value=accept]").check()
    page.locator("form.page-form [type=submit]").click()
    page.wait_for_load_state()
    page.locator("a[href$='/checking/haiphong/finalise/']").click()
    assert fits_the_phone(page)
    page.locator("form [type=submit].btn-primary").click()
    page.wait_for_load_state()
    assessment = Assessment.objects.get(pk=assessment_of(checking, world.haiphong).pk)
    assert assessment.state == Assessment.State.FINALISED
    assert assessment.scores.get(criterion__code="I.1").final_points == 6
    page.goto(f"{live_server.url}/evaluations/bac-bo/{world.year_a.year}/publish/")
    assert fits_the_phone(page)
