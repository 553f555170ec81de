"""Check the audit trail's hash chain: ``python manage.py verify_audit``."""

from django.core.management.base import BaseCommand, CommandError

from cluster_portal.audit import audit_verify
from cluster_portal.models import AuditEvent


class Command(BaseCommand):
    help = "Verify the audit trail's hash chain and name the first broken link."

    def handle(self, *args, **options):
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
