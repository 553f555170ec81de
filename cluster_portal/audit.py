"""The audit trail: recording events from services and verifying the hash chain.

The chain is an HMAC-SHA256 chain keyed from the environment (AUDIT_HMAC_KEY, else derived
from SECRET_KEY), so that someone who can write to the database but does not have the key
cannot rewrite an event and rehash the chain after it. Events recorded before the switch
keep their plain SHA-256 and still verify; each event says in ``hash_scheme`` which it used.
"""

import hashlib
import hmac
import json
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cluster_portal.cache import data_changed
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


class AuthAction(models.TextChoices):
    """Audit actions of logging in and out and of passwords (recorded by cluster_portal.auth)."""

    LOGIN = "auth.login", _("Logged in")
    LOGOUT = "auth.logout", _("Logged out")
    LOGIN_FAILED = "auth.login_failed", _("Failed login")
    LOCKED_OUT = "auth.locked_out", _("Locked out after repeated failed logins")
    PASSWORD_CHANGED = "auth.password_changed", _("Password changed")
    PASSWORD_CHANGE_REFUSED = (
        "auth.password_change_refused",
        _("Password change refused (wrong current password)"),
    )


class AdminAction(models.TextChoices):
    """Audit actions of edits made in the administration site."""

    ADDED = "admin.added", _("Added in the administration")
    CHANGED = "admin.changed", _("Changed in the administration")
    DELETED = "admin.deleted", _("Deleted in the administration")


class TaskAction(models.TextChoices):
    """Audit actions of background tasks (cluster_portal.tasks)."""

    RETRIED = "task.retried", _("Failed background task queued again")


# The registry of audit actions: every app states its actions as one ``TextChoices`` and
# registers it in its ``AppConfig.ready`` (``register_actions(AgreementAction)``); labels in
# pages (``{{ event.action|audit_label }}``) and in PDFs (``action_label``) come from here.
_ACTION_LABELS: dict[str, object] = {}


def register_actions(*choices: type[models.TextChoices]) -> None:
    """Add each app's audit actions to the registry (call once, from ``AppConfig.ready``).

    Raises ImproperlyConfigured at start-up when two apps claim the same action code.
    """
    for actions in choices:
        for member in actions:
            known = _ACTION_LABELS.get(member.value)
            if known is not None and known is not member.label:
                raise ImproperlyConfigured(f"Audit action {member.value!r} is registered twice.")
            _ACTION_LABELS[member.value] = member.label


def registered_actions() -> list[tuple[str, str]]:
    """Every registered action code with its label in the active language, by label."""
    return sorted(
        ((code, str(label)) for code, label in _ACTION_LABELS.items()),
        key=lambda item: item[1].casefold(),
    )


def action_label(action: str) -> str:
    """The readable label of an action code, in the active language; unknown codes as they are."""
    label = _ACTION_LABELS.get(action)
    return str(label) if label is not None else action


register_actions(AuthAction, AdminAction, TaskAction)


def target_type_label(label: str) -> str:
    """The name of the model an event's ``target_type`` ("agreements.covenant") names."""
    from django.apps import apps

    if not label:
        return ""
    try:
        model = apps.get_model(label)
    except (LookupError, ValueError):
        return label
    return str(model._meta.verbose_name)


# The registry of audit scopes: which events belong to which cluster and year. An event
# names its target only by model label and id; each app registers, for the models its
# services record events on, the ORM path from that model to its cluster year (or, for
# objects that belong to a cluster but to no year, to its cluster). The portal-wide audit
# log filters and scopes events through it with one subquery per registered model, so a
# page costs the same number of queries whatever the data.
@dataclass(frozen=True)
class AuditScope:
    model: type[models.Model]
    cluster_year: str | None  # path to the ClusterYear ("" for a ClusterYear itself)
    cluster: str  # path to the Cluster ("" for a Cluster itself)


_AUDIT_SCOPES: dict[str, AuditScope] = {}


def register_audit_scope(
    model: type[models.Model], *, cluster: str, cluster_year: str | None = None
) -> None:
    """State where events on ``model`` belong (call from ``AppConfig.ready``).

    ``cluster_year`` and ``cluster`` are ORM paths from the model ("evaluation__cluster_year",
    "cluster_year__cluster"); "" means the model itself. Objects without a year (a cluster's
    legal reference) give only ``cluster``.
    """
    _AUDIT_SCOPES[model._meta.label_lower] = AuditScope(model, cluster_year, cluster)


def _lookup(path: str, field: str = "in") -> str:
    return f"{path}__{field}" if path else f"pk__{field}"


def audit_scope_q(*, cluster_years=None, clusters=None, year: int | None = None) -> models.Q:
    """Events whose target belongs to the given cluster years / clusters / calendar year.

    ``cluster_years`` (a ClusterYear queryset) limits year-bound objects to those years and
    cluster-bound ones to those years' clusters; ``clusters`` (a Cluster queryset) limits
    both to those clusters; ``year`` keeps only year-bound objects of that year. Events on
    models nobody registered (logins, users) never match.
    """
    from django.db.models.functions import Cast

    condition = models.Q(pk__in=[])
    for label, scope in _AUDIT_SCOPES.items():
        objects = scope.model._default_manager.all()
        if scope.cluster_year is None:
            if year is not None:
                continue
            if cluster_years is not None:
                objects = objects.filter(
                    **{_lookup(scope.cluster): cluster_years.values("cluster_id")}
                )
        else:
            year_path = scope.cluster_year + "__" if scope.cluster_year else ""
            if cluster_years is not None:
                objects = objects.filter(**{_lookup(scope.cluster_year): cluster_years})
            if year is not None:
                objects = objects.filter(**{f"{year_path}year": year})
        if clusters is not None:
            objects = objects.filter(**{_lookup(scope.cluster): clusters})
        ids = objects.annotate(_audit_id=Cast("pk", models.CharField())).values("_audit_id")
        condition |= models.Q(target_type=label, target_id__in=ids)
    return condition


# Events recorded before the chain switched to HMAC keep their plain SHA-256.
LEGACY_SCHEME = "sha256"
HMAC_SCHEME_PREFIX = "hmac-sha256:"
# Deriving the key from SECRET_KEY under its own label gives a key that is useless for
# anything else (and SECRET_KEY cannot be recovered from it).
KEY_DERIVATION_LABEL = b"cluster-portal/audit-chain-hmac/v1"


class AuditKeyMissing(LookupError):
    """An event was hashed with an HMAC key that is not configured here."""


def _hmac_key(value: str) -> bytes:
    return value.encode("utf-8")


def audit_keys() -> dict[str, bytes]:
    """The HMAC keys this server knows, by key id; the first one is the one used for new events.

    ``AUDIT_HMAC_KEY`` when set, else a key derived from ``SECRET_KEY``; then the keys of
    ``AUDIT_HMAC_KEY_FALLBACKS``, which only verify older events (key rotation).
    """
    configured = getattr(settings, "AUDIT_HMAC_KEY", "")
    current = (
        _hmac_key(configured)
        if configured
        else hmac.new(
            settings.SECRET_KEY.encode("utf-8"), KEY_DERIVATION_LABEL, hashlib.sha256
        ).digest()
    )
    keys = {audit_key_id(current): current}
    for fallback in getattr(settings, "AUDIT_HMAC_KEY_FALLBACKS", []):
        key = _hmac_key(fallback)
        keys.setdefault(audit_key_id(key), key)
    return keys


def audit_key_id(key: bytes | None = None) -> str:
    """The first 8 hex digits of the key's SHA-256: names a key without revealing it."""
    if key is None:
        return next(iter(audit_keys()))
    return hashlib.sha256(key).hexdigest()[:8]


def _canonical(event: AuditEvent, *, with_scheme: bool) -> bytes:
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
    if with_scheme:
        # Binds the event to its key: the scheme cannot be swapped without detection.
        content["hash_scheme"] = event.hash_scheme
    return json.dumps(
        content, cls=DjangoJSONEncoder, sort_keys=True, ensure_ascii=False, separators=(",", ":")
    ).encode("utf-8")


def plain_sha256(event: AuditEvent) -> str:
    """The SHA-256 of the event's content: the chain's scheme before HMAC, which anyone with
    database access can recompute."""
    return hashlib.sha256(_canonical(event, with_scheme=False)).hexdigest()


def event_hash(event: AuditEvent) -> str:
    """The hash of the event's content and the previous event's hash, in the event's scheme.

    HMAC-SHA256 with the key named by the scheme for events recorded since the switch, plain
    SHA-256 for older ones. Raises AuditKeyMissing when this server lacks that key.
    """
    scheme = event.hash_scheme
    if scheme == LEGACY_SCHEME:
        return plain_sha256(event)
    if scheme.startswith(HMAC_SCHEME_PREFIX):
        key = audit_keys().get(scheme.removeprefix(HMAC_SCHEME_PREFIX))
        if key is None:
            raise AuditKeyMissing(scheme)
        return hmac.new(key, _canonical(event, with_scheme=True), hashlib.sha256).hexdigest()
    raise AuditKeyMissing(scheme)


def audit_record(
    *,
    actor,
    action: str,
    target: models.Model | None,
    details: dict | None = None,
    meta: RequestMeta | None = None,
) -> AuditEvent:
    """Append one audit event saying that ``actor`` did ``action`` to ``target``.

    Call it inside the service's transaction, so that the event exists exactly when the
    change does. ``actor`` may be None for system jobs and data loading; ``target`` may be
    None when there is no object (a failed login for an unknown user name). ``details``
    must be JSON-serialisable.
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
            target_type=target._meta.label_lower if target is not None else "",
            target_id=str(target.pk) if target is not None else "",
            target_repr=str(target)[:255] if target is not None else "",
            details=details,
            # Stored as the database will give it back (IPv6 is normalised), so the hash holds.
            ip_address=models.GenericIPAddressField().to_python(meta.ip_address) or None,
            user_agent=meta.user_agent[:500],
            prev_hash=head.last_hash,
            hash_scheme=HMAC_SCHEME_PREFIX + audit_key_id(),
        )
        event.hash = event_hash(event)
        event.save()
        head.last_hash = event.hash
        head.save(update_fields=["last_hash"])
    if not action.startswith("auth."):
        # Cached pages (the reports overview) are keyed on the data's version: every
        # audited change, including rows changed with QuerySet.update(), makes a new one.
        data_changed()
    return event


@dataclass(frozen=True)
class ChainBreak:
    """The first event whose stored hash or link does not match."""

    event_id: int
    reason: str


def audit_verify() -> tuple[int, ChainBreak | None]:
    """Check the whole chain in order; return how many events were checked and the first break.

    Each event is checked in its own scheme. Once an HMAC event has been seen, a later event
    in plain SHA-256 is a break (someone rehashed it without the key), and so is an event
    whose HMAC key this server does not have (it cannot be told from a forgery).
    """
    expected_prev = GENESIS_HASH
    checked = 0
    seen_hmac = False
    for event in AuditEvent.objects.order_by("id").iterator(chunk_size=2000):
        checked += 1
        if event.prev_hash != expected_prev:
            return checked, ChainBreak(
                event.pk, "its link to the previous event does not match (event removed?)"
            )
        if event.hash_scheme == LEGACY_SCHEME and seen_hmac:
            return checked, ChainBreak(
                event.pk,
                "it is hashed with plain SHA-256 after the chain switched to HMAC "
                "(rehashed without the key: changed)",
            )
        try:
            expected = event_hash(event)
        except AuditKeyMissing:
            return checked, ChainBreak(
                event.pk,
                f"it is hashed with {event.hash_scheme!r}, but this server has no such key "
                f"(its key id is {audit_key_id()}; add the old key to "
                "AUDIT_HMAC_KEY_FALLBACKS): it cannot be verified",
            )
        if not hmac.compare_digest(expected, event.hash):
            return checked, ChainBreak(event.pk, "its content does not match its hash (changed)")
        seen_hmac = seen_hmac or event.hash_scheme != LEGACY_SCHEME
        expected_prev = event.hash
    head = AuditChainHead.objects.filter(pk=1).first()
    if head is not None and head.last_hash != expected_prev:
        return checked, ChainBreak(0, "the newest events are missing (chain head mismatch)")
    return checked, None
