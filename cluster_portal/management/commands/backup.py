"""Back up the database content and every file: ``python manage.py backup --output DIR``."""

import shutil
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from cluster_portal.backup import MANIFEST, BackupError, write_backup


class Command(BaseCommand):
    help = (
        "Write the database content (JSON fixture), every uploaded and issued file and a "
        "manifest of SHA-256 sums into DIR, which must not exist or be empty."
    )

    def add_arguments(self, parser):
        parser.add_argument("--output", required=True, metavar="DIR", help="Where to write.")

    def handle(self, *args, output, **options):
        target = Path(output).resolve()
        if target.exists() and (not target.is_dir() or any(target.iterdir())):
            raise CommandError(f"{target} exists and is not an empty directory: choose another.")
        # Written next to the target first and renamed at the end, so that DIR is either a
        # complete backup or absent.
        partial = target.with_name(target.name + ".tmp")
        if partial.exists():
            raise CommandError(
                f"{partial} exists (left by an interrupted backup?): remove it and try again."
            )
        try:
            # One transaction, so that the rows and the file list are read together.
            with transaction.atomic():
                manifest = write_backup(partial)
        except BackupError as exc:
            shutil.rmtree(partial, ignore_errors=True)
            raise CommandError(str(exc)) from exc
        except BaseException:
            shutil.rmtree(partial, ignore_errors=True)
            raise
        if target.exists():
            target.rmdir()
        partial.rename(target)
        rows = sum(manifest["counts"].values())
        files = len(manifest["files"]) - 1
        self.stdout.write(
            self.style.SUCCESS(
                f"Backup written to {target}: {rows} rows, {files} files (checksums in {MANIFEST})."
            )
        )
