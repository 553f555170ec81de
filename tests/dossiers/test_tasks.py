"""Issuing the dossier runs as a background task (``dossiers.tasks.dossier_assemble``): the
request returns first and the page says "being prepared"; the worker produces one ZIP whose
manifest lists every file with the SHA-256 of the bytes in the ZIP.

Tasks run through the real database backend (``run_worker`` runs ``manage.py db_worker``),
so these tests commit (``transaction=True``) as the portal does.
"""

import hashlib
import io
import json
import zipfile

import pytest
from django.urls import reverse
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from dossiers.models import Dossier
from dossiers.selectors.dossiers import ASSEMBLE_TASK_PATH
from tests.helpers import dossier_draft, dossier_year_ready, run_worker, vi

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def draft(world):
    dossier_year_ready(world)
    return dossier_draft(world)


def issue_through_the_page(client, world, dossier):
    client.force_login(world.secretariat)
    return client.post(reverse("dossiers:dossier-issue", kwargs={"pk": dossier.pk}))


def zip_of(client, dossier) -> zipfile.ZipFile:
    response = client.get(reverse("dossiers:dossier-download", kwargs={"pk": dossier.pk}))
    assert response.status_code == 200
    return zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))


def test_issuing_returns_before_the_documents_exist_and_queues_the_task(client, world, draft):
    response = issue_through_the_page(client, world, draft)
    assert response.status_code == 302
    assert Dossier.objects.get(pk=draft.pk).state == "draft"
    queued = DBTaskResult.objects.get(task_path=ASSEMBLE_TASK_PATH)
    assert queued.status == TaskResultStatus.READY
    assert queued.args_kwargs["kwargs"] == {
        "dossier_id": draft.pk,
        "by_id": world.secretariat.pk,
        "cluster_year_id": world.year_a.pk,
    }


def test_the_page_says_the_dossier_is_being_prepared_until_the_worker_ran(client, world, draft):
    issue_through_the_page(client, world, draft)
    page = client.get(draft.get_absolute_url()).content.decode()
    assert "dossier-preparing" in page
    run_worker()
    page = client.get(draft.get_absolute_url()).content.decode()
    assert "dossier-preparing" not in page
    assert vi("Issued, not yet sent") in page


def test_issuing_twice_while_it_is_being_prepared_is_refused(client, world, draft):
    issue_through_the_page(client, world, draft)
    response = issue_through_the_page(client, world, draft)
    assert response.status_code == 200
    assert vi("The dossier is already being prepared.") in response.content.decode()
    assert DBTaskResult.objects.filter(task_path=ASSEMBLE_TASK_PATH).count() == 1


def test_the_worker_issues_the_dossier_with_its_zip(client, world, draft):
    issue_through_the_page(client, world, draft)
    run_worker()
    dossier = Dossier.objects.get(pk=draft.pk)
    assert dossier.state == "issued"
    assert DBTaskResult.objects.get(task_path=ASSEMBLE_TASK_PATH).status == "SUCCESSFUL"
    with dossier.archive.open("rb") as handle:
        assert hashlib.sha256(handle.read()).hexdigest() == dossier.archive_sha256


def test_two_queued_issues_leave_one_issued_dossier(client, world, draft):
    from dossiers.tasks import dossier_assemble

    issue_through_the_page(client, world, draft)
    dossier_assemble.enqueue(
        dossier_id=draft.pk, by_id=world.secretariat.pk, cluster_year_id=world.year_a.pk
    )
    run_worker()
    dossier = Dossier.objects.get(pk=draft.pk)
    assert dossier.documents.filter(kind="submission").count() == 1
    assert Dossier.objects.filter(cluster_year=world.year_a).count() == 1


def test_the_manifest_lists_every_file_of_the_zip_with_the_sha_256_of_its_bytes(
    client, world, draft
):
    issue_through_the_page(client, world, draft)
    run_worker()
    archive = zip_of(client, draft)
    manifest = json.loads(archive.read("manifest.json"))
    files = set(archive.namelist()) - {"manifest.json", "SHA256SUMS.txt"}
    assert set(manifest["files"]) == files
    for name in files:
        assert manifest["files"][name] == hashlib.sha256(archive.read(name)).hexdigest(), name


def test_the_checksum_file_agrees_with_the_bytes_in_the_zip(client, world, draft):
    issue_through_the_page(client, world, draft)
    run_worker()
    archive = zip_of(client, draft)
    lines = archive.read("SHA256SUMS.txt").decode().splitlines()
    assert len(lines) == 4
    for line in lines:
        digest, name = line.split("  ", 1)
        assert digest == hashlib.sha256(archive.read(name)).hexdigest()


def test_the_zip_holds_the_stored_documents_unchanged(client, world, draft):
    issue_through_the_page(client, world, draft)
    run_worker()
    dossier = Dossier.objects.get(pk=draft.pk)
    archive = zip_of(client, dossier)
    in_zip = {hashlib.sha256(archive.read(n)).hexdigest() for n in dossier.manifest["files"]}
    assert in_zip == set(dossier.documents.values_list("sha256", flat=True))


def test_the_zip_is_offered_as_a_download_that_is_not_sniffed(client, world, draft):
    issue_through_the_page(client, world, draft)
    run_worker()
    response = client.get(reverse("dossiers:dossier-download", kwargs={"pk": draft.pk}))
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "ho-so-khen-thuong-bac-bo-2024-v1.zip" in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
