"""Hưng Yên's staff fill in some lines of the self-assessment with evidence, the signatory
submits it with the password, the secretariat returns it with a reason, and it is
resubmitted.

The data is built here (a world-like cluster year, ``evaluation_for``), not from the demo.
Elements are found by address, name and id, so the journey does not depend on translations;
on a phone (390 px) the form does not scroll sideways.
"""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from evaluations.models import Assessment, Evidence, Score
from tests.factories import ClusterFactory, UserFactory
from tests.helpers import (
    PASSWORD,
    assessment_of,
    assessment_url,
    cluster_year_with,
    department,
    evaluation_for,
    pdf_bytes,
)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def hungyen(transactional_db, settings, tmp_path):
    """A 2026 cluster year (Hà Nội leads, Hưng Yên a member) with self-assessment open and
    line I.1 requiring evidence; Hưng Yên's assessment."""
    settings.MEDIA_ROOT = tmp_path / "media"
    hanoi = department("Hà Nội", "hanoi", "thành phố")
    hungyen = department("Hưng Yên", "hungyen")
    cluster = ClusterFactory(code="bac-bo", name="Cụm thi đua các tỉnh, thành Bắc Bộ")
    cluster_year = cluster_year_with(cluster, 2026, leader=hanoi, members=[hungyen])
    UserFactory(username="secretariat", department=hanoi)
    UserFactory(username="hungyen.staff", department=hungyen)
    UserFactory(username="hungyen.signer", department=hungyen, signatory=True)
    evaluation = evaluation_for(
        cluster_year, self_assessment_deadline=timezone.now() + datetime.timedelta(days=10)
    )
    evaluation.criteria.filter(code="I.1").update(evidence_required=True)
    return assessment_of(evaluation, hungyen)


def field(assessment, code) -> str:
    pk = Score.objects.get(assessment=assessment, criterion__code=code).pk
    return f"#id_value_{pk}"


def log_out(page):
    page.locator("form[action='/accounts/logout/'] [type=submit]").click()
    expect(page).to_have_url(re.compile(r"/accounts/login/$"))


def assert_fits_the_phone(page):
    """Nothing stands out past the right edge of a 390 px screen."""
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], page.url


def state(assessment) -> str:
    return Assessment.objects.get(pk=assessment.pk).state


def test_staff_fill_the_signatory_submits_the_secretariat_returns_and_it_is_resubmitted(
    hungyen, login, page, live_server
):
    detail = f"{live_server.url}{assessment_url(hungyen)}"
    edit_path = assessment_url(hungyen, "assessment-edit")

    # Staff fill some lines and save a draft.
    login("hungyen.staff")
    page.goto(detail)
    page.locator(f"a[href='{edit_path}']").first.click()
    page.fill(field(hungyen, "I.1"), "7,5")
    page.select_option(field(hungyen, "I.2"), "yes")
    page.fill(field(hungyen, "I.3"), "3")
    page.locator("form.assessment-form button[name=save]").click()
    expect(page.locator(".alert-success")).to_be_visible()
    expect(page.locator(field(hungyen, "I.1"))).to_have_value("7,50")

    # Evidence for I.1: a PDF; for I.3: a page of the portal.
    i1 = Score.objects.get(assessment=hungyen, criterion__code="I.1")
    page.locator(f"a[href$='evidence/add/?line={i1.pk}']").click()
    page.check("input[name=source][value=file]")
    page.set_input_files(
        "#id_file",
        files=[{"name": "bao-cao.pdf", "mimeType": "application/pdf", "buffer": pdf_bytes()}],
    )
    page.fill("#id_title", "Báo cáo tổng kết năm")
    page.locator("form.page-form [type=submit]").click()
    expect(page).to_have_url(re.compile(re.escape(edit_path)))
    expect(page.locator(f"#line-{i1.pk} .evidence-list")).to_contain_text("Báo cáo tổng kết năm")

    i3 = Score.objects.get(assessment=hungyen, criterion__code="I.3")
    page.locator(f"a[href$='evidence/add/?line={i3.pk}']").click()
    page.check("input[name=source][value=link]")
    page.fill("#id_link", "https://evil.example.com/")
    page.locator("form.page-form [type=submit]").click()
    expect(page.locator("#id_link.is-invalid")).to_be_visible()  # another host: refused
    page.check("input[name=source][value=link]")
    page.fill("#id_link", edit_path)
    page.locator("form.page-form [type=submit]").click()
    expect(page.locator(f"#line-{i3.pk} .evidence-list a")).to_have_count(2)  # link + remove
    assert Evidence.objects.filter(score__assessment=hungyen).count() == 2

    # The rest of the lines, on a phone: the form fits the screen.
    page.set_viewport_size(PHONE)
    page.fill(field(hungyen, "I.4"), "80")
    page.fill(field(hungyen, "II.1"), "3")
    page.fill(field(hungyen, "II.2"), "2,5")
    page.fill(field(hungyen, "III.1"), "0")
    assert_fits_the_phone(page)
    page.locator("form.assessment-form button[name=save]").click()
    expect(page.locator(".alert-success")).to_be_visible()
    log_out(page)

    # The signatory submits with the password (a wrong one first).
    login("hungyen.signer")
    page.goto(detail)
    assert_fits_the_phone(page)  # the viewport stays a phone's from here on
    page.locator("a[href$='/submit/']").click()
    expect(page.locator(".submit-total")).to_have_text("24,50")
    assert_fits_the_phone(page)
    page.check("#id_confirm")
    page.fill("#id_password", "sai-mat-khau")
    page.locator("form.submit-form [type=submit]").click()
    expect(page.locator("#id_password.is-invalid")).to_be_visible()
    assert state(hungyen) == Assessment.State.DRAFT
    page.check("#id_confirm")
    page.fill("#id_password", PASSWORD)
    page.locator("form.submit-form [type=submit]").click()
    expect(page).to_have_url(detail)
    assert state(hungyen) == Assessment.State.SUBMITTED
    log_out(page)

    # The secretariat returns it with a reason.
    login("secretariat")
    page.goto(detail)
    page.locator("a[href$='/return/']").click()
    assert_fits_the_phone(page)
    page.fill("#id_reason", "Đề nghị bổ sung minh chứng cho tiêu chí II.1.")
    page.locator("form.return-form [type=submit]").click()
    expect(page.locator(".return-reason")).to_contain_text("bổ sung minh chứng")
    assert state(hungyen) == Assessment.State.DRAFT
    expect(page.locator("a[href$='/return/']")).to_have_count(0)
    log_out(page)

    # Staff correct a line; the signatory resubmits.
    login("hungyen.staff")
    page.goto(f"{live_server.url}{edit_path}")
    expect(page.locator(".assessment-returned")).to_contain_text("bổ sung minh chứng")
    page.fill(field(hungyen, "II.1"), "2")
    page.locator("form.assessment-form button[name=save]").click()
    expect(page.locator(".alert-success")).to_be_visible()
    log_out(page)

    login("hungyen.signer")
    page.goto(f"{live_server.url}{assessment_url(hungyen, 'assessment-submit')}")
    page.check("#id_confirm")
    page.fill("#id_password", PASSWORD)
    page.locator("form.submit-form [type=submit]").click()
    expect(page).to_have_url(detail)
    expect(page.locator(".return-reason")).to_contain_text("bổ sung minh chứng")
    assert state(hungyen) == Assessment.State.SUBMITTED
