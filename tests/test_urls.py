"""Cross-cutting guarantees checked against the whole URL configuration.

The URL patterns are enumerated, so a new endpoint is covered without touching this file.
"""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

# Pages deliberately readable without login (name → why).
PUBLIC_URL_NAMES = {
    "login": "the login page itself",
    "set_language": "the language switch works on the login page",
    "healthz": "probed by load balancers; says only ok or unavailable",
}
# Apps whose views are public by design, e.g. published news and token-protected feeds.
PUBLIC_PREFIXES = ("plans:news-public", "plans:feed-")
# POSTs that change nothing in the portal, so reviewers may make them.
READ_ONLY_ALLOWED_FOR_REVIEWERS = {
    "logout",
    "set_language",
    "password_change",
    "login",
    "agreements:pdf-verify",
}


def _walk(patterns, prefix="", namespace=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            if entry.namespace == "admin":
                continue  # Django's admin checks is_staff itself
            inner_ns = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _walk(entry.url_patterns, prefix + str(entry.pattern), inner_ns)
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), entry, namespace


def _sample_path(route: str) -> str:
    """The route with a plausible value for each converter (ints get a year)."""
    return "/" + re.sub(
        r"<(?:(\w+):)?\w+>", lambda m: "2024" if m.group(1) == "int" else "sample", route
    )


ALL_URLS = [
    (f"{ns}{pattern.name}", _sample_path(route))
    for route, pattern, ns in _walk(get_resolver().url_patterns)
    if pattern.name
]


def _is_public(name: str) -> bool:
    return name in PUBLIC_URL_NAMES or name.startswith(PUBLIC_PREFIXES)


def test_the_url_enumeration_finds_the_portal_pages():
    names = {name for name, _path in ALL_URLS}
    assert {"members:dashboard", "agreements:covenant-sign", "login"} <= names


@pytest.mark.parametrize(("name", "path"), [u for u in ALL_URLS if not _is_public(u[0])])
def test_every_non_public_url_sends_anonymous_users_to_login(client, db, name, path):
    response = client.get(path)
    assert response.status_code == 302, name
    assert response["Location"].startswith("/accounts/login/?next="), name


@pytest.mark.parametrize(
    ("name", "path"),
    [u for u in ALL_URLS if u[0] not in READ_ONLY_ALLOWED_FOR_REVIEWERS],
)
def test_every_post_endpoint_refuses_a_reviewer(client, world, name, path):
    client.force_login(world.reviewer)
    response = client.post(path, {"anything": "x"})
    assert response.status_code == 403, name
