"""The client address behind reverse proxies, as the login throttle, signatures and audit
events see it.

The requests come through the real test client as they would reach the app server from one
proxy (``REMOTE_ADDR``) that appended the client it saw to ``X-Forwarded-For``.
"""

import pytest
from django.test import RequestFactory
from django.urls import reverse

from cluster_portal.net import client_address
from tests.factories import PASSWORD
from tests.test_settings import _manage

PROXY = "10.0.0.2"
ATTACKER = "198.51.100.66"
OFFICIAL = "203.0.113.24"
LOGIN_URL = reverse("login")


@pytest.fixture
def behind_one_proxy(settings):
    settings.PROXY_COUNT = 1


def login(client, username, *, client_ip, password=PASSWORD, forwarded=None):
    """Log in through the proxy: it appends ``client_ip`` to what the client sent."""
    chain = f"{forwarded}, {client_ip}" if forwarded else client_ip
    return client.post(
        LOGIN_URL,
        {"username": username, "password": password},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=chain,
    )


def fail_until_locked(client, username, *, client_ip, settings):
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        login(client, username, client_ip=client_ip, password="sai-mat-khau-1234")


def logged_in(response) -> bool:
    return response.status_code == 302 and response.wsgi_request.user.is_authenticated


# The address itself


def meta_request(remote, forwarded=None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


def test_without_proxies_the_forwarded_header_is_ignored(settings):
    settings.PROXY_COUNT = 0
    assert client_address(meta_request(PROXY, ATTACKER)) == PROXY


def test_behind_one_proxy_the_client_is_the_last_forwarded_entry(behind_one_proxy):
    assert client_address(meta_request(PROXY, f"192.0.2.1, {OFFICIAL}")) == OFFICIAL


def test_behind_two_proxies_the_client_is_the_second_entry_from_the_right(settings):
    settings.PROXY_COUNT = 2
    forwarded = f"192.0.2.1, {OFFICIAL}, 10.0.0.1"
    assert client_address(meta_request(PROXY, forwarded)) == OFFICIAL


def test_a_forwarded_header_shorter_than_the_proxy_chain_falls_back_to_the_connection(settings):
    settings.PROXY_COUNT = 2
    assert client_address(meta_request(PROXY, OFFICIAL)) == PROXY


@pytest.mark.parametrize("forwarded", ["", "not-an-address", "203.0.113.24, <script>", " , "])
def test_a_malformed_forwarded_entry_falls_back_to_the_connection(behind_one_proxy, forwarded):
    assert client_address(meta_request(PROXY, forwarded)) == PROXY


def test_an_ipv6_client_is_given_in_canonical_form(behind_one_proxy):
    assert client_address(meta_request(PROXY, "2001:0DB8:0:0:0:0:0:1")) == "2001:db8::1"


# The login lock-out behind the proxy


def test_failed_logins_through_the_proxy_do_not_lock_out_another_client(
    client, world, behind_one_proxy, settings
):
    fail_until_locked(client, world.staff.username, client_ip=ATTACKER, settings=settings)
    response = login(client, world.signatory.username, client_ip=OFFICIAL)
    assert logged_in(response)


def test_failed_logins_do_not_lock_out_the_same_user_from_another_address(
    client, world, behind_one_proxy, settings
):
    fail_until_locked(client, world.staff.username, client_ip=ATTACKER, settings=settings)
    response = login(client, world.staff.username, client_ip=OFFICIAL)
    assert logged_in(response)


def test_failed_logins_lock_out_that_user_from_that_address(
    client, world, behind_one_proxy, settings
):
    fail_until_locked(client, world.staff.username, client_ip=ATTACKER, settings=settings)
    response = login(client, world.staff.username, client_ip=ATTACKER)
    assert (response.status_code, response.wsgi_request.user.is_authenticated) == (429, False)


def test_a_spoofed_forwarded_entry_does_not_escape_the_lock_out(
    client, world, behind_one_proxy, settings
):
    fail_until_locked(client, world.staff.username, client_ip=ATTACKER, settings=settings)
    # The attacker claims to be the official; the proxy appends the attacker's real address.
    response = login(client, world.staff.username, client_ip=ATTACKER, forwarded=OFFICIAL)
    assert (response.status_code, response.wsgi_request.user.is_authenticated) == (429, False)


def test_a_spoofed_forwarded_entry_cannot_lock_out_the_address_it_names(
    client, world, behind_one_proxy, settings
):
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        login(
            client,
            world.staff.username,
            client_ip=ATTACKER,
            forwarded=OFFICIAL,
            password="sai-mat-khau-1234",
        )
    response = login(client, world.staff.username, client_ip=OFFICIAL)
    assert logged_in(response)


# The setting, from the environment


def proxy_count_from_environment(**env) -> str:
    code = "from django.conf import settings; print(settings.PROXY_COUNT)"
    return _manage("shell", "-c", code, DEBUG="1", **env).stdout.strip().splitlines()[-1]


def test_proxy_count_comes_from_the_environment():
    assert proxy_count_from_environment(PROXY_COUNT="2") == "2"


def test_the_older_axes_proxy_count_variable_still_works():
    assert proxy_count_from_environment(AXES_PROXY_COUNT="1") == "1"


def test_axes_takes_the_client_address_from_the_same_function(settings):
    assert settings.AXES_CLIENT_IP_CALLABLE == "cluster_portal.net.client_address"
