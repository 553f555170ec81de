"""The data migration that stores the type of legal reference files uploaded before types
were kept: found by sniffing the stored file, never from its name."""

import importlib

import pytest
from django.apps import apps
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import reverse

from plans.models import LegalReference
from tests.cluster_portal.test_uploads import PDF_HTML
from tests.plans.conftest import image_bytes

pytestmark = pytest.mark.django_db

migration = importlib.import_module("plans.migrations.0004_stored_file_types")


def stored_before(number, name, content) -> LegalReference:
    return LegalReference.objects.create(
        kind="Công văn",
        number=number,
        file=default_storage.save(f"legal/2024/{name}", ContentFile(content)),
    )


def test_a_stored_file_gets_the_type_of_its_content_not_of_its_name():
    reference = stored_before("1/X", "cong-van.pdf", image_bytes("PNG"))
    migration.store_legal_reference_types(apps, None)
    reference.refresh_from_db()
    assert reference.content_type == "image/png"


def test_a_stored_polyglot_is_served_only_as_a_plain_download(client, world):
    reference = stored_before("2/X", "view.html", PDF_HTML)
    migration.store_legal_reference_types(apps, None)
    reference.refresh_from_db()
    assert reference.content_type == ""
    client.force_login(world.staff)
    response = client.get(reverse("plans:legalreference-file", kwargs={"pk": reference.pk}))
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"] == 'attachment; filename="cong-van-2x"'
    assert response["X-Content-Type-Options"] == "nosniff"
