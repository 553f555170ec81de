"""Personal calendar feed tokens."""

import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from cluster_portal.models import TimeStampedModel


def new_feed_token() -> str:
    """A fresh secret for feed URLs: 256 random bits, URL-safe."""
    return secrets.token_urlsafe(32)


def hash_feed_token(token: str) -> str:
    """What the database keeps of a feed token: its SHA-256 (hex).

    A plain hash suffices (no salt, no slow hashing): the token is 256 random bits, so
    there is nothing to guess, and the hash must be looked up by equality on every feed
    request.
    """
    return hashlib.sha256(token.encode()).hexdigest()


def _unusable_feed_token_hash() -> str:
    # A row made outside the service (the admin, a shell) gets the hash of a secret nobody
    # ever sees: it can be revoked but never used.
    return hash_feed_token(new_feed_token())


class FeedToken(TimeStampedModel):
    """A user's secret for calendar subscriptions: it goes in the iCalendar feed URLs.

    Calendar applications cannot log in, so the token stands for the user: a feed shows
    what its owner may see. A revoked token gets 404. At most one live token per user.
    Only the token's hash is stored; the token itself is shown once, when it is created
    (``secret``, set by the service on the object it returns).
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="feed_tokens",
    )
    token_hash = models.CharField(
        _("SHA-256 of the token"),
        max_length=64,
        unique=True,
        default=_unusable_feed_token_hash,
        editable=False,
    )
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    secret: str | None = None  # the token itself, on the object just created only

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("calendar feed token")
        verbose_name_plural = _("calendar feed tokens")
        constraints = [
            models.UniqueConstraint(
                fields=["user"],
                condition=Q(revoked_at__isnull=True),
                name="one_live_feed_token_per_user",
            )
        ]

    def __str__(self):
        return f"{self.user} ({self.created_at:%Y-%m-%d})" if self.created_at else str(self.user)

    def get_absolute_url(self):
        return reverse("plans:calendar-feeds")

    @property
    def is_live(self) -> bool:
        return self.revoked_at is None
