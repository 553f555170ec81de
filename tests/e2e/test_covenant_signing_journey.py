"""A 2026 signatory signs the covenant; the secretariat sees it; a second attempt is refused."""

import re

import pytest
from playwright.sync_api import expect

from agreements.models import Signature

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def signatures_2026(code):
    return Signature.objects.filter(department__code=code, covenant__cluster_year__year=2026)


@pytest.fixture
def demo_with_covenants(demo):
    from agreements import demo as agreements_demo

    agreements_demo.load()
    return demo


def test_signatory_signs_with_password_and_the_board_shows_it_and_a_second_try_is_refused(
    demo_with_covenants, login, page, live_server, browser
):
    login("ninhbinh.signer")
    page.get_by_role("link", name=re.compile("Giao ước thi đua năm 2026")).first.click()
    expect(page.locator("main")).to_contain_text("GIAO ƯỚC THI ĐUA NĂM 2026")

    page.get_by_role("link", name="Ký giao ước").first.click()
    page.get_by_label(re.compile("Sở Nội vụ tỉnh Ninh Bình")).check()
    page.get_by_label("Mật khẩu của bạn").fill("wrong-password")
    page.get_by_role("button", name="Xác nhận và ký").click()
    expect(page.locator("main")).to_contain_text("Mật khẩu không đúng")
    assert not signatures_2026("ninhbinh").exists()

    page.get_by_label(re.compile("Sở Nội vụ tỉnh Ninh Bình")).check()
    page.get_by_label("Mật khẩu của bạn").fill("cum-thi-dua-2019")
    page.get_by_role("button", name="Xác nhận và ký").click()
    expect(page.locator("main")).to_contain_text("đã được hệ thống ghi nhận")
    signature = signatures_2026("ninhbinh").get(voided_at__isnull=True)
    assert signature.method == Signature.Method.PORTAL
    assert signature.ip_address == "127.0.0.1"

    # A second attempt, from a page opened before signing, is refused with a clear message.
    page.goto(f"{live_server.url}/covenants/bac-bo/2026/sign/")
    expect(page.get_by_role("alert").first).to_contain_text("đã phản hồi")
    assert signatures_2026("ninhbinh").count() == 1

    secretariat = browser.new_context().new_page()
    secretariat.goto(f"{live_server.url}/accounts/login/")
    secretariat.fill("#id_username", "secretariat")
    secretariat.fill("#id_password", "cum-thi-dua-2019")
    secretariat.locator("#login-form [type=submit]").click()
    secretariat.goto(f"{live_server.url}/covenants/bac-bo/2026/board/")
    row = secretariat.get_by_role("row", name=re.compile("Sở Nội vụ tỉnh Ninh Bình"))
    expect(row).to_contain_text("Đã ký")
    expect(secretariat.locator("main")).to_contain_text("57%")
