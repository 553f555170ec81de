"""The paper-original form and the scan it stores, attacked through real requests.

A scan used to be checked on its first bytes only and served with a type guessed from the
uploader's file name, so ``payload.js`` starting with JPEG magic bytes came back as
JavaScript from the portal's own origin. Paper originals could also be back-dated, dated
ahead, recorded without a scan, after the deadline, or by any secretariat user.
"""

import datetime
from pathlib import Path

import pytest
from django.core.exceptions import NON_FIELD_ERRORS
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from agreements.models import Covenant, Signature
from cluster_portal.models import AuditEvent
from tests.cluster_portal.test_uploads import JPEG_SCRIPT, PDF_HTML
from tests.factories import minimal_pdf
from tests.helpers import decline, image_bytes, paper_scan, refreshed, sign

pytestmark = pytest.mark.django_db


def paper_url(covenant):
    return reverse(
        "agreements:covenant-paper",
        kwargs={"code": covenant.cluster_year.cluster.code, "year": covenant.cluster_year.year},
    )


def scan_url(signature):
    year = signature.covenant.cluster_year
    return reverse(
        "agreements:signature-scan",
        kwargs={"code": year.cluster.code, "year": year.year, "pk": signature.pk},
    )


def form_data(world, *, scan, signed_at=None):
    signed_at = timezone.localtime(signed_at or timezone.now())
    data = {
        "department": world.bacninh.pk,
        "signer_name": "Nguyễn Văn Hùng",
        "signer_title": "Giám đốc Sở Nội vụ",
        "signed_at": signed_at.strftime("%Y-%m-%dT%H:%M"),
    }
    if scan is not None:
        data["scan"] = scan
    return data


def stored_files(media_root) -> list[Path]:
    root = Path(media_root)
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def assert_nothing_recorded(media_root):
    assert Signature.objects.count() == 0
    assert not AuditEvent.objects.filter(action="signature.signed").exists()
    assert stored_files(media_root) == []


@pytest.fixture
def recorder(client, signatories):
    """The leader department's signatory (Hà Nội), whom the cluster allows by default."""
    client.force_login(signatories["hanoi"])
    return signatories["hanoi"]


# Polyglots through the real form


@pytest.mark.parametrize(
    ("name", "content"),
    [("payload.js", JPEG_SCRIPT), ("view.html", PDF_HTML)],
    ids=["jpeg-magic-then-script", "pdf-magic-then-html"],
)
def test_a_polyglot_scan_is_refused_and_nothing_is_stored(
    client, world, covenant, recorder, paper_media, name, content
):
    response = client.post(paper_url(covenant), form_data(world, scan=paper_scan(name, content)))
    assert response.status_code == 200
    assert response.context["form"].has_error("scan", code="wrong_type")
    assert escape(response.context["form"].errors["scan"][0]) in response.text
    assert_nothing_recorded(paper_media)


def test_an_accepted_pdf_scan_is_served_as_a_pdf_under_a_name_from_the_department(
    client, world, covenant, recorder, paper_media
):
    response = client.post(
        paper_url(covenant), form_data(world, scan=paper_scan("view.html", minimal_pdf()))
    )
    assert response.status_code == 302
    signature = Signature.objects.get()
    response = client.get(scan_url(signature))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"].startswith("private")
    assert response["Content-Disposition"] == 'inline; filename="quet-ban-giay-bacninh.pdf"'
    assert b"".join(response.streaming_content) == minimal_pdf()


def test_an_accepted_image_scan_named_as_a_script_is_served_as_an_image(
    client, world, covenant, recorder, paper_media
):
    client.post(
        paper_url(covenant), form_data(world, scan=paper_scan("payload.js", image_bytes("PNG")))
    )
    signature = Signature.objects.get()
    assert signature.scan.name.endswith(".png")
    response = client.get(scan_url(signature))
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"] == 'inline; filename="quet-ban-giay-bacninh.png"'


# Evidence, dates, deadline and who records


def test_a_back_dated_paper_original_is_refused_with_its_own_message(
    client, world, covenant, recorder, paper_media
):
    before = refreshed(covenant).opened_at - datetime.timedelta(days=3)
    response = client.post(
        paper_url(covenant), form_data(world, scan=paper_scan(), signed_at=before)
    )
    form = response.context["form"]
    assert form.has_error("signed_at", code="before_opened")
    assert escape(form.errors["signed_at"][0]) in response.text
    assert_nothing_recorded(paper_media)


def test_a_future_dated_paper_original_is_refused_with_its_own_message(
    client, world, covenant, recorder, paper_media
):
    ahead = timezone.now() + datetime.timedelta(days=3)
    response = client.post(
        paper_url(covenant), form_data(world, scan=paper_scan(), signed_at=ahead)
    )
    form = response.context["form"]
    assert form.has_error("signed_at", code="future_date")
    assert escape(form.errors["signed_at"][0]) in response.text
    assert_nothing_recorded(paper_media)


def test_a_paper_original_without_a_scan_is_refused_with_its_own_message(
    client, world, covenant, recorder, paper_media
):
    response = client.post(paper_url(covenant), form_data(world, scan=None))
    form = response.context["form"]
    assert form.errors["scan"] == ["Hãy đính kèm bản quét bản gốc giấy đã ký."]
    assert_nothing_recorded(paper_media)


def test_a_paper_original_after_the_deadline_is_refused_with_its_own_message(
    client, world, covenant, recorder, paper_media
):
    # The deadline passes while the page is open.
    Covenant.objects.filter(pk=covenant.pk).update(
        deadline=timezone.now() - datetime.timedelta(minutes=1)
    )
    response = client.post(paper_url(covenant), form_data(world, scan=paper_scan()))
    form = response.context["form"]
    assert form.has_error(NON_FIELD_ERRORS, code="deadline_passed")
    assert escape(form.non_field_errors()[0]) in response.text
    assert_nothing_recorded(paper_media)


def test_secretariat_staff_the_cluster_does_not_allow_are_refused_with_their_own_message(
    client, world, covenant, paper_media
):
    client.force_login(world.secretariat)
    response = client.post(paper_url(covenant), form_data(world, scan=paper_scan()))
    form = response.context["form"]
    assert form.has_error(NON_FIELD_ERRORS, code="not_paper_recorder")
    assert escape(form.non_field_errors()[0]) in response.text
    assert_nothing_recorded(paper_media)


def test_the_board_offers_the_paper_form_only_to_whom_the_cluster_allows(
    client, world, covenant, signatories
):
    url = refreshed(covenant).board_url
    client.force_login(world.secretariat)
    assert paper_url(covenant) not in client.get(url).text
    client.force_login(signatories["hanoi"])
    assert paper_url(covenant) in client.get(url).text


def test_the_paper_page_tells_a_secretariat_user_who_may_not_record_why(client, world, covenant):
    client.force_login(world.secretariat)
    response = client.get(paper_url(covenant))
    assert response.context["refusal"][0] == "not_paper_recorder"
    assert escape(str(response.context["refusal"][1])) in response.text


def test_the_paper_form_offers_only_departments_that_have_not_responded(
    client, world, covenant, signatories
):
    sign(covenant, world.signatory)
    decline(refreshed(covenant), signatories["bacninh"])
    client.force_login(signatories["hanoi"])
    form = client.get(paper_url(covenant)).context["form"]
    offered = {d.code for d in form.fields["department"].queryset}
    assert offered == {"hanoi", "vinhphuc"}
