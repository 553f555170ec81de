"""Remind pending signatories of every open covenant: ``python manage.py send_reminders``.

Meant to run once a day (cron, systemd timer). The command only queues the background task
``agreements.tasks.reminders_send`` (a worker sends the reminders, each message by its own
task); running it more often sends nothing more, because each signatory gets at most one
reminder per day.
"""

from django.core.management.base import BaseCommand

from agreements.tasks import reminders_send


class Command(BaseCommand):
    help = "Queue the e-mail reminders to every pending signatory of every open covenant."

    def handle(self, *args, **options):
        result = reminders_send.enqueue()
        self.stdout.write(self.style.SUCCESS(f"Reminders queued (task {result.id})."))
