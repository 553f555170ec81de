"""The audit trail: recording events from services and verifying the hash chain."""

import hashlib
import json
from dataclasses import dataclass

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.utils import timezone

from cluster_portal.models import AuditChainHead, AuditEvent
from cluster_portal.net import client_address

GENESIS_HASH = "0" * 64


@dataclass(frozen=True)
class RequestMeta:
    """Where a request came from, as recorded with events and signatures."""

    ip_address: str | None = None
    user_agent: str = ""

    @classmethod
    def from_request(cls, request) -> "RequestMeta":
        return cls(
            ip_address=client_address(request),
            user_agent=request.META.get("HTTP_USER_AGENT", "")[:500],
        )


def event_hash(event: AuditEvent) -> str:
    """SHA-256 over the event's content and the previous event's hash."""
    content = {
        "prev_hash": event.prev_hash,
        "created_at": event.created_at.isoformat(),
        "actor_id": event.actor_id,
        "action": event.action,
        "target_type": event.target_type,
        "target_id": event.target_id,
        "target_repr": event.target_repr,
        "details": event.details,
        "ip_address": event.ip_address,
        "user_agent": event.user_agent,
    }
    canonical = json.dumps(
        content, cls=DjangoJSONEncoder, sort_keys=True, ensure_ascii=False, separators=(",", ":")
    )
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def audit_record(
    *,
    actor,
    action: str,
    target: models.Model,
    details: dict | None = None,
    meta: RequestMeta | None = None,
) -> AuditEvent:
    """Append one audit event saying that ``actor`` did ``action`` to ``target``.

    Call it inside the service's transaction, so that the event exists exactly when the
    change does. ``actor`` may be None for system jobs and data loading. ``details`` must be
    JSON-serialisable.
    """
    meta = meta or RequestMeta()
    with transaction.atomic():
        head, _ = AuditChainHead.objects.select_for_update().get_or_create(
            pk=1, defaults={"last_hash": GENESIS_HASH}
        )
        # JSON round trip, so that the hash is computed over what the database gives back.
        details = json.loads(json.dumps(details or {}, cls=DjangoJSONEncoder))
        event = AuditEvent(
            created_at=timezone.now(),
            actor=actor if getattr(actor, "pk", None) else None,
            action=action,
            target_type=target._meta.label_lower,
            target_id=str(target.pk),
            target_repr=str(target)[:255],
            details=details,
            # Stored as the database will give it back (IPv6 is normalised), so the hash holds.
            ip_address=models.GenericIPAddressField().to_python(meta.ip_address) or None,
            user_agent=meta.user_agent[:500],
            prev_hash=head.last_hash,
        )
        event.hash = event_hash(event)
        event.save()
        head.last_hash = event.hash
        head.save(update_fields=["last_hash"])
    return event


@dataclass(frozen=True)
class ChainBreak:
    """The first event whose stored hash or link does not match."""

    event_id: int
    reason: str


def audit_verify() -> tuple[int, ChainBreak | None]:
    """Check the whole chain in order; return how many events were checked and the first break."""
    expected_prev = GENESIS_HASH
    checked = 0
    for event in AuditEvent.objects.order_by("id").iterator(chunk_size=2000):
        checked += 1
        if event.prev_hash != expected_prev:
            return checked, ChainBreak(
                event.pk, "its link to the previous event does not match (event removed?)"
            )
        if event_hash(event) != event.hash:
            return checked, ChainBreak(event.pk, "its content does not match its hash (changed)")
        expected_prev = event.hash
    head = AuditChainHead.objects.filter(pk=1).first()
    if head is not None and head.last_hash != expected_prev:
        return checked, ChainBreak(0, "the newest events are missing (chain head mismatch)")
    return checked, None
