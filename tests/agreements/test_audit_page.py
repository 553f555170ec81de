"""The covenant's audit page in plain words: event names, browser, GMT+7, evidence folded."""

import re

import pytest
from django.urls import reverse

from cluster_portal.audit import RequestMeta
from cluster_portal.models import AuditEvent
from tests.helpers import WORLD_YEAR, queries_for, sign

pytestmark = pytest.mark.django_db

URL = reverse("agreements:covenant-audit", kwargs={"code": "bac-bo", "year": WORLD_YEAR})
ANDROID_CHROME = (
    "Mozilla/5.0 (Linux; Android 14; SM-A546E) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/124.0.0.0 Mobile Safari/537.36"
)
PHONE = RequestMeta(ip_address="203.0.113.77", user_agent=ANDROID_CHROME)


def audit_page(client, user) -> str:
    client.force_login(user)
    response = client.get(URL)
    assert response.status_code == 200
    return response.content.decode()


def test_events_are_named_in_vietnamese_and_their_codes_fold_away(client, world, covenant):
    html = audit_page(client, world.secretariat)
    actions = re.findall(r'<th scope="row" class="fw-semibold">\s*(.*?)\s*</th>', html, re.S)
    assert actions[:2] == ["Đã tạo dự thảo", "Mở ký"]
    assert "covenant.opened" not in re.sub(r"<details.*?</details>", "", html, flags=re.S)


def test_the_signatory_browser_is_named_in_plain_words(client, world, covenant, signatories):
    sign(covenant, signatories["haiphong"], meta=PHONE)
    html = audit_page(client, world.secretariat)
    assert '<span class="d-block audit-browser">Chrome trên Android</span>' in html


def test_the_raw_user_agent_and_ip_address_fold_away(client, world, covenant, signatories):
    sign(covenant, signatories["haiphong"], meta=PHONE)
    html = audit_page(client, world.secretariat)
    outside = re.sub(r"<details.*?</details>", "", html, flags=re.S)
    assert ANDROID_CHROME in html and "203.0.113.77" in html
    assert ANDROID_CHROME not in outside and "203.0.113.77" not in outside


def test_event_hashes_fold_away(client, world, covenant):
    html = audit_page(client, world.secretariat)
    outside = re.sub(r"<details.*?</details>", "", html, flags=re.S)
    for event in AuditEvent.objects.filter(target_type="agreements.covenant"):
        assert event.hash in html and event.hash not in outside


def test_times_say_gmt7(client, world, covenant):
    assert "(GMT+7)" in audit_page(client, world.secretariat)


def test_the_audit_page_costs_the_same_with_one_and_three_signatures(
    client, world, covenant, signatories
):
    sign(covenant, signatories["haiphong"], meta=PHONE)
    small = queries_for(client, world.secretariat, URL)
    sign(covenant, signatories["bacninh"], meta=PHONE)
    sign(covenant, signatories["vinhphuc"])
    assert len(queries_for(client, world.secretariat, URL)) == len(small)
