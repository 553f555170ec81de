"""Re-check every stored scan of a paper original with the portal's upload check.

Scans used to be accepted on their first bytes only and kept the uploader's file name, so a
stored "scan" may be a script or a web page (a polyglot). A scan that is a PDF or an image
gets its type and SHA-256 stored and moves to a random name with the extension of its
type, and is served as that type from now on. One that is not is moved out of reach:
under ``quarantine/`` in the same storage and taken off the signature, whose
``quarantined_scan`` keeps the new name, so the covenant's status page lists it for the
secretariat (who asks the department for a new scan).

Files are copied first; the old copies are deleted only once the migration has committed,
so a migration that fails half-way leaves every row pointing at a file that exists.
"""

import hashlib

from django.db import migrations, transaction

from cluster_portal.uploads import SCAN_KINDS, detect_kind, private_name

QUARANTINE_PREFIX = "quarantine/"


def _sniff(field_file):
    """The scan's kind (None if it is not an accepted one) and SHA-256; None, None if gone."""
    try:
        with field_file.storage.open(field_file.name, "rb") as handle:
            kind = detect_kind(handle)
            handle.seek(0)
            digest = hashlib.sha256()
            for chunk in iter(lambda: handle.read(1024 * 1024), b""):
                digest.update(chunk)
    except OSError:
        return None, None
    return kind, digest.hexdigest()


def _move(field_file, new_name: str) -> str:
    """Copy the stored file to ``new_name`` now, delete the old copy after commit."""
    storage, name = field_file.storage, field_file.name
    with storage.open(name, "rb") as handle:
        moved = storage.save(new_name, handle)
    transaction.on_commit(lambda: storage.delete(name))
    return moved


def _quarantine(field_file) -> str:
    """Move the stored file under ``quarantine/``; the new storage name ('' if it was gone)."""
    if not field_file.storage.exists(field_file.name):
        return ""
    return _move(field_file, QUARANTINE_PREFIX + field_file.name)


def recheck_stored_scans(apps, schema_editor):
    Signature = apps.get_model("agreements", "Signature")
    for signature in Signature.objects.exclude(scan="").order_by("pk"):
        kind, sha256 = _sniff(signature.scan)
        if kind in SCAN_KINDS:
            signature.scan = _move(
                signature.scan, private_name("signatures", f"scan{kind.extension}")
            )
            signature.scan_content_type = kind.content_type
            signature.scan_sha256 = signature.scan_sha256 or sha256
            signature.save(update_fields=["scan", "scan_content_type", "scan_sha256"])
            continue
        original = signature.scan.name
        signature.quarantined_scan = (
            _quarantine(signature.scan) or f"{original} (không tìm thấy tệp)"
        )
        signature.scan = ""
        signature.scan_content_type = ""
        signature.save(update_fields=["scan", "scan_content_type", "quarantined_scan"])


class Migration(migrations.Migration):
    dependencies = [
        ("agreements", "0002_signature_scan_evidence"),
    ]

    operations = [
        migrations.RunPython(recheck_stored_scans, migrations.RunPython.noop),
    ]
