"""Load the demo data of every app: ``python manage.py load_demo``.

Idempotent (a second run changes nothing). Refuses to run with DEBUG off unless --force,
so that demo accounts with a published password never reach a production database.
"""

from importlib import import_module

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from cluster_portal.mail import mail_held_back

# Each app with demo data has a ``demo`` module with ``load(stdout)``; dependencies first.
DEMO_MODULES = (
    "members.demo",
    "plans.demo",
    "agreements.demo",
    "evaluations.demo",
    "dossiers.demo_reviewers",
    "ballots.demo",
    "dossiers.demo",
    "reports.demo",
)


class Command(BaseCommand):
    help = "Load the demo clusters, departments, years and accounts (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="Load even with DEBUG off (demo accounts have a published password).",
        )

    def handle(self, *args, force=False, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "Refusing to load demo data with DEBUG off: the demo accounts share a "
                "published password. Use --force if this really is a demo server."
            )
        # Loading goes through the services, which e-mail people: not from demo data.
        with mail_held_back(), transaction.atomic():
            for module_name in DEMO_MODULES:
                try:
                    module = import_module(module_name)
                except ModuleNotFoundError as exc:
                    if exc.name != module_name:
                        raise
                    continue
                module.load(stdout=self.stdout)
        self.stdout.write(self.style.SUCCESS("Demo data loaded."))
