"""Sending e-mail, and holding it back while demo data is loaded.

Demo data is loaded through the services, which tell people by e-mail; ``load_demo`` holds
that mail back with ``mail_held_back()`` (the mail leaves on commit, still inside it).
"""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

_held_back: ContextVar[bool] = ContextVar("mail_held_back", default=False)


@contextmanager
def mail_held_back() -> Iterator[None]:
    """Nothing sent through ``mail_send`` inside this block leaves the server."""
    token = _held_back.set(True)
    try:
        yield
    finally:
        _held_back.reset(token)


def mail_send(message) -> None:
    """Send ``message`` (an ``EmailMessage``) unless inside ``mail_held_back()``."""
    if not _held_back.get():
        message.send()
