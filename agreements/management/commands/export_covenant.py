"""Write a covenant's PDF to a file: ``python manage.py export_covenant --cluster bac-bo
--year 2019 --output file.pdf``. The issued (sealed) PDF once fully signed, else the draft."""

import hashlib
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from agreements import selectors, services
from agreements.models import Covenant
from cluster_portal.pdf import render_pdf


class Command(BaseCommand):
    help = "Write the issued PDF of a covenant (or its draft) and print its SHA-256."

    def add_arguments(self, parser):
        parser.add_argument("--cluster", required=True, help="cluster code, e.g. bac-bo")
        parser.add_argument("--year", required=True, type=int)
        parser.add_argument("--output", required=True, help="file to write")

    def handle(self, *args, cluster, year, output, **options):
        try:
            covenant = selectors.covenant_get(code=cluster, year=year)
        except Covenant.DoesNotExist as exc:
            raise CommandError(f"No covenant for cluster {cluster!r} in {year}.") from exc
        if covenant.state in (Covenant.State.SIGNED, Covenant.State.CLOSED):
            document = services.covenant_issue_document(covenant=covenant)
            with document.file.open("rb") as handle:
                data = handle.read()
            kind = "issued"
        else:
            data = render_pdf(
                "pdf/covenant.html", selectors.covenant_pdf_context(covenant=covenant)
            )
            kind = "draft"
        Path(output).write_bytes(data)
        self.stdout.write(f"{hashlib.sha256(data).hexdigest()}  {output} ({kind})")
