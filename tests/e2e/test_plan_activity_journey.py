"""The secretariat adds an activity hosted by Vĩnh Phúc; Vĩnh Phúc's staff find it in the
calendar, mark it done with an outcome note, and the plan's progress moves.

The demo's 2019 year is closed (history, read-only) and Vĩnh Phúc is no longer a member in
2026 (merged into Phú Thọ on 1 July 2025), so the journey runs in a 2025 year of the demo
cluster, still open, in which Vĩnh Phúc is a member (it existed until 30 June 2025).
Elements are found by address, name and id, so the journey does not depend on translations.
"""

import datetime
import re

import pytest
from playwright.sync_api import expect

from members.models import Cluster, ClusterYear, Department, User
from plans import services
from tests.helpers import cluster_year_with

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

TITLE = "Hội thảo chuyên đề: Chuyển đổi số trong công tác thi đua, khen thưởng"
PLAN_URL = "/plans/clusters/bac-bo/2025/"


@pytest.fixture
def year_2025(demo, settings, tmp_path):
    """An open 2025 year of the demo cluster (Hà Nội leads) with its work plan and one
    activity, hosted by Hải Phòng and not started, so the plan stands at 0%."""
    settings.MEDIA_ROOT = tmp_path / "media"
    cluster = Cluster.objects.get(code="bac-bo")
    departments = {d.code: d for d in Department.objects.all()}
    cluster_year = cluster_year_with(
        cluster,
        2025,
        leader=departments["hanoi"],
        members=[departments[c] for c in ("vinhphuc", "haiphong", "bacninh", "quangninh")],
        phase=ClusterYear.Phase.IN_PROGRESS,
        is_illustrative=True,
    )
    secretariat = User.objects.get(username="secretariat")
    plan = services.work_plan_create(
        cluster_year=cluster_year,
        title="Kế hoạch công tác thi đua, khen thưởng năm 2025",
        by=secretariat,
    )
    services.activity_create(
        work_plan=plan,
        title="Giao lưu, học tập kinh nghiệm tại Hải Phòng",
        kind="exchange_visit",
        host=departments["haiphong"],
        starts_on=datetime.date(2025, 3, 5),
        ends_on=datetime.date(2025, 3, 5),
        by=secretariat,
    )
    return plan


def log_out(page):
    page.locator("form[action='/accounts/logout/'] [type=submit]").click()
    expect(page).to_have_url(re.compile(r"/accounts/login/$"))


def test_secretariat_adds_an_activity_and_the_host_reports_it_done(
    year_2025, login, page, live_server
):
    login("secretariat")
    page.goto(f"{live_server.url}{PLAN_URL}")
    expect(page.locator(".plan-progress")).to_contain_text("0%")

    page.locator("a[href$='/activities/new/']").click()
    page.fill("#id_title", TITLE)
    page.select_option("#id_kind", "seminar")
    page.select_option("#id_host", label="Sở Nội vụ tỉnh Vĩnh Phúc")
    # Typed day first, as the portal writes dates (a text input, not the browser's picker).
    page.fill("#id_starts_on", "12/03/2025")
    page.fill("#id_ends_on", "13/03/2025")
    page.fill("#id_venue", "Sở Nội vụ tỉnh Vĩnh Phúc")
    page.locator("form.activity-form [type=submit]").click()

    expect(page).to_have_url(re.compile(r"/plans/activities/\d+/$"))
    expect(page.locator("h1")).to_have_text(TITLE)
    expect(page.locator("main")).to_contain_text("Sở Nội vụ tỉnh Vĩnh Phúc")
    log_out(page)

    login("vinhphuc.staff")
    page.locator("header a[href='/plans/calendar/']").click()
    expect(page).to_have_url(re.compile(r"/plans/clusters/bac-bo/calendar/2025/3/$"))
    event = page.locator(".calendar-grid a.calendar-event", has_text=TITLE)
    expect(event).to_have_count(2)  # on the 12th and the 13th

    event.first.click()
    expect(page.locator("h1")).to_have_text(TITLE)
    page.locator("a[href$='/edit/']").click()
    expect(page.locator("#id_title")).to_have_count(0)  # the host reports; it does not retitle
    page.select_option("#id_status", "done")
    page.fill(
        "#id_outcome_notes", "Hội thảo thành công, 11 đơn vị tham dự, thống nhất 5 kiến nghị."
    )
    page.locator("form.activity-form [type=submit]").click()

    expect(page).to_have_url(re.compile(r"/plans/activities/\d+/$"))
    expect(page.locator(".activity-outcome")).to_contain_text("Hội thảo thành công")
    expect(page.locator(".activity-progress")).to_contain_text("100%")

    page.locator(f"main a[href='{PLAN_URL}']").first.click()
    expect(page).to_have_url(f"{live_server.url}{PLAN_URL}")
    expect(page.locator(".plan-progress")).to_contain_text("50%")
