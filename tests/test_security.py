"""Security headers, sessions, the health endpoint and request ids, on real responses."""

import json
import logging
import re
import secrets
from unittest import mock

import pytest
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import OperationalError, connections
from django.urls import reverse

from cluster_portal.log import JsonFormatter, RequestIdFilter, request_id_var
from tests.factories import PASSWORD
from tests.test_settings import _manage

WORLD_YEAR = 2024

# Run in a subprocess with production settings (DEBUG off, every secure default on): one page
# requested over HTTPS, its headers and cookies printed as JSON.
PRODUCTION_PROBE = """
import json
from django.conf import settings
from django.test import Client, override_settings
static = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
with override_settings(STORAGES={**settings.STORAGES, "staticfiles": static}):
    response = Client().get("/accounts/login/", secure=True)
    plain = Client().get("/accounts/login/")
csrf = response.cookies["csrftoken"]
print(json.dumps({
    "status": response.status_code,
    "headers": dict(response.headers),
    "plain_status": plain.status_code,
    "csrf_cookie_secure": bool(csrf["secure"]),
    "settings": {name: getattr(settings, name) for name in [
        "DEBUG", "SESSION_COOKIE_SECURE", "SESSION_COOKIE_HTTPONLY", "CSRF_COOKIE_SECURE",
        "SESSION_EXPIRE_AT_BROWSER_CLOSE", "SESSION_SAVE_EVERY_REQUEST", "SESSION_COOKIE_AGE",
        "SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS", "LOG_FORMAT",
    ]},
}))
"""


def _directives(csp: str) -> dict[str, list[str]]:
    return {
        name: values for name, *values in (part.split() for part in csp.split(";") if part.strip())
    }


@pytest.fixture(scope="module")
def production():
    result = _manage(
        "shell",
        "-c",
        PRODUCTION_PROBE,
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(64),
        ALLOWED_HOSTS="testserver",
        DATABASE_URL="sqlite://",
        SESSION_IDLE_MINUTES="",
        LOG_FORMAT="",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


# Production settings, in a subprocess.


def test_production_page_carries_a_strict_content_security_policy(production):
    assert production["status"] == 200
    csp = _directives(production["headers"]["Content-Security-Policy"])
    assert csp["script-src"] == ["'self'"]
    assert csp["style-src"] == ["'self'"]
    assert csp["default-src"] == ["'self'"]
    assert csp["frame-ancestors"] == ["'none'"]
    assert csp["object-src"] == ["'none'"]
    assert "'unsafe-inline'" not in production["headers"]["Content-Security-Policy"]


def test_production_page_carries_the_other_security_headers(production):
    headers = production["headers"]
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Strict-Transport-Security"].startswith("max-age=31536000")
    assert "includeSubDomains" in headers["Strict-Transport-Security"]
    assert re.fullmatch(r"[0-9a-f]{32}", headers["X-Request-ID"])


def test_production_redirects_plain_http_and_secures_cookies(production):
    assert production["plain_status"] == 301
    assert production["csrf_cookie_secure"] is True
    assert production["settings"] | {"SESSION_COOKIE_AGE": None} == {
        "DEBUG": False,
        "SESSION_COOKIE_SECURE": True,
        "SESSION_COOKIE_HTTPONLY": True,
        "CSRF_COOKIE_SECURE": True,
        "SESSION_EXPIRE_AT_BROWSER_CLOSE": True,
        "SESSION_SAVE_EVERY_REQUEST": True,
        "SESSION_COOKIE_AGE": None,
        "SECURE_SSL_REDIRECT": True,
        "SECURE_HSTS_SECONDS": 31_536_000,
        "LOG_FORMAT": "json",
    }


def test_sessions_expire_after_an_hour_of_inactivity_by_default(production):
    assert production["settings"]["SESSION_COOKIE_AGE"] == 60 * 60


# Headers on responses of the test server.


def test_csp_header_forbids_inline_scripts(client, db):
    response = client.get(reverse("login"))
    csp = _directives(response["Content-Security-Policy"])
    assert csp["script-src"] == ["'self'"]
    assert "'unsafe-inline'" not in csp["script-src"]
    assert csp["img-src"] == ["'self'", "data:"]
    assert csp["form-action"] == ["'self'"]
    assert csp["base-uri"] == ["'self'"]


def test_hsts_header_is_sent_on_secure_requests(client, db, settings):
    settings.SECURE_HSTS_SECONDS = 3600
    response = client.get(reverse("login"), secure=True)
    assert response["Strict-Transport-Security"].startswith("max-age=3600")
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_hsts_header_is_not_sent_over_plain_http(client, db, settings):
    settings.SECURE_HSTS_SECONDS = 3600
    assert "Strict-Transport-Security" not in client.get(reverse("login"))


def test_session_cookie_is_secure_httponly_and_ends_with_the_browser(client, world, settings):
    settings.SESSION_COOKIE_SECURE = True
    response = client.post(
        reverse("login"),
        {"username": world.staff.username, "password": PASSWORD},
        secure=True,
    )
    assert response.status_code == 302
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["secure"] and cookie["httponly"]
    assert cookie["samesite"] == "Lax"
    assert not cookie["max-age"] and not cookie["expires"]  # a browser-session cookie


def test_every_request_renews_the_idle_timeout(client, world):
    client.force_login(world.staff)
    first = client.session.get_expiry_date()
    response = client.get(reverse("members:dashboard"))
    assert response.status_code == 200
    assert settings.SESSION_COOKIE_NAME in response.cookies  # saved again
    assert client.session.get_expiry_date() >= first


# The health endpoint.


def test_healthz_says_ok_without_login(client, db):
    response = client.get("/healthz")
    assert (response.status_code, response.content) == (200, b"ok")
    assert response["Content-Type"].startswith("text/plain")
    assert "no-store" in response["Cache-Control"]


def test_healthz_says_unavailable_when_the_database_fails(client, db):
    down = OperationalError("connection refused to 10.0.0.5")
    with mock.patch.object(connections["default"], "cursor", side_effect=down):
        response = client.get("/healthz")
    assert (response.status_code, response.content) == (503, b"unavailable")
    assert response["Content-Type"].startswith("text/plain")
    assert "no-store" in response["Cache-Control"]


def test_healthz_answers_only_get(client, db):
    assert client.post("/healthz").status_code == 405


def test_healthz_answers_plain_http_even_when_https_is_enforced(client, db, settings):
    settings.SECURE_SSL_REDIRECT = True
    assert client.get("/healthz").status_code == 200
    assert client.get(reverse("login")).status_code == 301


# Request ids.


def test_a_request_id_is_generated_when_the_proxy_sends_none(client, db):
    first = client.get("/healthz")["X-Request-ID"]
    second = client.get("/healthz")["X-Request-ID"]
    assert re.fullmatch(r"[0-9a-f]{32}", first) and first != second


def test_the_proxy_request_id_is_propagated(client, db):
    response = client.get("/healthz", headers={"X-Request-ID": "nginx-4f2a.9_b"})
    assert response["X-Request-ID"] == "nginx-4f2a.9_b"


@pytest.mark.parametrize("hostile", ["a" * 65, "id with spaces", "<script>", "x\u00e9"])
def test_an_odd_proxy_request_id_is_replaced(client, db, hostile):
    response = client.get("/healthz", headers={"X-Request-ID": hostile})
    assert re.fullmatch(r"[0-9a-f]{32}", response["X-Request-ID"])


def test_log_records_of_a_request_carry_its_id(client, db):
    records = []
    handler = logging.Handler()
    handler.addFilter(RequestIdFilter())
    handler.emit = records.append
    logger = logging.getLogger("cluster_portal.health")
    logger.addHandler(handler)
    try:
        with mock.patch.object(connections["default"], "cursor", side_effect=OperationalError):
            client.get("/healthz", headers={"X-Request-ID": "probe-1"})
    finally:
        logger.removeHandler(handler)
    assert [record.request_id for record in records] == ["probe-1"]
    assert request_id_var.get() == "-"  # reset once the request is over


def test_json_formatter_writes_one_object_per_line():
    record = logging.LogRecord("portal", logging.WARNING, __file__, 1, "Đã ký %s", ("x",), None)
    token = request_id_var.set("abc")
    try:
        RequestIdFilter().filter(record)
    finally:
        request_id_var.reset(token)
    line = JsonFormatter().format(record)
    assert "\n" not in line
    entry = json.loads(line)
    assert entry | {"time": None} == {
        "time": None,
        "level": "WARNING",
        "logger": "portal",
        "message": "Đã ký x",
        "request_id": "abc",
    }


# Error pages, with DEBUG off (as pytest-django runs every test).


def _switch_to_english(client):
    client.post(reverse("set_language"), {"language": "en", "next": "/"})


def test_404_page_speaks_vietnamese_by_default(client, world):
    client.force_login(world.staff)
    response = client.get("/khong-co-trang-nay/")
    assert response.status_code == 404
    assert "Không tìm thấy trang" in response.content.decode()


def test_404_page_speaks_english_after_the_switch(client, world):
    client.force_login(world.staff)
    _switch_to_english(client)
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def test_403_page_speaks_vietnamese_by_default(client, world):
    client.force_login(world.staff)
    response = client.get(
        reverse("members:clusteryear-update", kwargs={"code": "bac-bo", "year": WORLD_YEAR})
    )
    assert response.status_code == 403
    assert "Không có quyền truy cập" in response.content.decode()


def test_403_page_speaks_english_after_the_switch(client, world):
    client.force_login(world.staff)
    _switch_to_english(client)
    response = client.get(
        reverse("members:clusteryear-update", kwargs={"code": "bac-bo", "year": WORLD_YEAR})
    )
    assert response.status_code == 403
    assert "Access denied" in response.content.decode()


def _too_many_fields(client):
    """A POST with more fields than Django accepts: refused as a bad request (400)."""
    fields = {f"field{n}": "x" for n in range(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 1)}
    return client.post(reverse("password_change"), fields)


def test_400_page_speaks_vietnamese_by_default(client, world):
    client.force_login(world.staff)
    response = _too_many_fields(client)
    assert response.status_code == 400
    assert "400.html" in [t.name for t in response.templates]
    assert "Yêu cầu không hợp lệ" in response.content.decode()


def test_400_page_speaks_english_after_the_switch(client, world):
    client.force_login(world.staff)
    _switch_to_english(client)
    response = _too_many_fields(client)
    assert response.status_code == 400
    assert "The request could not be understood" in response.content.decode()


# Passwords.


def test_argon2_is_the_first_password_hasher():
    assert settings.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"
    assert make_password("một mật khẩu dài").startswith("argon2$")


@pytest.mark.parametrize("weak", ["12345678", "123456789012", "password1234"])
def test_password_change_refuses_a_weak_password(client, world, weak):
    client.force_login(world.staff)
    response = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": weak, "new_password2": weak},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["new_password2"]
    world.staff.refresh_from_db()
    assert world.staff.check_password(PASSWORD)
