"""Backup and restore of the whole portal: database content, uploaded and issued files.

A backup is a directory::

    MANIFEST.json   format version, when, Django version, database vendor, rows per model,
                    applied migrations, and the size and SHA-256 of every other file
    data.json       the database content as a Django JSON fixture (``loaddata`` reads it)
    media/...       every file a FileField refers to, under its storage name

The fixture keeps primary keys (audit events hash their actor's id) and uses natural keys
only for references to content types, permissions and users, so it loads into a freshly
migrated database. Datetimes keep their microseconds (Django's own JSON encoder drops them,
which would break the audit chain's hashes).
"""

import datetime
import hashlib
import json
import posixpath
from pathlib import Path

import django
from django.apps import apps
from django.core import serializers
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, models
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

FORMAT = "cluster-portal-backup"
FORMAT_VERSION = 1
MANIFEST = "MANIFEST.json"
DATA = "data.json"
MEDIA = "media"

# Rebuilt by ``migrate`` (content types, permissions), or not worth keeping (sessions, the
# login-attempt records of django-axes).
EXCLUDED_APPS = {"contenttypes", "sessions", "axes"}
EXCLUDED_MODELS = {"auth.permission"}

CHUNK = 1024 * 1024


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why."""


class FullPrecisionEncoder(DjangoJSONEncoder):
    """Django's fixture encoder, except that datetimes and times keep their microseconds."""

    def default(self, o):
        if isinstance(o, (datetime.datetime, datetime.time)):
            return o.isoformat()
        return super().default(o)


def backed_up_models() -> list[type[models.Model]]:
    """Every concrete model whose rows go into a backup, dependencies first."""
    app_list = []
    for app_config in apps.get_app_configs():
        if app_config.label in EXCLUDED_APPS:
            continue
        chosen = [
            model
            for model in app_config.get_models()
            if model._meta.managed
            and not model._meta.proxy
            and model._meta.label_lower not in EXCLUDED_MODELS
        ]
        if chosen:
            app_list.append((app_config, chosen))
    return serializers.sort_dependencies(app_list, allow_cycles=True)


def file_fields(model) -> list[models.FileField]:
    return [f for f in model._meta.concrete_fields if isinstance(f, models.FileField)]


def safe_relative(name: str) -> str:
    """``name`` if it is a plain relative path inside the backup, else BackupError."""
    normal = posixpath.normpath(name)
    if (
        not name
        or "\\" in name
        or "\x00" in name
        or normal.startswith(("/", "../"))
        or normal in (".", "..")
        or normal != name
    ):
        raise BackupError(f"Refusing the unsafe file name {name!r}.")
    return name


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as source:
        for chunk in iter(lambda: source.read(CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()


def applied_migrations() -> list[list[str]]:
    recorder = MigrationRecorder(connection)
    return sorted([app, name] for app, name in recorder.applied_migrations())


def _rows(model_list, counts):
    for model in model_list:
        counts[model._meta.label] = 0
        queryset = model._base_manager.order_by(model._meta.pk.name)
        for obj in queryset.iterator(chunk_size=2000):
            counts[model._meta.label] += 1
            yield obj


def write_backup(target: Path, *, stdout=None) -> dict:
    """Write the database content and every referenced file into the empty/new ``target``.

    Raises BackupError if a referenced file is missing from storage or has an unsafe name.
    Returns the manifest.
    """
    target.mkdir(parents=True, exist_ok=True)
    files = []
    model_list = backed_up_models()

    counts: dict[str, int] = {}
    data_path = target / DATA
    with data_path.open("w", encoding="utf-8") as stream:
        serializers.serialize(
            "json",
            _rows(model_list, counts),
            stream=stream,
            indent=1,
            ensure_ascii=False,
            cls=FullPrecisionEncoder,
            use_natural_foreign_keys=True,
            use_natural_primary_keys=False,
        )
    files.append({"path": DATA, "size": data_path.stat().st_size, "sha256": sha256_of(data_path)})

    seen = set()
    for model in model_list:
        for field in file_fields(model):
            names = (
                model._base_manager.exclude(**{field.attname: ""})
                .exclude(**{f"{field.attname}__isnull": True})
                .values_list(field.attname, flat=True)
                .distinct()
            )
            for name in names.iterator():
                if name in seen:
                    continue
                seen.add(name)
                relative = f"{MEDIA}/{safe_relative(name)}"
                destination = target / relative
                destination.parent.mkdir(parents=True, exist_ok=True)
                digest = hashlib.sha256()
                try:
                    source = field.storage.open(name, "rb")
                except FileNotFoundError as exc:
                    raise BackupError(
                        f"{model._meta.label} refers to the file {name!r}, which is missing "
                        f"from storage."
                    ) from exc
                with source, destination.open("wb") as out:
                    for chunk in source.chunks(CHUNK):
                        digest.update(chunk)
                        out.write(chunk)
                files.append(
                    {
                        "path": relative,
                        "size": destination.stat().st_size,
                        "sha256": digest.hexdigest(),
                    }
                )

    manifest = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "created_at": timezone.now().astimezone(datetime.UTC).isoformat(),
        "django_version": django.get_version(),
        "database_vendor": connection.vendor,
        "counts": counts,
        "migrations": applied_migrations(),
        "files": files,
    }
    (target / MANIFEST).write_text(
        json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    if stdout is not None:
        stdout.write(f"{sum(counts.values())} rows, {len(files) - 1} media files.")
    return manifest


def read_manifest(source: Path) -> dict:
    """The manifest of the backup in ``source``, with every file's size and SHA-256 checked.

    Raises BackupError naming the first file that is missing or does not match.
    """
    try:
        manifest = json.loads((source / MANIFEST).read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise BackupError(f"{source} is not a backup: it has no {MANIFEST}.") from exc
    except ValueError as exc:
        raise BackupError(f"{source / MANIFEST} is not valid JSON: {exc}.") from exc
    if manifest.get("format") != FORMAT or manifest.get("format_version") != FORMAT_VERSION:
        raise BackupError(
            f"{source} is not a backup this version can read (format "
            f"{manifest.get('format')!r}, version {manifest.get('format_version')!r})."
        )
    paths = [entry["path"] for entry in manifest["files"]]
    if DATA not in paths:
        raise BackupError(f"The manifest of {source} lists no {DATA}.")
    for entry in manifest["files"]:
        path = source / safe_relative(entry["path"])
        if entry["path"] != DATA and not entry["path"].startswith(f"{MEDIA}/"):
            raise BackupError(f"Unexpected file in the manifest: {entry['path']!r}.")
        if not path.is_file():
            raise BackupError(f"{entry['path']} is listed in the manifest but missing.")
        if path.stat().st_size != entry["size"] or sha256_of(path) != entry["sha256"]:
            raise BackupError(
                f"{entry['path']} does not match its SHA-256 in the manifest: the backup is "
                f"damaged or was changed. Nothing was restored."
            )
    return manifest


def media_entries(manifest: dict) -> list[tuple[str, str, str]]:
    """(path in the backup, storage name, sha256) of every media file in the manifest."""
    prefix = f"{MEDIA}/"
    return [
        (entry["path"], entry["path"][len(prefix) :], entry["sha256"])
        for entry in manifest["files"]
        if entry["path"].startswith(prefix)
    ]


def storage_sha256(storage, name: str) -> str:
    digest = hashlib.sha256()
    with storage.open(name, "rb") as source:
        for chunk in source.chunks(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def non_empty_models() -> list[str]:
    """Labels of the backed-up models that already have rows in the database."""
    return [model._meta.label for model in backed_up_models() if model._base_manager.exists()]


def count_rows() -> dict[str, int]:
    return {model._meta.label: model._base_manager.count() for model in backed_up_models()}
