"""Restore a backup onto an empty database: ``python manage.py restore DIR``."""

from pathlib import Path

from django.core.files import File
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from cluster_portal.backup import (
    DATA,
    BackupError,
    applied_migrations,
    count_rows,
    media_entries,
    non_empty_models,
    read_manifest,
    storage_sha256,
)

EMPTY_DATABASE_HOWTO = (
    "Restore onto an empty database: create a new one (e.g. `createdb portal_restored` on "
    "PostgreSQL, or a new SQLite file), point DATABASE_URL at it, run "
    "`python manage.py migrate`, then `python manage.py restore DIR`."
)


class Command(BaseCommand):
    help = (
        "Restore a backup written by `backup` onto an empty, migrated database: checks every "
        "SHA-256 first, then loads the rows and writes the files back to media storage."
    )

    def add_arguments(self, parser):
        parser.add_argument("directory", metavar="DIR", help="A backup written by `backup`.")

    def handle(self, *args, directory, **options):
        source = Path(directory).resolve()
        if not source.is_dir():
            raise CommandError(f"{source} is not a directory.")
        try:
            manifest = read_manifest(source)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc

        missing = sorted(
            {tuple(m) for m in manifest["migrations"]} - {tuple(m) for m in applied_migrations()}
        )
        if missing:
            app, name = missing[0]
            raise CommandError(
                f"This database lacks migration {app}.{name} (and {len(missing) - 1} more) that "
                f"the backup was made with: run `python manage.py migrate` with the same or a "
                f"newer version of the portal first. Nothing was restored."
            )
        filled = non_empty_models()
        if filled:
            raise CommandError(
                f"The database is not empty ({', '.join(filled[:5])} have rows). "
                f"{EMPTY_DATABASE_HOWTO} Nothing was restored."
            )
        to_write = []
        for path, name, sha256 in media_entries(manifest):
            if default_storage.exists(name):
                if storage_sha256(default_storage, name) != sha256:
                    raise CommandError(
                        f"Media storage already has a different file named {name!r}: restore "
                        f"into empty media storage. Nothing was restored."
                    )
                continue
            to_write.append((path, name))

        written = []
        try:
            with transaction.atomic():
                call_command("loaddata", str(source / DATA), verbosity=0)
                counts = count_rows()
                for label, expected in manifest["counts"].items():
                    if counts.get(label) != expected:
                        raise CommandError(
                            f"{label}: {counts.get(label)} rows after loading, the backup has "
                            f"{expected}. Nothing was restored."
                        )
                for path, name in to_write:
                    with (source / path).open("rb") as content:
                        stored = default_storage.save(name, File(content, name=name))
                    written.append(stored)
                    if stored != name:
                        raise CommandError(
                            f"Media storage saved {name!r} as {stored!r}. Nothing was restored."
                        )
        except BaseException:
            for name in written:
                default_storage.delete(name)
            raise
        rows = sum(manifest["counts"].values())
        self.stdout.write(
            self.style.SUCCESS(
                f"Restored {rows} rows and {len(to_write)} files from {source} "
                f"(backup of {manifest['created_at']})."
            )
        )
