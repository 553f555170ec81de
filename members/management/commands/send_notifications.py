"""Tell every user about their new to-do items: ``python manage.py send_notifications``.

Meant to run often (hourly from cron or a systemd timer): each new item appears in the
user's bell at the next run, and each user gets at most one e-mail a day listing the items
that are new since their last one (none for the kinds they turned off on their profile).
"""

from django.core.management.base import BaseCommand

from members.notifications import notifications_send


class Command(BaseCommand):
    help = (
        "Store each user's new to-do items as notifications (the bell) and e-mail each user "
        "at most one digest a day."
    )

    def handle(self, *args, **options):
        stored, mailed = notifications_send()
        self.stdout.write(
            self.style.SUCCESS(f"New notifications: {stored}. E-mails sent: {mailed}.")
        )
