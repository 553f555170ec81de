"""Sending e-mail, and holding it back while demo data is loaded.

Demo data is loaded through the services, which tell people by e-mail; ``load_demo`` holds
that mail back with ``mail_held_back()`` (the mail leaves on commit, still inside it).
"""

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation

logger = logging.getLogger(__name__)

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


def mail_users(*, template: str, recipients, context: dict) -> None:
    """Tell ``recipients`` (users) by e-mail, in Vietnamese, after the current transaction
    commits; nothing is sent for a change that was rolled back.

    ``template`` names three templates: ``<template>_subject.txt``, ``<template>.txt`` and
    ``<template>.html``. One message per address, so that recipients of other departments
    are not disclosed; inactive users and users without an address are skipped. A mail
    server failure is logged, never turned into an error for the user whose change has
    already been committed.
    """
    addresses = sorted({u.email for u in recipients if u.email and u.is_active})
    if not addresses:
        return

    def send():
        with translation.override("vi"):
            subject = render_to_string(f"{template}_subject.txt", context)
            text = render_to_string(f"{template}.txt", context)
            html = render_to_string(f"{template}.html", context)
        for address in addresses:
            message = EmailMultiAlternatives(
                " ".join(subject.split()), text, settings.DEFAULT_FROM_EMAIL, [address]
            )
            message.attach_alternative(html, "text/html")
            try:
                mail_send(message)
            except Exception:
                # One unreachable mailbox must not keep the others from being told.
                logger.exception("Could not send %s e-mail to %s", template, address)

    transaction.on_commit(send, robust=True)
