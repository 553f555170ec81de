"""``backup`` and ``restore``: a round trip onto an empty database keeps every issued PDF
byte for byte, its seal valid and the audit chain intact; damaged backups, non-empty
databases and non-empty output directories are refused.

The backup is made in-process from the test database; restoring needs an empty database,
so it runs in a subprocess (``migrate`` + ``restore``) against a fresh SQLite file.
"""

import hashlib
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from agreements.models import Covenant, CovenantDocument, Signature
from cluster_portal.backup import backed_up_models
from cluster_portal.models import AuditEvent, SealKey
from cluster_portal.seal import portal_seal
from members.models import Cluster, User
from plans import services as plan_services
from plans.models import LegalReference
from tests.factories import minimal_pdf

pytestmark = pytest.mark.django_db

PDF = minimal_pdf()

# Runs in the restored database: what the test compares with the original.
CHECK_SCRIPT = """
import hashlib, json
from django.apps import apps
from django.core.files.storage import default_storage
from agreements.models import CovenantDocument
from cluster_portal.backup import count_rows
from cluster_portal.pdf_verify import inspect_pdf
documents = {}
for document in CovenantDocument.objects.all():
    data = default_storage.open(document.file.name, "rb").read()
    report = inspect_pdf(data)
    documents[document.file.name] = {
        "sha256": hashlib.sha256(data).hexdigest(),
        "recorded": document.sha256,
        "seals": [
            [s.by_this_portal, s.intact, s.covers_whole_file] for s in report.signatures
        ],
    }
print(json.dumps({"counts": count_rows(), "documents": documents}))
"""


@pytest.fixture(autouse=True)
def _fresh_seal():
    """The seal is cached per process and its key lives in the database: start afresh."""
    portal_seal.cache_clear()
    yield
    portal_seal.cache_clear()


def manage(*args, database: Path, media: Path, check=True) -> subprocess.CompletedProcess:
    """``manage.py *args`` in a subprocess, on the SQLite file ``database``."""
    env = {
        **os.environ,
        "DEBUG": "1",
        "DATABASE_URL": f"sqlite:///{database}",
        "MEDIA_ROOT": str(media),
    }
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    if check:
        assert result.returncode == 0, result.stdout + result.stderr
    return result


@pytest.fixture
def empty_database(tmp_path) -> dict:
    """A freshly migrated SQLite database and empty media folder, for subprocesses."""
    target = {"database": tmp_path / "restored.sqlite3", "media": tmp_path / "restored-media"}
    manage("migrate", "--verbosity=0", **target)
    return target


@pytest.fixture
def demo(django_capture_on_commit_callbacks, tasks_run_at_once):
    """The demo data (two covenants issued and sealed) plus a legal reference with a file."""
    # Issuing the sealed PDFs is queued on commit, which a test transaction never reaches;
    # the task runs at once (this is about backups, not about the tasks).
    with django_capture_on_commit_callbacks(execute=True):
        call_command("load_demo", force=True, stdout=io.StringIO())
    admin = User.objects.filter(is_superuser=True).first()
    plan_services.legal_reference_create(
        kind="Công văn",
        number="999/BNV-VP",
        upload=SimpleUploadedFile("cong-van.pdf", PDF, content_type="application/pdf"),
        by=admin,
    )
    assert CovenantDocument.objects.count() >= 1


def backup(path: Path) -> dict:
    call_command("backup", output=str(path), stdout=io.StringIO())
    return json.loads((path / "MANIFEST.json").read_text())


def restored_state(target: dict) -> dict:
    """Row counts and issued documents of the restored database (CHECK_SCRIPT's output)."""
    output = manage("shell", "--no-imports", "-c", CHECK_SCRIPT, **target).stdout
    return json.loads(output.strip().splitlines()[-1])


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def test_a_round_trip_keeps_documents_seals_and_the_audit_chain(demo, tmp_path, empty_database):
    manifest = backup(tmp_path / "backup")
    originals = {d.file.name: d.sha256 for d in CovenantDocument.objects.all()}
    counts = {m._meta.label: m._base_manager.count() for m in backed_up_models()}

    restored = manage("restore", str(tmp_path / "backup"), **empty_database)
    assert "Restored" in restored.stdout
    audit = manage("verify_audit", **empty_database)
    assert "Audit chain intact" in audit.stdout
    assert f"{AuditEvent.objects.count()} events" in audit.stdout
    check = restored_state(empty_database)

    assert check["counts"] == counts == manifest["counts"]
    assert counts["members.User"] > 0 and counts["cluster_portal.SealKey"] == 1
    assert {name: d["recorded"] for name, d in check["documents"].items()} == originals
    for name, document in check["documents"].items():
        assert document["sha256"] == originals[name]
        assert document["seals"] and all(all(seal) for seal in document["seals"]), name
    reference = LegalReference.objects.get(number="999/BNV-VP")
    restored_file = empty_database["media"] / reference.file.name
    assert restored_file.read_bytes() == PDF
    for name, digest in originals.items():
        assert sha256((empty_database["media"] / name).read_bytes()) == digest


def test_the_manifest_lists_every_file_with_its_checksum(demo, tmp_path):
    manifest = backup(tmp_path / "backup")
    paths = {entry["path"]: entry for entry in manifest["files"]}
    assert "data.json" in paths
    for document in CovenantDocument.objects.all():
        entry = paths[f"media/{document.file.name}"]
        assert entry["sha256"] == document.sha256
        assert entry["size"] == document.size
    for path, entry in paths.items():
        data = (tmp_path / "backup" / path).read_bytes()
        assert (len(data), sha256(data)) == (entry["size"], entry["sha256"])
    assert manifest["format_version"] == 1
    assert manifest["database_vendor"] == connection.vendor
    assert manifest["counts"]["agreements.Signature"] == Signature.objects.count()
    assert manifest["counts"]["agreements.Covenant"] == Covenant.objects.count()
    assert "contenttypes.ContentType" not in manifest["counts"]
    assert not (tmp_path / "backup.tmp").exists()


def test_a_tampered_file_is_refused_and_nothing_is_restored(demo, tmp_path, empty_database):
    backup(tmp_path / "backup")
    document = CovenantDocument.objects.first()
    damaged = tmp_path / "backup" / "media" / document.file.name
    data = bytearray(damaged.read_bytes())
    data[len(data) // 2] ^= 0x01
    damaged.write_bytes(bytes(data))

    refused = manage("restore", str(tmp_path / "backup"), check=False, **empty_database)

    assert refused.returncode != 0
    assert f"media/{document.file.name} does not match its SHA-256" in refused.stderr
    check = restored_state(empty_database)
    assert not any(check["counts"].values())
    assert not empty_database["media"].exists() or not any(empty_database["media"].rglob("*.*"))


def test_restoring_into_a_database_that_is_not_empty_is_refused(world, tmp_path):
    default_storage.save("legal/2024/x.pdf", SimpleUploadedFile("x.pdf", PDF))
    LegalReference.objects.create(kind="Công văn", number="1/X", file="legal/2024/x.pdf")
    backup(tmp_path / "backup")
    before = (Cluster.objects.count(), User.objects.count(), SealKey.objects.count())

    with pytest.raises(CommandError, match=r"The database is not empty.*migrate"):
        call_command("restore", str(tmp_path / "backup"))

    assert (Cluster.objects.count(), User.objects.count(), SealKey.objects.count()) == before


def test_a_backup_into_a_directory_that_is_not_empty_is_refused(world, tmp_path):
    target = tmp_path / "backup"
    target.mkdir()
    (target / "notes.txt").write_text("keep me")

    with pytest.raises(CommandError, match="not an empty directory"):
        call_command("backup", output=str(target))

    assert [p.name for p in target.iterdir()] == ["notes.txt"]
    assert not (tmp_path / "backup.tmp").exists()


def test_a_backup_into_an_empty_directory_is_written(world, tmp_path):
    target = tmp_path / "backup"
    target.mkdir()
    manifest = backup(target)
    assert manifest["counts"]["members.User"] == User.objects.count()
    assert (target / "data.json").is_file()
