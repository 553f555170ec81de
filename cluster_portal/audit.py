"""Recording audit events from services."""

from django.db import models

from cluster_portal.models import AuditEvent


def audit_record(*, actor, action: str, target: models.Model, details: dict | None = None):
    """Append one audit event saying that ``actor`` did ``action`` to ``target``.

    Call it inside the service's transaction, so that the event exists exactly when the
    change does. ``actor`` may be None for system jobs and data loading.
    """
    return AuditEvent.objects.create(
        actor=actor if getattr(actor, "pk", None) else None,
        action=action,
        target_type=target._meta.label_lower,
        target_id=str(target.pk),
        target_repr=str(target)[:255],
        details=details or {},
    )
