"""Check the audit trail's hash chain: ``python manage.py verify_audit``."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db.models import Count

from cluster_portal.audit import LEGACY_SCHEME, audit_key_id, audit_verify
from cluster_portal.models import AuditEvent


class Command(BaseCommand):
    help = "Verify the audit trail's hash chain and name the first broken link."

    def handle(self, *args, **options):
        # Which key was used, by id only: two servers (or a restore) can be compared.
        source = "AUDIT_HMAC_KEY" if settings.AUDIT_HMAC_KEY else "derived from SECRET_KEY"
        self.stdout.write(f"HMAC key id: {audit_key_id()} ({source}).")
        schemes = dict(
            AuditEvent.objects.order_by()
            .values_list("hash_scheme")
            .annotate(count=Count("id"))
            .values_list("hash_scheme", "count")
        )
        for scheme, count in sorted(schemes.items()):
            label = "plain SHA-256, before HMAC" if scheme == LEGACY_SCHEME else scheme
            self.stdout.write(f"  {count} events hashed with {label}")
        checked, broken = audit_verify()
        if broken is None:
            self.stdout.write(self.style.SUCCESS(f"Audit chain intact: {checked} events."))
            return
        if broken.event_id:
            event = AuditEvent.objects.get(pk=broken.event_id)
            where = f"event #{event.pk} ({event.created_at:%Y-%m-%d %H:%M:%S} UTC, {event.action})"
        else:
            where = "after the last stored event"
        raise CommandError(f"Audit chain broken at {where}: {broken.reason}.")
