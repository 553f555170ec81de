"""Remind pending signatories of every open covenant: ``python manage.py send_reminders``.

Meant to run once a day (cron, systemd timer); running it more often sends nothing more,
because each signatory gets at most one reminder per day.
"""

from django.core.management.base import BaseCommand

from agreements.models import Covenant
from agreements.services import covenant_send_reminders


class Command(BaseCommand):
    help = "E-mail a reminder to every pending signatory of every open covenant (once a day)."

    def handle(self, *args, **options):
        total = 0
        for covenant in Covenant.objects.filter(state=Covenant.State.OPEN).select_related(
            "cluster_year__cluster"
        ):
            sent = covenant_send_reminders(covenant=covenant, by=None)
            total += sent
            self.stdout.write(f"{covenant}: {sent} reminder(s)")
        self.stdout.write(self.style.SUCCESS(f"Reminders sent: {total}."))
