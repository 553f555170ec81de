"""Legal references belong to a cluster or to the whole site; cited history never changes.

Each regression test is the attack: the hostile request through the real test client or
service, then the portal's answer and the proof that nothing changed.
"""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from members.models import ClusterYear
from plans import selectors, services
from plans.models import LegalReference
from tests.agreements.conftest import signatories  # noqa: F401 (a fixture)
from tests.factories import LegalReferenceFactory, WorkPlanFactory
from tests.helpers import WORLD_YEAR, codes, draft_covenant, open_covenant

EDIT = {"kind": "Công văn", "number": "999/BNV-VP", "issuer": "Bộ Nội vụ", "title": "Đã sửa"}


@pytest.fixture
def cluster_a_reference(world):
    """A reference created by cluster A's secretariat: cluster A's."""
    return services.legal_reference_create(
        kind="Công văn", number="1307/BNV-VP", issuer="Bộ Nội vụ", by=world.secretariat
    )


@pytest.fixture
def site_wide(db):
    return LegalReferenceFactory(number="34-CT/TW", kind="Chỉ thị", issuer="Bộ Chính trị")


def edit_url(reference) -> str:
    return reverse("plans:legalreference-update", kwargs={"pk": reference.pk})


def unchanged(reference) -> bool:
    fresh = LegalReference.objects.get(pk=reference.pk)
    return (fresh.number, fresh.title) == (reference.number, reference.title)


def test_a_reference_created_by_a_secretariat_belongs_to_its_cluster(cluster_a_reference, world):
    assert cluster_a_reference.cluster == world.cluster_a


def test_another_clusters_secretariat_posting_an_edit_gets_404_and_changes_nothing(
    client, world, cluster_a_reference
):
    client.force_login(world.outsider)  # the secretariat of cluster B
    response = client.post(edit_url(cluster_a_reference), EDIT)
    assert response.status_code == 404
    assert unchanged(cluster_a_reference)


def test_another_clusters_secretariat_is_refused_by_the_service_too(world, cluster_a_reference):
    with pytest.raises(PermissionDenied):
        services.legal_reference_update(reference=cluster_a_reference, **EDIT, by=world.outsider)
    assert unchanged(cluster_a_reference)


def test_a_secretariat_posting_an_edit_of_a_site_wide_reference_is_refused(
    client, world, site_wide
):
    client.force_login(world.secretariat)
    response = client.post(edit_url(site_wide), EDIT)
    assert response.status_code == 403
    assert unchanged(site_wide)
    with pytest.raises(PermissionDenied):
        services.legal_reference_update(reference=site_wide, **EDIT, by=world.secretariat)
    assert unchanged(site_wide)


def test_a_site_admin_edits_an_uncited_site_wide_reference(client, world, site_wide):
    client.force_login(world.site_admin)
    response = client.post(edit_url(site_wide), EDIT)
    assert response.status_code == 302
    assert LegalReference.objects.get(pk=site_wide.pk).title == "Đã sửa"


def test_editing_a_reference_cited_by_a_closed_year_is_refused_with_its_message(
    client, world, cluster_a_reference
):
    WorkPlanFactory(cluster_year=world.year_a).legal_references.add(cluster_a_reference)
    ClusterYear.objects.filter(pk=world.year_a.pk).update(phase=ClusterYear.Phase.CLOSED)
    client.force_login(world.site_admin)  # even a site admin: history does not change
    response = client.post(edit_url(cluster_a_reference), EDIT)
    assert response.status_code == 200
    # "... create a new reference instead", in the default language.
    assert "hãy tạo văn bản mới thay thế" in str(response.context["form"].non_field_errors())
    assert unchanged(cluster_a_reference)


@pytest.mark.usefixtures("signatories")
def test_editing_a_reference_quoted_by_a_covenant_version_is_refused(world, cluster_a_reference):
    covenant = draft_covenant(world, legal_bases=[cluster_a_reference])
    open_covenant(covenant, world.secretariat)  # version 1 quotes the reference
    with pytest.raises(ValidationError) as refused:
        services.legal_reference_update(reference=cluster_a_reference, **EDIT, by=world.secretariat)
    assert codes(refused.value) == {"frozen"}
    assert unchanged(cluster_a_reference)


@pytest.mark.usefixtures("signatories")
def test_a_reference_cited_only_by_a_draft_covenant_may_still_be_corrected(
    world, cluster_a_reference
):
    draft_covenant(world, legal_bases=[cluster_a_reference])
    services.legal_reference_update(reference=cluster_a_reference, **EDIT, by=world.secretariat)
    assert LegalReference.objects.get(pk=cluster_a_reference.pk).title == "Đã sửa"


def test_a_frozen_reference_page_offers_a_corrected_copy_instead_of_edit(
    client, world, cluster_a_reference
):
    WorkPlanFactory(cluster_year=world.year_a).legal_references.add(cluster_a_reference)
    ClusterYear.objects.filter(pk=world.year_a.pk).update(phase=ClusterYear.Phase.CLOSED)
    # A secretariat of an open year of cluster A (the closed one gives no rights any more).
    world.cluster_a.administrators.add(world.secretariat)
    ClusterYear.objects.create(cluster=world.cluster_a, year=WORLD_YEAR + 1)
    client.force_login(world.secretariat)
    response = client.get(cluster_a_reference.get_absolute_url())
    assert response.context["frozen"] and not response.context["can_edit"]
    copy_url = reverse("plans:legalreference-create") + f"?from={cluster_a_reference.pk}"
    assert copy_url in response.content.decode()
    form = client.get(copy_url).context["form"]
    assert form.initial["number"] == "1307/BNV-VP"
    response = client.post(copy_url, {**EDIT, "number": "1307/BNV-VP", "title": "Bản đúng"})
    assert response.status_code == 302
    copy = LegalReference.objects.get(title="Bản đúng")
    assert (copy.corrects, copy.cluster, copy.number) == (
        cluster_a_reference,
        world.cluster_a,
        "1307/BNV-VP",
    )
    assert unchanged(cluster_a_reference)


def test_a_plan_may_not_cite_another_clusters_reference(world, cluster_a_reference):
    plan_b = WorkPlanFactory(cluster_year=world.year_b)
    with pytest.raises(ValidationError) as refused:
        services.work_plan_update(
            work_plan=plan_b,
            title=plan_b.title,
            legal_references=[cluster_a_reference],
            by=world.outsider,
        )
    assert codes(refused.value) == {"other_cluster_reference"}
    assert not plan_b.legal_references.exists()


@pytest.mark.usefixtures("signatories")
def test_a_covenant_may_not_cite_another_clusters_reference(world):
    reference_b = services.legal_reference_create(kind="Công văn", number="1", by=world.outsider)
    with pytest.raises(ValidationError) as refused:
        draft_covenant(world, legal_bases=[reference_b])
    assert codes(refused.value) == {"other_cluster_reference"}


def test_the_plan_form_offers_only_own_and_site_wide_references(
    client, world, cluster_a_reference, site_wide
):
    reference_b = services.legal_reference_create(kind="Công văn", number="1", by=world.outsider)
    WorkPlanFactory(cluster_year=world.year_a)
    client.force_login(world.secretariat)
    url = reverse("plans:workplan-update", kwargs={"code": "bac-bo", "year": WORLD_YEAR})
    offered = set(client.get(url).context["form"].fields["legal_references"].queryset)
    assert offered == {cluster_a_reference, site_wide}
    assert reference_b not in offered


def test_the_reference_page_lists_no_other_clusters_plan_titles(client, world, site_wide):
    WorkPlanFactory(cluster_year=world.year_a, title="Kế hoạch bí mật Cụm A").legal_references.add(
        site_wide
    )
    WorkPlanFactory(cluster_year=world.year_b, title="Kế hoạch Cụm B").legal_references.add(
        site_wide
    )
    client.force_login(world.outsider)
    page = client.get(site_wide.get_absolute_url()).content.decode()
    assert "Kế hoạch Cụm B" in page
    assert "Kế hoạch bí mật Cụm A" not in page


def test_the_reference_list_leaves_out_other_clusters_references(
    client, world, cluster_a_reference, site_wide
):
    client.force_login(world.outsider)
    listed = list(client.get(reverse("plans:legalreference-list")).context["references"])
    assert listed == [site_wide]
    assert set(selectors.legal_reference_list_visible(user=world.reviewer)) == {
        cluster_a_reference,
        site_wide,
    }


def test_only_a_site_admin_creates_a_site_wide_reference(world):
    reference = services.legal_reference_create(
        kind="Luật", number="06/2022/QH15", by=world.site_admin
    )
    assert reference.cluster is None
    with pytest.raises(PermissionDenied):
        services.legal_reference_create(
            kind="Luật", number="1", cluster=world.cluster_b, by=world.secretariat
        )


def test_the_admin_lists_references_with_their_cluster(client, world, cluster_a_reference):
    client.force_login(world.site_admin)
    world.site_admin.is_staff = True
    world.site_admin.save()
    response = client.get(reverse("admin:plans_legalreference_changelist"))
    assert response.status_code == 200
    assert world.cluster_a.name in response.content.decode()


def test_the_edit_page_of_a_frozen_reference_says_so_up_front(client, world, cluster_a_reference):
    WorkPlanFactory(cluster_year=world.year_a).legal_references.add(cluster_a_reference)
    ClusterYear.objects.filter(pk=world.year_a.pk).update(phase=ClusterYear.Phase.CLOSED)
    client.force_login(world.site_admin)
    response = client.get(edit_url(cluster_a_reference))
    assert response.status_code == 200
    assert "hãy tạo bản đính chính" in response.content.decode()  # "create a corrected copy"
