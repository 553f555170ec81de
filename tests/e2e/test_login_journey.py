"""A signatory's first visit: log in, read the dashboard, switch language, log out."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_signatory_logs_in_sees_members_in_vietnamese_switches_to_english_and_logs_out(
    demo, login, page, live_server
):
    page.goto(f"{live_server.url}/")
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/$"))

    login("haiphong.signer")

    expect(page).to_have_url(f"{live_server.url}/")
    expect(page.locator("html")).to_have_attribute("lang", "vi")
    expect(page.get_by_role("button", name="Đăng xuất")).to_be_visible()
    main = page.locator("main")
    expect(main).to_contain_text("Cụm thi đua các tỉnh, thành Bắc Bộ")
    # 2026 (after the mergers) is the signatory's current year: its members are listed.
    for name in (
        "Sở Nội vụ thành phố Hà Nội",
        "Sở Nội vụ tỉnh Phú Thọ",
        "Sở Nội vụ tỉnh Ninh Bình",
    ):
        expect(main).to_contain_text(name)
    expect(main).not_to_contain_text("Sở Nội vụ tỉnh Hải Dương")

    page.get_by_label("Ngôn ngữ").select_option("en")
    page.get_by_role("button", name="Đổi ngôn ngữ").click()

    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("button", name="Log out")).to_be_visible()
    expect(page.locator("main")).to_contain_text("Sở Nội vụ tỉnh Phú Thọ")

    page.get_by_role("button", name="Log out").click()
    expect(page).to_have_url(re.compile(r"/accounts/login/$"))
    page.goto(f"{live_server.url}/")
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/$"))


def test_wrong_password_shows_a_clear_message(demo, login, page):
    login("haiphong.signer", password="not-the-password")

    alert = page.get_by_role("alert")
    expect(alert).to_be_visible()
    expect(alert).to_contain_text("mật khẩu")
    expect(page.locator("#id_username")).to_have_value("haiphong.signer")


def test_repeated_failures_lock_the_account_even_for_the_right_password(
    demo, login, page, settings
):
    for _attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        login("vinhphuc.signer", password="wrong-password")
        expect(page.get_by_role("alert")).to_be_visible()
    login("vinhphuc.signer", password="wrong-password")  # the failure that locks

    login("vinhphuc.signer")

    expect(page.locator("main")).to_contain_text("tạm thời bị khóa")
    expect(page.get_by_role("button", name="Đăng xuất")).to_have_count(0)
