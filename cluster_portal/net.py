"""The client's address, the one place that decides it (login throttle, signatures, audit).

Behind ``PROXY_COUNT`` reverse proxies, each of which appends the address it received the
request from to ``X-Forwarded-For`` (nginx: ``$proxy_add_x_forwarded_for``), the client is
the PROXY_COUNT-th entry from the right. Entries further left were sent by the client
itself and can say anything, so they are never read. Without proxies (PROXY_COUNT 0) the
header is ignored altogether and the address is the connection's, ``REMOTE_ADDR``.
"""

import ipaddress

from django.conf import settings


def _valid_ip(value: str | None) -> str | None:
    """``value`` as a canonical IP address, or None when it is not one."""
    if not value:
        return None
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return None


def client_address(request) -> str | None:
    """The address of the client that sent ``request``, trusting exactly PROXY_COUNT proxies.

    Falls back to ``REMOTE_ADDR`` when the forwarded header is missing, has fewer entries
    than there are proxies, or its entry is not an IP address (a proxy that was bypassed or
    misconfigured); None when not even that is an address. Also django-axes' client address
    (``AXES_CLIENT_IP_CALLABLE``).
    """
    remote = _valid_ip(request.META.get("REMOTE_ADDR"))
    count = getattr(settings, "PROXY_COUNT", 0)
    if count <= 0:
        return remote
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    entries = [entry.strip() for entry in forwarded.split(",")] if forwarded.strip() else []
    if len(entries) < count:
        return remote
    return _valid_ip(entries[-count]) or remote
