"""On a phone (390 px), a refused submit on the signing page lands on the error summary:
it is focused and in view, not below the covenant's long text, and its link takes the
signatory to the password field."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}

FOCUSED_SUMMARY = "() => document.activeElement.hasAttribute('data-error-summary')"
SUMMARY_TOP = "() => document.querySelector('[data-error-summary]').getBoundingClientRect().top"


@pytest.fixture
def demo_with_covenants(demo):
    from agreements import demo as agreements_demo

    agreements_demo.load()
    return demo


@pytest.fixture
def refused_on_a_phone(demo_with_covenants, login, page, live_server):
    """ninhbinh.signer on a phone submits the signing form with a wrong password."""
    login("ninhbinh.signer")
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/covenants/bac-bo/2026/sign/")
    page.get_by_label(re.compile("Sở Nội vụ tỉnh Ninh Bình")).check()
    page.get_by_label("Mật khẩu của bạn").fill("wrong-password")
    page.get_by_role("button", name="Xác nhận và ký").click()
    page.wait_for_load_state("load")
    return page


def test_a_refused_signature_on_a_phone_focuses_the_error_summary(refused_on_a_phone):
    page = refused_on_a_phone
    summary = page.locator("[data-error-summary]")
    expect(summary).to_contain_text("Mật khẩu không đúng")
    page.wait_for_function(FOCUSED_SUMMARY)
    assert page.evaluate(FOCUSED_SUMMARY)


def test_a_refused_signature_on_a_phone_shows_the_error_summary_in_view(refused_on_a_phone):
    page = refused_on_a_phone
    page.wait_for_function(FOCUSED_SUMMARY)
    top = page.evaluate(SUMMARY_TOP)
    assert 0 <= top < PHONE["height"] / 2, top
    expect(page.locator("[data-error-summary]")).to_be_in_viewport()


def test_the_summarys_link_takes_the_signatory_to_the_password_field(refused_on_a_phone):
    page = refused_on_a_phone
    page.locator("[data-error-summary] a[href='#id_password']").click()
    expect(page.locator("#id_password")).to_be_focused()
    expect(page.locator("#id_password")).to_be_in_viewport()
