"""The data migration that re-checks the scans stored before the upload check existed.

A "scan" stored then may be a polyglot (JPEG magic bytes and a script, named ``payload.js``).
The migration's function runs on a database holding one, as it would on the server.
"""

import hashlib
import importlib
import re

import pytest
from django.apps import apps
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from agreements.models import Signature
from tests.cluster_portal.test_uploads import JPEG_SCRIPT
from tests.factories import minimal_pdf

pytestmark = pytest.mark.django_db

migration = importlib.import_module("agreements.migrations.0003_recheck_stored_scans")


def stored_before_the_check(covenant, department, name, content) -> Signature:
    """A paper signature as the portal stored it before: the uploader's name, no type."""
    version = covenant.versions.get()
    return Signature.objects.create(
        covenant=covenant,
        version=version,
        department=department,
        status=Signature.Status.SIGNED,
        method=Signature.Method.PAPER,
        signer_name="Nguyễn Văn Hùng",
        department_name=department.full_name,
        signed_at=timezone.now(),
        text_sha256=version.sha256,
        scan=default_storage.save(f"signatures/{name}", ContentFile(content)),
    )


@pytest.fixture
def polyglot(world, covenant, paper_media):
    return stored_before_the_check(covenant, world.bacninh, "payload.js", JPEG_SCRIPT)


def test_a_stored_polyglot_scan_is_moved_out_of_reach(polyglot, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        migration.recheck_stored_scans(apps, None)
    polyglot.refresh_from_db()
    assert not polyglot.scan
    assert polyglot.quarantined_scan.startswith("quarantine/signatures/payload")
    assert not default_storage.exists("signatures/payload.js")
    with default_storage.open(polyglot.quarantined_scan, "rb") as moved:
        assert moved.read() == JPEG_SCRIPT


def test_a_quarantined_scan_is_no_longer_served(client, covenant, polyglot, signatories):
    migration.recheck_stored_scans(apps, None)
    year = covenant.cluster_year
    scan = reverse(
        "agreements:signature-scan",
        kwargs={"code": year.cluster.code, "year": year.year, "pk": polyglot.pk},
    )
    client.force_login(signatories["hanoi"])
    assert client.get(scan).status_code == 404


def test_the_secretariat_sees_the_quarantined_scan_listed(client, world, covenant, polyglot):
    migration.recheck_stored_scans(apps, None)
    polyglot.refresh_from_db()
    client.force_login(world.secretariat)
    response = client.get(covenant.board_url)
    assert response.context["board"].quarantined == [polyglot]
    assert escape(polyglot.quarantined_scan) in response.text
    assert "Bản quét đã được cách ly" in response.text


def test_members_outside_the_secretariat_are_not_shown_the_list(client, world, covenant, polyglot):
    migration.recheck_stored_scans(apps, None)
    client.force_login(world.signatory)
    response = client.get(covenant.board_url)
    assert "Bản quét đã được cách ly" not in response.text


def test_a_stored_genuine_scan_keeps_its_place_and_gains_its_type_and_hash(
    world, covenant, paper_media
):
    genuine = stored_before_the_check(covenant, world.bacninh, "ban-giay.pdf", minimal_pdf())
    migration.recheck_stored_scans(apps, None)
    genuine.refresh_from_db()
    assert (genuine.scan_content_type, genuine.quarantined_scan) == ("application/pdf", "")
    assert genuine.scan_sha256 == hashlib.sha256(minimal_pdf()).hexdigest()
    with genuine.scan.open("rb") as scan:
        assert scan.read() == minimal_pdf()


def test_a_stored_genuine_scan_moves_to_a_random_name_once_committed(
    world, covenant, paper_media, django_capture_on_commit_callbacks
):
    genuine = stored_before_the_check(covenant, world.bacninh, "Ban giay.pdf", minimal_pdf())
    old_name = genuine.scan.name
    with django_capture_on_commit_callbacks(execute=True):
        migration.recheck_stored_scans(apps, None)
    genuine.refresh_from_db()
    assert re.fullmatch(r"signatures/\d{4}/[0-9a-f]{32}\.pdf", genuine.scan.name)
    assert not default_storage.exists(old_name)


def test_the_old_copy_stays_until_the_migration_commits(world, covenant, polyglot):
    migration.recheck_stored_scans(apps, None)
    assert default_storage.exists("signatures/payload.js")
