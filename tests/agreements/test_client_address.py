"""Signing through a reverse proxy records the client's address, not the proxy's."""

import pytest
from django.urls import reverse

from agreements.models import Signature
from cluster_portal.models import AuditEvent
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

PROXY = "10.0.0.2"
OFFICIAL = "203.0.113.24"


def sign_through_proxy(client, world, *, forwarded):
    client.force_login(world.signatory)
    return client.post(
        reverse(
            "agreements:covenant-sign",
            kwargs={"code": world.cluster_a.code, "year": world.year_a.year},
        ),
        {"confirm": "on", "password": PASSWORD},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=forwarded,
    )


def test_a_signature_through_the_proxy_records_the_client_address(
    client, world, covenant, settings
):
    settings.PROXY_COUNT = 1
    # The client sent a made-up entry of its own; the proxy appended the address it saw.
    response = sign_through_proxy(client, world, forwarded=f"192.0.2.99, {OFFICIAL}")
    assert response.status_code == 302
    signature = Signature.objects.get(department=world.haiphong)
    event = AuditEvent.objects.get(action="signature.signed")
    assert (signature.ip_address, event.ip_address) == (OFFICIAL, OFFICIAL)


def test_without_a_configured_proxy_a_forwarded_header_is_not_believed(
    client, world, covenant, settings
):
    settings.PROXY_COUNT = 0
    sign_through_proxy(client, world, forwarded=OFFICIAL)
    signature = Signature.objects.get(department=world.haiphong)
    assert signature.ip_address == PROXY
