"""Sending e-mail (through the outbox and a background task), and holding it back while demo
data is loaded.

``mail_send`` does not talk to the mail server: it writes the message to the outbox and
queues one task for it (``cluster_portal.tasks.mail_deliver``), which sends it, retries with
back-off when the server fails, and never sends it twice. Demo data is loaded through the
services, which tell people by e-mail; ``load_demo`` holds that mail back with
``mail_held_back()`` (nothing is written or queued).
"""

import logging
import uuid
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


def mail_send(message, *, cluster_year_id: int | None = None) -> str | None:
    """Queue ``message`` (an ``EmailMessage``, its alternatives but no attachments) unless
    inside ``mail_held_back()``; returns the outbox key.

    ``cluster_year_id`` names the cluster year the message is about, whose secretariat sees
    it if it cannot be sent. The outbox row and the task are written together: inside a
    transaction, neither exists if it rolls back.
    """
    if _held_back.get():
        return None
    from cluster_portal.models import MailOutbox
    from cluster_portal.tasks import mail_deliver

    key = uuid.uuid4().hex
    with transaction.atomic():
        MailOutbox.objects.create(
            key=key,
            cluster_year_id=cluster_year_id,
            subject=message.subject,
            body=message.body,
            from_email=message.from_email,
            to=list(message.to),
            alternatives=[list(a) for a in getattr(message, "alternatives", [])],
        )
        mail_deliver.enqueue(key=key, cluster_year_id=cluster_year_id)
    return key


def mail_users(*, template: str, recipients, context: dict) -> None:
    """Tell ``recipients`` (users) by e-mail, in Vietnamese, after the current transaction
    commits; nothing is sent for a change that was rolled back.

    ``template`` names three templates: ``<template>_subject.txt``, ``<template>.txt`` and
    ``<template>.html``. One message per address, so that recipients of other departments
    are not disclosed; inactive users and users without an address are skipped. Each
    message is queued through ``mail_send`` (a background task sends it); the context's
    ``cluster_year``, if any, names whose secretariat sees a message that cannot be sent. A
    failure to queue is logged, never turned into an error for the user whose change has
    already been committed.
    """
    addresses = sorted({u.email for u in recipients if u.email and u.is_active})
    if not addresses:
        return

    cluster_year = context.get("cluster_year")
    cluster_year_id = getattr(cluster_year, "pk", None)

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
                mail_send(message, cluster_year_id=cluster_year_id)
            except Exception:
                # One message that cannot be queued must not keep the others from being told.
                logger.exception("Could not queue %s e-mail to %s", template, address)

    transaction.on_commit(send, robust=True)
