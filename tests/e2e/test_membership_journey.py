"""On a phone, the secretariat removes Quảng Ninh from the demo's 2026 year after
confirming, then adds it back; the year page never scrolls sideways.

Only the members demo is loaded (no covenant, no plans), so nothing in the year's records
names Quảng Ninh and the removal is allowed. Elements are found by address and role
attributes, so the journey does not depend on translations.
"""

import pytest
from playwright.sync_api import expect

from members.models import Membership

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

YEAR_URL = "/clusters/bac-bo/2026/"
REMOVE_URL = "/clusters/bac-bo/2026/members/quangninh/remove/"
ADD_URL = "/clusters/bac-bo/2026/members/add/"


def no_sideways_scroll(page):
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], f"the page is {width} px wide"


def is_member(code):
    return Membership.objects.filter(
        cluster_year__cluster__code="bac-bo", cluster_year__year=2026, department__code=code
    ).exists()


def test_the_secretariat_removes_and_adds_back_a_member_on_a_phone(demo, login, live_server):
    page = login("secretariat")
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}{YEAR_URL}")
    no_sideways_scroll(page)

    page.locator(f"a[href='{REMOVE_URL}']").click()
    expect(page).to_have_url(f"{live_server.url}{REMOVE_URL}")
    assert is_member("quangninh"), "nothing changes before the confirmation"
    page.locator("main form[method='post'] [type=submit]").click()
    expect(page).to_have_url(f"{live_server.url}{YEAR_URL}")
    expect(page.locator(".alert-success")).to_contain_text("Quảng Ninh")
    expect(page.locator(f"a[href='{REMOVE_URL}']")).to_have_count(0)
    assert not is_member("quangninh")
    no_sideways_scroll(page)

    page.locator(f"a[href='{ADD_URL}']").click()
    page.select_option("#id_department", label="Sở Nội vụ tỉnh Quảng Ninh")
    page.locator("main form[method='post'] [type=submit]").click()
    expect(page).to_have_url(f"{live_server.url}{YEAR_URL}")
    expect(page.locator(".alert-success")).to_contain_text("Quảng Ninh")
    expect(page.locator(f"a[href='{REMOVE_URL}']")).to_have_count(1)
    assert is_member("quangninh")
    no_sideways_scroll(page)
