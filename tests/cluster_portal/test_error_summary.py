"""After a refused submit, every form opens with the error summary (GOV.UK pattern): an alert
with a heading, the form's own errors and a link to each field at fault; the page loads the
script that focuses it (the browser test is tests/e2e/test_error_summary_phone.py)."""

import re

import pytest
from django.urls import reverse

from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

SUMMARY = re.compile(r'<div class="alert alert-danger error-summary" role="alert" tabindex="-1"')


def sign_url(covenant):
    year = covenant.cluster_year
    return reverse(
        "agreements:covenant-sign", kwargs={"code": year.cluster.code, "year": year.year}
    )


def summary_of(html: str) -> str:
    start = SUMMARY.search(html).start()
    return html[start : html.index("</div>", start)]


def test_a_refused_signature_opens_with_the_summary_linking_to_the_password(
    client, world, covenant
):
    client.force_login(world.signatory)
    html = client.post(sign_url(covenant), {"confirm": "on", "password": "sai"}).text
    summary = summary_of(html)
    assert '<a href="#id_password">' in summary
    assert "Mật khẩu không đúng" in summary


def test_the_signing_pages_summary_comes_before_the_covenant_text(client, world, covenant):
    client.force_login(world.signatory)
    html = client.post(sign_url(covenant), {"password": "sai"}).text
    assert SUMMARY.search(html).start() < html.index("covenant-scroll")


def test_the_signing_page_shows_one_summary_only(client, world, covenant):
    client.force_login(world.signatory)
    html = client.post(sign_url(covenant), {"password": "sai"}).text
    assert len(SUMMARY.findall(html)) == 1


def test_the_summary_has_a_heading(client, world, covenant):
    client.force_login(world.signatory)
    html = client.post(sign_url(covenant), {"password": "sai"}).text
    assert '<h2 class="alert-heading h5">Có lỗi cần sửa</h2>' in summary_of(html)


def test_a_form_rendered_by_crispy_opens_with_the_summary_linking_to_each_field(client, world):
    client.force_login(world.staff)
    html = client.post(reverse("password_change"), {"old_password": ""}).text
    summary = summary_of(html)
    assert '<a href="#id_old_password">' in summary
    assert '<a href="#id_new_password1">' in summary


def test_a_forms_own_errors_are_in_the_summary(client, world):
    html = client.post(reverse("login"), {"username": world.staff.username, "password": "sai"}).text
    assert "<li>" in summary_of(html)


def test_a_page_shown_for_the_first_time_has_no_summary(client, world, covenant):
    client.force_login(world.signatory)
    assert not SUMMARY.search(client.get(sign_url(covenant)).text)


def test_a_right_password_leaves_no_summary_behind(client, world, covenant):
    client.force_login(world.signatory)
    response = client.post(sign_url(covenant), {"confirm": "on", "password": PASSWORD}, follow=True)
    assert not SUMMARY.search(response.text)


def test_every_page_loads_the_script_that_focuses_the_summary(client):
    assert (
        '<script src="/static/js/error-summary.js" defer></script>'
        in client.get(reverse("login")).text
    )
