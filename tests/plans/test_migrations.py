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
from tests.factories import LegalReferenceFactory, WorkPlanFactory
from tests.helpers import draft_covenant, image_bytes

pytestmark = pytest.mark.django_db

migration = importlib.import_module("plans.migrations.0004_stored_file_types")
legal_reference_cluster = importlib.import_module("plans.migrations.0005_legal_reference_cluster")


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


def test_each_reference_goes_to_the_one_cluster_citing_it_else_stays_site_wide(world):
    by_a_plan = LegalReferenceFactory(number="1/A")
    by_a_covenant = LegalReferenceFactory(number="2/A")
    by_both_clusters = LegalReferenceFactory(number="3/AB")
    LegalReferenceFactory(number="4/-")  # cited by nobody
    plan_a = WorkPlanFactory(cluster_year=world.year_a)
    plan_a.legal_references.add(by_a_plan, by_both_clusters)
    WorkPlanFactory(cluster_year=world.year_b).legal_references.add(by_both_clusters)
    draft_covenant(world, legal_bases=[by_a_covenant, by_a_plan])

    legal_reference_cluster.assign_owners(apps, None)

    owners = dict(LegalReference.objects.values_list("number", "cluster__code"))
    assert owners == {"1/A": "bac-bo", "2/A": "bac-bo", "3/AB": None, "4/-": None}
