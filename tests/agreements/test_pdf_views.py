"""The covenant PDF download (issued once, served as stored; drafts marked) and the
verification page (upload a PDF: intact? sealed here? which covenant? bad uploads refused).

World: ``completed`` is the 2024 covenant of cluster A ("bac-bo") with the paper originals
of its four members recorded (no password checks: fast); completion's on-commit issuance
does not run inside a test transaction, so ``issued`` issues the document explicitly, as that
callback would.
"""

import hashlib
import io

import pdfplumber
import pypdf
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape
from django.utils.translation import gettext

from agreements import services
from agreements.models import CovenantDocument
from cluster_portal.models import AuditEvent
from cluster_portal.seal import portal_seal
from tests.agreements.conftest import MEMBER_CODES, refreshed, sign
from tests.agreements.test_seal import (
    blank_pdf,
    complete_on_paper,
    make_pkcs12,
    signed_elsewhere,
    with_damaged_xref_stream,
    with_incremental_update,
    with_one_byte_changed,
)

pytestmark = pytest.mark.django_db

PDF_URL = reverse("agreements:covenant-pdf", kwargs={"code": "bac-bo", "year": 2024})
VERIFY_URL = reverse("agreements:pdf-verify")


def vi(message: str) -> str:
    """``message`` as the Vietnamese page shows it, HTML-escaped."""
    with translation.override("vi"):
        return escape(gettext(message))


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def watermarked(pdf: bytes) -> bool:
    """Whether the first page carries the rotated "DỰ THẢO" watermark."""
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        chars = document.pages[0].chars
        return "".join(c["text"] for c in chars if abs(c["matrix"][1]) > 0.01) == "DỰ THẢO"


@pytest.fixture(scope="module", autouse=True)
def _no_seal_from_other_modules():
    """The cached seal may come from rows another module rolled back: start and end afresh."""
    portal_seal.cache_clear()
    yield
    portal_seal.cache_clear()


@pytest.fixture
def completed(covenant, world):
    """The open covenant with every member's paper original recorded: fully signed."""
    return complete_on_paper(covenant, by=world.secretariat)


@pytest.fixture
def issued(completed) -> CovenantDocument:
    return services.covenant_issue_document(covenant=completed)


@pytest.fixture
def issued_bytes(issued) -> bytes:
    with issued.file.open("rb") as handle:
        return handle.read()


def download(client, user):
    client.force_login(user)
    return client.get(PDF_URL)


def upload(client, user, data: bytes, name: str = "giao-uoc-thi-dua.pdf"):
    client.force_login(user)
    return client.post(VERIFY_URL, {"file": SimpleUploadedFile(name, data, "application/pdf")})


def error_codes(response) -> list[str]:
    return [error.code for error in response.context["form"].errors.as_data().get("file", [])]


# Download of the issued document


def test_the_issued_pdf_is_served_as_application_pdf(client, world, issued):
    response = download(client, world.signatory)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"


def test_the_issued_pdf_is_named_after_the_cluster_and_year(client, world, issued):
    response = download(client, world.signatory)
    assert 'filename="giao-uoc-thi-dua-bac-bo-2024.pdf"' in response["Content-Disposition"]


def test_two_downloads_give_identical_bytes(client, world, issued):
    first = body(download(client, world.signatory))
    second = body(download(client, world.secretariat))
    assert first == second


def test_the_download_is_the_stored_file(client, world, issued, issued_bytes):
    served = body(download(client, world.signatory))
    assert served == issued_bytes
    assert hashlib.sha256(served).hexdigest() == issued.sha256


def test_the_stored_size_is_the_size_of_the_served_file(client, world, issued):
    assert len(body(download(client, world.signatory))) == issued.size


def test_the_first_download_issues_the_document_if_completion_did_not(client, world, completed):
    served = body(download(client, world.signatory))
    document = CovenantDocument.objects.get(covenant=completed)
    assert hashlib.sha256(served).hexdigest() == document.sha256


def test_the_last_signature_issues_the_document_once_committed(
    covenant, signatories, django_capture_on_commit_callbacks
):
    for code in MEMBER_CODES[:-1]:
        sign(covenant, signatories[code])
    with django_capture_on_commit_callbacks(execute=True):
        sign(covenant, signatories[MEMBER_CODES[-1]])
    assert CovenantDocument.objects.filter(covenant=covenant).count() == 1


def test_issuing_again_returns_the_first_document(completed, issued):
    again = services.covenant_issue_document(covenant=refreshed(completed))
    assert (again.identifier, again.sha256) == (issued.identifier, issued.sha256)
    assert CovenantDocument.objects.count() == 1


def test_a_download_after_closing_serves_the_bytes_issued_before(client, world, issued):
    # Closing adds an event that a new rendering would print on the certificate.
    services.covenant_close(covenant=refreshed(issued.covenant), by=world.secretariat)
    served = body(download(client, world.signatory))
    assert hashlib.sha256(served).hexdigest() == issued.sha256


def test_the_issued_pdf_has_no_draft_watermark(client, world, issued):
    assert not watermarked(body(download(client, world.signatory)))


# Download of a draft


def test_an_open_covenant_downloads_as_a_draft_named_du_thao(client, world, covenant):
    response = download(client, world.signatory)
    assert response["Content-Type"] == "application/pdf"
    assert 'filename="giao-uoc-thi-dua-bac-bo-2024-du-thao.pdf"' in response["Content-Disposition"]


def test_an_open_covenant_downloads_with_the_draft_watermark(client, world, covenant):
    assert watermarked(body(download(client, world.signatory)))


def test_a_draft_download_issues_no_document(client, world, covenant):
    download(client, world.signatory)
    assert not CovenantDocument.objects.exists()


# Who may download


@pytest.mark.parametrize("role", ["signatory", "staff", "secretariat", "reviewer", "site_admin"])
def test_people_who_may_see_the_covenant_download_its_pdf(client, world, issued, role):
    assert download(client, world.user(role)).status_code == 200


def test_a_department_of_another_cluster_may_not_download_the_pdf(client, world, issued):
    assert download(client, world.outsider).status_code == 404


def test_an_anonymous_visitor_is_sent_to_log_in(client, world, issued):
    response = client.get(PDF_URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


# The verification page


@pytest.mark.parametrize(
    "role", ["signatory", "staff", "secretariat", "outsider", "reviewer", "site_admin"]
)
def test_every_logged_in_user_may_open_the_verification_page(client, world, role):
    client.force_login(world.user(role))
    assert client.get(VERIFY_URL).status_code == 200


def test_an_anonymous_visitor_must_log_in_to_verify(client, world):
    response = client.get(VERIFY_URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_the_issued_pdf_matches_the_document_on_record(client, world, issued, issued_bytes):
    response = upload(client, world.signatory, issued_bytes)
    assert response.context["match"] == issued
    assert vi("This is exactly the document issued by the portal.") in response.content.decode()


def test_the_match_shows_the_document_identifier(client, world, issued, issued_bytes):
    response = upload(client, world.signatory, issued_bytes)
    assert str(issued.identifier) in response.content.decode()


def test_the_issued_pdf_is_reported_sealed_by_this_portal_and_intact(
    client, world, issued, issued_bytes
):
    response = upload(client, world.signatory, issued_bytes)
    (signature,) = response.context["report"].signatures
    assert signature.by_this_portal and signature.unmodified
    assert vi("Intact: not modified after signing") in response.content.decode()


def test_a_tampered_copy_is_reported_modified(client, world, issued, issued_bytes):
    response = upload(client, world.signatory, with_one_byte_changed(issued_bytes))
    assert response.status_code == 200
    assert vi("Modified after signing") in response.content.decode()


def test_a_tampered_copy_matches_no_document(client, world, issued, issued_bytes):
    response = upload(client, world.signatory, with_one_byte_changed(issued_bytes))
    assert response.context["match"] is None
    assert str(issued.identifier) not in response.content.decode()


def test_a_tampered_copy_is_not_credited_to_the_portal_seal(client, world, issued, issued_bytes):
    response = upload(client, world.signatory, with_one_byte_changed(issued_bytes))
    (signature,) = response.context["report"].signatures
    assert not signature.by_this_portal


def test_content_added_after_the_seal_is_reported(client, world, issued, issued_bytes):
    response = upload(client, world.signatory, with_incremental_update(issued_bytes))
    assert vi("Content was added after signing") in response.content.decode()
    assert response.context["match"] is None


def test_a_user_who_may_not_see_the_covenant_learns_of_no_match(
    client, world, issued, issued_bytes
):
    response = upload(client, world.outsider, issued_bytes)
    assert response.context["match"] is None
    assert str(issued.identifier) not in response.content.decode()


def test_a_pdf_signed_elsewhere_names_its_signer(client, world, tmp_path):
    make_pkcs12(tmp_path / "member.p12", "Nguyễn Tất Sáng")
    signed = signed_elsewhere(blank_pdf(), tmp_path / "member.p12")
    response = upload(client, world.signatory, signed)
    assert "Nguyễn Tất Sáng" in response.content.decode()


def test_a_pdf_signed_elsewhere_is_reported_intact_but_not_sealed_here(client, world, tmp_path):
    make_pkcs12(tmp_path / "member.p12", "Nguyễn Tất Sáng")
    signed = signed_elsewhere(blank_pdf(), tmp_path / "member.p12")
    (signature,) = upload(client, world.signatory, signed).context["report"].signatures
    assert signature.unmodified and not signature.by_this_portal


def test_an_unsigned_pdf_is_reported_as_carrying_no_signature(client, world):
    response = upload(client, world.signatory, blank_pdf())
    assert vi("The file carries no signature.") in response.content.decode()


def test_a_reviewer_may_verify_a_pdf(client, world, issued, issued_bytes):
    # Reviewers change nothing; the middleware lets this POST through because it stores nothing.
    response = upload(client, world.reviewer, issued_bytes)
    assert response.status_code == 200
    assert response.context["match"] == issued


def test_verifying_records_and_stores_nothing(client, world, issued, issued_bytes, settings):
    events = AuditEvent.objects.count()
    files = sorted(p for p in settings.MEDIA_ROOT.rglob("*") if p.is_file())
    upload(client, world.signatory, issued_bytes)
    assert AuditEvent.objects.count() == events
    assert sorted(p for p in settings.MEDIA_ROOT.rglob("*") if p.is_file()) == files


# Bad uploads: a clear message on the form, never a server error


def _refused(response, code: str, message: str) -> bool:
    return (
        response.status_code == 200
        and error_codes(response) == [code]
        and vi(message) in response.content.decode()
    )


def test_a_png_is_refused_as_not_a_pdf(client, world):
    png = b"\x89PNG\r\n\x1a\n" + bytes(100)
    response = upload(client, world.signatory, png, name="anh-chup.png")
    assert _refused(response, "not_pdf", "The file is not a PDF.")


def test_a_text_file_named_pdf_is_refused_as_not_a_pdf(client, world):
    text = "Giao ước thi đua năm 2024 - bản sao chép".encode()
    response = upload(client, world.signatory, text, name="giao-uoc.pdf")
    assert _refused(response, "not_pdf", "The file is not a PDF.")


def test_a_truncated_pdf_is_refused_as_unreadable(client, world, issued_bytes):
    half = issued_bytes[: len(issued_bytes) // 2]
    response = upload(client, world.signatory, half)
    assert _refused(
        response, "unreadable", "The file is not a readable PDF (damaged or truncated)."
    )


def test_a_copy_with_a_damaged_cross_reference_stream_is_refused_not_a_server_error(
    client, world, issued_bytes
):
    client.raise_request_exception = False  # a crash must show as the 500 it would be
    response = upload(client, world.signatory, with_damaged_xref_stream(issued_bytes))
    assert response.status_code == 200
    assert error_codes(response) == ["unreadable"]


def test_an_empty_file_is_refused(client, world):
    response = upload(client, world.signatory, b"")
    assert response.status_code == 200
    assert error_codes(response) == ["empty"]


def test_no_file_at_all_is_refused(client, world):
    client.force_login(world.signatory)
    response = client.post(VERIFY_URL, {})
    assert response.status_code == 200
    assert error_codes(response) == ["required"]


def test_a_file_over_the_size_limit_is_refused(client, world, settings):
    settings.PDF_VERIFY_MAX_BYTES = 2048
    big = blank_pdf() + b"\n%" + b"x" * 4096 + b"\n"
    response = upload(client, world.signatory, big)
    assert response.status_code == 200
    assert error_codes(response) == ["too_large"]


def test_an_encrypted_pdf_is_refused_as_encrypted(client, world):
    writer = pypdf.PdfWriter(clone_from=pypdf.PdfReader(io.BytesIO(blank_pdf())))
    writer.encrypt(user_password="mat-khau", algorithm="AES-128")
    out = io.BytesIO()
    writer.write(out)
    response = upload(client, world.signatory, out.getvalue())
    assert _refused(
        response,
        "encrypted",
        "The PDF is encrypted: it cannot be checked without its password.",
    )


def test_a_refused_upload_shows_no_result(client, world):
    response = upload(client, world.signatory, b"not a pdf at all")
    assert "checked" not in response.context
