"""Notifications: each to-do item reaches its user once, in the bell and by e-mail.

The to-do items are computed from the data by the providers apps register
(``members.selectors.register_attention_provider``); nothing here decides what is to do.
``notifications_send`` (run by ``manage.py send_notifications``, e.g. hourly) stores a
``Notification`` the first time an item with a key appears for a user, and e-mails each user
at most one message a day listing the items that are new since the last one (a digest when
several), unless they turned e-mail off for that kind of item on their profile page.
"""

import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation

from cluster_portal.mail import mail_users
from members import selectors
from members.models import MailOptOut, Notification, User


def current_items_for(*, user) -> list[selectors.TodoEntry]:
    """The user's to-do entries now, worded in Vietnamese (what the bell and e-mail keep)."""
    with translation.override("vi"):
        years = selectors.todo_cluster_years_for(user=user)
        attention = selectors.attention_items_for(user=user, cluster_years=years)
        return selectors.todo_entries(cluster_years=years, attention=attention)


@transaction.atomic
def notifications_sync(*, user, entries: list[selectors.TodoEntry]) -> list[Notification]:
    """Store a notification for each keyed item of ``entries`` that has not reached
    ``user`` yet; return the new ones. An item of a kind the user turned e-mail off for
    (or a user without an address) is stored as not to be e-mailed. Items without a key are
    status lines, never notified."""
    known = set(Notification.objects.filter(user=user).values_list("key", flat=True))
    off = set(MailOptOut.objects.filter(user=user).values_list("kind", flat=True))
    new = {}
    for entry in entries:
        item = entry.item
        if not item.key or item.key in known or item.key in new:
            continue
        mailable = user.is_active and user.email and item.kind not in off
        new[item.key] = Notification(
            user=user,
            key=item.key[:200],
            kind=item.kind,
            message=str(item.message)[:500],
            url=item.url[:500],
            mail=Notification.Mail.PENDING if mailable else Notification.Mail.SKIPPED,
        )
    return Notification.objects.bulk_create(new.values(), ignore_conflicts=True)


def _today_started(now: datetime.datetime) -> datetime.datetime:
    local = timezone.localtime(now)
    return local.replace(hour=0, minute=0, second=0, microsecond=0)


@transaction.atomic
def notifications_mail_digest(*, user, current_keys: set[str], now=None) -> int:
    """E-mail ``user`` the pending notifications still to do, in one message, unless they
    already got one today (GMT+7); return how many items it listed (0: nothing sent).

    Pending items that are done meanwhile, or whose kind was turned off since, are marked
    not to be sent. The message leaves after the commit, in Vietnamese.
    """
    now = now or timezone.now()
    if Notification.objects.filter(
        user=user, mail=Notification.Mail.SENT, mailed_at__gte=_today_started(now)
    ).exists():
        return 0
    off = set(MailOptOut.objects.filter(user=user).values_list("kind", flat=True))
    pending = list(
        Notification.objects.select_for_update()
        .filter(user=user, mail=Notification.Mail.PENDING)
        .order_by("created_at", "id")
    )
    to_send = [n for n in pending if n.key in current_keys and n.kind not in off]
    stale = [n.pk for n in pending if n not in to_send]
    if stale:
        Notification.objects.filter(pk__in=stale).update(mail=Notification.Mail.SKIPPED)
    if not to_send or not user.email or not user.is_active:
        return 0
    Notification.objects.filter(pk__in=[n.pk for n in to_send]).update(
        mail=Notification.Mail.SENT, mailed_at=now
    )
    mail_users(
        template="members/email/digest",
        recipients=[user],
        context={
            "user": user,
            "items": [
                {"message": n.message, "url": f"{settings.PORTAL_BASE_URL}{n.url}"} for n in to_send
            ],
            "inbox_url": f"{settings.PORTAL_BASE_URL}{reverse('members:notification-list')}",
            "profile_url": f"{settings.PORTAL_BASE_URL}{reverse('members:profile')}",
        },
    )
    return len(to_send)


def notifications_send(*, now=None) -> tuple[int, int]:
    """For every active user: store their new to-do items and e-mail the day's digest.
    Returns (new notifications, e-mails sent). Running it again the same day stores what is
    new since but e-mails nobody twice that day."""
    stored = mailed = 0
    for user in User.objects.filter(is_active=True).select_related("department"):
        entries = current_items_for(user=user)
        stored += len(notifications_sync(user=user, entries=entries))
        keys = {entry.item.key for entry in entries if entry.item.key}
        if notifications_mail_digest(user=user, current_keys=keys, now=now):
            mailed += 1
    return stored, mailed


@transaction.atomic
def notification_mark_read(*, notification: Notification, by) -> Notification:
    """Mark one of the user's own notifications read. Raises ``PermissionDenied`` for
    someone else's."""
    if notification.user_id != by.pk:
        raise PermissionDenied
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at", "updated_at"])
    return notification


@transaction.atomic
def notifications_mark_all_read(*, by) -> int:
    """Mark every unread notification of the user read; returns how many."""
    return Notification.objects.filter(user=by, read_at__isnull=True).update(read_at=timezone.now())


@transaction.atomic
def mail_preferences_set(*, user, kinds_off) -> None:
    """Turn e-mail off for exactly ``kinds_off`` (registered kinds) for ``user``; the bell
    keeps showing every kind."""
    known = {code for code, _label in selectors.attention_kinds()}
    wanted = set(kinds_off) & known
    MailOptOut.objects.filter(user=user).exclude(kind__in=wanted).delete()
    existing = set(MailOptOut.objects.filter(user=user).values_list("kind", flat=True))
    MailOptOut.objects.bulk_create(
        MailOptOut(user=user, kind=kind) for kind in sorted(wanted - existing)
    )


# Reads


def notification_list(*, user, limit: int = 100) -> list[Notification]:
    """The user's latest notifications, newest first (one query)."""
    return list(Notification.objects.filter(user=user)[:limit])


def notification_get(*, pk: int, user) -> Notification:
    """One of the user's own notifications; raises ``Notification.DoesNotExist`` otherwise."""
    return Notification.objects.get(pk=pk, user=user)


def notification_unread_count(*, user) -> int:
    """How many of the user's notifications are unread (the bell; one query)."""
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


def mail_kinds_off(*, user) -> set[str]:
    """The kinds of to-do items the user gets no e-mail for (one query)."""
    return set(MailOptOut.objects.filter(user=user).values_list("kind", flat=True))
