"""Writes for personal calendar feed tokens."""

from django.db import transaction
from django.utils import timezone

from cluster_portal.audit import audit_record
from plans import permissions
from plans.audit import PlanAction
from plans.models import FeedToken, hash_feed_token, new_feed_token
from plans.services.common import _require

# Calendar feed tokens


@transaction.atomic
def feed_token_create(*, user, by) -> FeedToken:
    """Give ``user`` a new secret for calendar feed URLs, revoking the previous one.

    Only its hash is stored: the secret is on the returned object (``secret``) and nowhere
    else, to be shown once. Only for oneself (``by`` must be ``user``); not for Ministry
    reviewers, who change nothing in the portal.
    """
    _require(by.pk == user.pk and permissions.can_manage_feed_tokens(by))
    now = timezone.now()
    FeedToken.objects.filter(user=user, revoked_at__isnull=True).update(
        revoked_at=now, updated_at=now
    )
    secret = new_feed_token()
    token = FeedToken.objects.create(user=user, token_hash=hash_feed_token(secret))
    audit_record(actor=by, action=PlanAction.FEED_TOKEN_CREATED, target=token)
    token.secret = secret
    return token


@transaction.atomic
def feed_token_revoke(*, token: FeedToken, by) -> FeedToken:
    """Revoke a feed token: every URL with it answers 404 from now on. Its owner only."""
    _require(by.pk == token.user_id and permissions.can_manage_feed_tokens(by))
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at", "updated_at"])
        audit_record(actor=by, action=PlanAction.FEED_TOKEN_REVOKED, target=token)
    return token
