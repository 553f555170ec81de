"""Remind pending signatories of every open covenant: ``python manage.py send_reminders``.

Meant to run once a day (cron, systemd timer); running it more often sends nothing more,
because each signatory gets at most one reminder per day. The reminders other apps
register (``cluster_portal.reminders``, e.g. the year-end self-assessment's) go out with
them, on the same terms.
"""

from django.core.management.base import BaseCommand

from agreements.models import Covenant
from agreements.services import covenant_send_reminders
from cluster_portal.reminders import reminder_jobs


class Command(BaseCommand):
    help = (
        "E-mail a reminder to every pending signatory of every open covenant, and the "
        "reminders other apps register (once a day)."
    )

    def handle(self, *args, **options):
        total = 0
        for covenant in Covenant.objects.filter(state=Covenant.State.OPEN).select_related(
            "cluster_year__cluster"
        ):
            sent = covenant_send_reminders(covenant=covenant, by=None)
            total += sent
            self.stdout.write(f"{covenant}: {sent} reminder(s)")
        for job in reminder_jobs():
            for label, sent in job():
                total += sent
                self.stdout.write(f"{label}: {sent} reminder(s)")
        self.stdout.write(self.style.SUCCESS(f"Reminders sent: {total}."))
