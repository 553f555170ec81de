"""Send the daily reminders: ``python manage.py send_reminders``.

Meant to run once a day (cron, systemd timer). The command only queues the background task
``agreements.tasks.reminders_send``, which reminds the pending signatories of every open
covenant and runs the reminder jobs other apps register (``cluster_portal.reminders``, e.g.
the year-end self-assessment's); each message then goes by its own task. Running it more
often sends nothing more: each recipient gets at most one reminder of a kind per day.
"""

from django.core.management.base import BaseCommand

from agreements.tasks import reminders_send


class Command(BaseCommand):
    help = "Queue the daily e-mail reminders (covenant signatories and other apps' reminders)."

    def handle(self, *args, **options):
        result = reminders_send.enqueue()
        self.stdout.write(self.style.SUCCESS(f"Reminders queued (task {result.id})."))
