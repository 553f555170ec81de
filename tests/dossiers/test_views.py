"""The dossier's pages over HTTP: who sees what (per role), who may act (403 / 404), the
Ministry's return (reviewers with the permission only), attachments through the upload
check and served as downloads with ``nosniff``, and a query-count guard per page."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from dossiers.models import Dossier
from dossiers.services import dossiers as services
from tests.factories import DepartmentFactory, MembershipFactory, UserFactory
from tests.helpers import (
    assert_same_count,
    docx_bytes,
    dossier_draft,
    dossier_issued,
    dossier_year_ready,
    pdf,
    queries_for,
    upload,
    vi,
)

pytestmark = pytest.mark.django_db


def url(name, dossier, **extra):
    return reverse(f"dossiers:{name}", kwargs={"pk": dossier.pk, **extra})


def list_url(world):
    return reverse("dossiers:dossier-list", kwargs={"code": "bac-bo", "year": 2024})


def decision_maker():
    user = UserFactory(reviewer=True, username="hoidong.bonoivu")
    user.user_permissions.add(Permission.objects.get(codename="record_award_decision"))
    return user


@pytest.fixture
def draft(world):
    dossier_year_ready(world)
    return dossier_draft(world)


@pytest.fixture
def sent(world):
    dossier_year_ready(world)
    return services.dossier_send(dossier=dossier_issued(world), by=world.secretariat)


def get(client, user, path):
    if user is not None:
        client.force_login(user)
    return client.get(path)


# Seeing


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("secretariat", 200),
        ("site_admin", 200),
        ("staff", 404),
        ("reviewer", 404),
        ("outsider", 404),
    ],
)
def test_a_draft_is_seen_by_the_secretariat_only(client, world, draft, role, status):
    assert get(client, world.user(role), url("dossier-detail", draft)).status_code == status


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("secretariat", 200),
        ("staff", 200),
        ("signatory", 200),
        ("reviewer", 200),
        ("outsider", 404),
    ],
)
def test_a_sent_dossier_is_seen_by_whoever_sees_the_year(client, world, sent, role, status):
    assert get(client, world.user(role), url("dossier-detail", sent)).status_code == status


def test_an_anonymous_visitor_is_sent_to_the_login_page(client, world, sent):
    response = client.get(url("dossier-detail", sent))
    assert response.status_code == 302 and "login" in response["Location"]


def test_the_year_page_lists_the_draft_for_the_secretariat_but_not_for_members(
    client, world, draft
):
    assert (
        url("dossier-detail", draft)
        in get(client, world.secretariat, list_url(world)).content.decode()
    )
    assert (
        url("dossier-detail", draft)
        not in get(client, world.staff, list_url(world)).content.decode()
    )


def test_another_cluster_s_user_gets_404_for_the_year_page(client, world, draft):
    assert get(client, world.outsider, list_url(world)).status_code == 404


def test_the_year_page_offers_the_secretariat_to_start_the_dossier(client, world):
    page = get(client, world.secretariat, list_url(world)).content.decode()
    assert reverse("dossiers:dossier-create", kwargs={"code": "bac-bo", "year": 2024}) in page


def test_starting_the_dossier_through_the_page_after_confirmation(client, world):
    dossier_year_ready(world)
    client.force_login(world.secretariat)
    path = reverse("dossiers:dossier-create", kwargs={"code": "bac-bo", "year": 2024})
    assert client.get(path).status_code == 200
    response = client.post(path)
    dossier = Dossier.objects.get()
    assert response["Location"] == dossier.get_absolute_url()


# Acting


@pytest.mark.parametrize("role", ["staff", "signatory"])
def test_members_who_see_the_dossier_may_not_send_it(client, world, role):
    dossier_year_ready(world)
    issued = dossier_issued(world)
    assert get(client, world.user(role), url("dossier-send", issued)).status_code == 403


def test_the_secretariat_sends_the_issued_dossier_through_the_page(client, world):
    dossier_year_ready(world)
    issued = dossier_issued(world)
    client.force_login(world.secretariat)
    response = client.post(url("dossier-send", issued))
    assert response.status_code == 302
    assert Dossier.objects.get(pk=issued.pk).state == "sent"


def test_a_reviewer_may_not_post_to_send_even_with_the_decision_permission(client, world, sent):
    client.force_login(decision_maker())
    assert client.post(url("dossier-send", sent)).status_code == 403


def test_a_reviewer_with_the_permission_returns_the_dossier_with_a_reason(client, world, sent):
    client.force_login(decision_maker())
    response = client.post(url("dossier-return", sent), {"reason": "Thiếu biên bản."})
    assert response.status_code == 302
    assert Dossier.objects.get(pk=sent.pk).return_reason == "Thiếu biên bản."


def test_a_reviewer_without_the_permission_gets_403_from_the_return_page(client, world, sent):
    client.force_login(world.reviewer)
    assert client.post(url("dossier-return", sent), {"reason": "x"}).status_code == 403
    assert Dossier.objects.get(pk=sent.pk).state == "sent"


def test_the_secretariat_gets_403_from_the_return_page(client, world, sent):
    client.force_login(world.secretariat)
    assert client.post(url("dossier-return", sent), {"reason": "x"}).status_code == 403


def test_a_return_without_a_reason_is_shown_on_the_form(client, world, sent):
    client.force_login(decision_maker())
    response = client.post(url("dossier-return", sent), {"reason": ""})
    assert response.status_code == 200
    assert Dossier.objects.get(pk=sent.pk).state == "sent"


def test_the_returned_dossier_shows_its_reason_and_offers_a_new_version(client, world, sent):
    services.dossier_return(dossier=sent, reason="Thiếu biên bản.", by=decision_maker())
    page = get(client, world.secretariat, url("dossier-detail", sent)).content.decode()
    assert "Thiếu biên bản." in page
    assert url("dossier-resubmit", sent) in page


def test_the_new_version_through_the_page_leads_to_version_2(client, world, sent):
    services.dossier_return(dossier=sent, reason="Thiếu biên bản.", by=decision_maker())
    client.force_login(world.secretariat)
    response = client.post(url("dossier-resubmit", sent))
    new = Dossier.objects.get(version=2)
    assert response["Location"] == new.get_absolute_url()


# Attachments


def test_a_fake_pdf_is_refused_on_the_form_and_nothing_is_stored(client, world, draft):
    client.force_login(world.secretariat)
    fake = upload("bao-cao.pdf", b"%PDF-1.4\n<html><script>alert(1)</script></html>")
    response = client.post(url("attachment-add", draft), {"title": "Giả", "file": fake})
    assert response.status_code == 200
    assert not draft.documents.exists()


def test_an_attachment_is_served_as_a_download_of_its_stored_type_with_nosniff(
    client, world, draft
):
    client.force_login(world.secretariat)
    client.post(
        url("attachment-add", draft),
        {"title": "Bảng thành tích", "file": upload("thanh-tich.pdf", docx_bytes())},
    )
    document = draft.documents.get()
    response = client.get(url("document-download", draft, doc=document.pk))
    assert response["Content-Type"] == document.content_type
    assert document.content_type.endswith("wordprocessingml.document")
    assert response["Content-Disposition"].startswith("attachment;")
    assert "bang-thanh-tich.docx" in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"


def test_a_pdf_attachment_is_a_download_too(client, world, draft):
    services.attachment_add(dossier=draft, title="Báo cáo", file=pdf(), by=world.secretariat)
    document = draft.documents.get()
    response = get(client, world.secretariat, url("document-download", draft, doc=document.pk))
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"


def test_another_dossier_s_document_number_gives_404(client, world, draft):
    services.attachment_add(dossier=draft, title="Báo cáo", file=pdf(), by=world.secretariat)
    document = draft.documents.get()
    response = get(client, world.secretariat, url("document-download", draft, doc=document.pk + 1))
    assert response.status_code == 404


def test_members_may_not_add_attachments(client, world, draft):
    client.force_login(world.staff)
    assert client.post(url("attachment-add", draft), {"file": pdf()}).status_code == 404


def test_the_draft_page_says_what_stops_it_from_being_issued(client, world):
    draft = dossier_draft(world)
    page = get(client, world.secretariat, url("dossier-detail", draft)).content.decode()
    assert vi("The results of the year-end evaluation are not published yet.") in page


# Query-count guards


def more_attachments(dossier, by, count):
    for n in range(count):
        services.attachment_add(dossier=dossier, title=f"Tệp {n}", file=pdf(), by=by)


def test_the_draft_page_costs_the_same_with_more_attachments(client, world, draft):
    small = queries_for(client, world.secretariat, url("dossier-detail", draft))
    more_attachments(draft, world.secretariat, 4)
    large = queries_for(client, world.secretariat, url("dossier-detail", draft))
    assert_same_count(small, large)


def test_the_sent_page_costs_the_same_with_more_proposals(client, world, sent):
    small = queries_for(client, world.staff, url("dossier-detail", sent))
    for dept in DepartmentFactory.create_batch(3):
        membership = MembershipFactory(cluster_year=world.year_a, department=dept)
        sent.proposals.create(membership=membership, award="minister_merit")
    large = queries_for(client, world.staff, url("dossier-detail", sent))
    assert_same_count(small, large)


def test_the_year_page_costs_the_same_with_more_versions(client, world, sent):
    small = queries_for(client, world.staff, list_url(world))
    returned = services.dossier_return(dossier=sent, reason="Bổ sung.", by=decision_maker())
    new = dossier_issued(world, services.dossier_resubmit(dossier=returned, by=world.secretariat))
    services.dossier_send(dossier=new, by=world.secretariat)
    large = queries_for(client, world.staff, list_url(world))
    assert_same_count(small, large)


def test_the_pages_fit_a_phone(client, world, sent):
    page = get(client, world.staff, url("dossier-detail", sent)).content.decode()
    assert 'name="viewport"' in page
    assert "table-responsive" in page
