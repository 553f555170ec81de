"""The covenant PDF download (issued once, served as stored; drafts marked) and the
verification page (upload a PDF: intact? sealed here? which covenant? bad uploads refused).

World: ``completed`` is the 2024 covenant of cluster A ("bac-bo") with the paper originals
of its four members recorded (no password checks: fast); completion's on-commit issuance
does not run inside a test transaction, so ``issued`` issues the document explicitly, as that
callback would.
"""

import datetime
import hashlib
import http.server
import io
import logging
import os
import re
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from unittest import mock

import pdfplumber
import pypdf
import pytest
from asn1crypto import keys as asn1_keys
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import fields, signers
from pyhanko_certvalidator.registry import SimpleCertificateStore

from agreements import services
from agreements.models import CovenantDocument, PdfVerificationAttempt
from cluster_portal.models import AuditEvent
from cluster_portal.pdf_analysis import SIG_FIELD
from cluster_portal.seal import DEMO_SUBJECT, DEMO_UNIT, off_event_loop, portal_seal
from tests.cluster_portal.test_seal import (
    blank_pdf,
    complete_on_paper,
    make_pkcs12,
    signed_elsewhere,
    with_damaged_xref_stream,
    with_incremental_update,
    with_one_byte_changed,
)
from tests.helpers import MEMBER_CODES, refreshed, sign, vi

pytestmark = pytest.mark.django_db

PDF_URL = reverse("agreements:covenant-pdf", kwargs={"code": "bac-bo", "year": 2024})
VERIFY_URL = reverse("agreements:pdf-verify")


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
    covenant, signatories, django_capture_on_commit_callbacks, tasks_run_at_once
):
    # Issued by a background task queued on commit (run at once here; the task itself is
    # tested with the worker in tests/agreements/test_issue_task.py).
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
    assert not response.context["found"].exact


def test_content_added_after_the_seal_is_recognised_as_the_issued_document_with_additions(
    client, world, issued, issued_bytes
):
    response = upload(client, world.signatory, with_incremental_update(issued_bytes))
    page = response.content.decode()
    assert response.context["match"] == issued
    assert vi("This is exactly the document issued by the portal.") not in page
    assert (
        vi(
            "This file contains the document issued by the portal, with additions made after "
            "it was issued."
        )
        in page
    )
    assert vi("The last changes to the file are signed by no one.") in page


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
    # Logging in is recorded (auth.login): only what verifying itself might record counts.
    recorded = AuditEvent.objects.exclude(action__startswith="auth.")
    events = recorded.count()
    files = sorted(p for p in settings.MEDIA_ROOT.rglob("*") if p.is_file())
    upload(client, world.signatory, issued_bytes)
    assert recorded.count() == events
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


# Hostile PDFs: bounded work, a time limit, a per-user throttle (issue 11, item 2)


def with_signature_fields(pdf: bytes, count: int) -> bytes:
    """``pdf`` with ``count`` empty signature fields added: small, and quadratic to analyse."""
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    for number in range(count):
        fields.append_signature_field(
            writer, fields.SigFieldSpec(f"ChuKy{number}", box=(10, 10, 20, 20))
        )
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def analysis_children() -> list[int]:
    """Process ids of this process's children running the PDF analysis (zombies included)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            cmdline = (entry / "cmdline").read_bytes()
        except OSError:
            continue
        parent = int(stat.rsplit(")", 1)[1].split()[1])
        if parent == os.getpid() and b"pdf_analysis" in cmdline:
            found.append(int(entry.name))
    return found


def test_a_pdf_with_a_thousand_signature_fields_is_refused_as_too_complex_at_once(
    client, world, settings
):
    hostile = with_signature_fields(blank_pdf(), 1000)
    assert len(hostile) < 1024 * 1024
    started = time.monotonic()
    response = upload(client, world.signatory, hostile)
    assert time.monotonic() - started < 10
    assert error_codes(response) == ["too_complex"]
    message = vi(
        "The PDF has more than %(limit)s signature fields: it is too complex to check here."
    ) % {"limit": settings.PDF_VERIFY_MAX_SIGNATURE_FIELDS}
    assert message in response.content.decode()
    assert "checked" not in response.context


def with_fields_in_an_object_stream(pdf: bytes, count: int) -> bytes:
    """``pdf`` with ``count`` signature fields inside a compressed object stream."""
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    stream = writer.prepare_object_stream()
    acroform = writer.root["/AcroForm"]
    for number in range(count):
        field = generic.DictionaryObject(
            {
                generic.NameObject("/FT"): generic.NameObject("/Sig"),
                generic.NameObject("/T"): generic.TextStringObject(f"An{number}"),
            }
        )
        acroform["/Fields"].append(writer.add_object(field, obj_stream=stream))
    writer.update_container(acroform)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_signature_fields_hidden_from_the_byte_scan_are_counted_by_the_analysis(
    client, world, issued_bytes, settings
):
    settings.PDF_VERIFY_MAX_SIGNATURE_FIELDS = 3
    hidden = with_fields_in_an_object_stream(issued_bytes, 5)
    assert len(SIG_FIELD.findall(hidden)) <= 3  # the web worker's scan does not see them
    response = upload(client, world.signatory, hidden)
    assert error_codes(response) == ["too_complex"]
    assert "checked" not in response.context


def test_a_pdf_whose_analysis_outlasts_the_timeout_is_stopped_with_a_clear_message(
    client, world, issued_bytes, settings
):
    settings.PDF_VERIFY_TIMEOUT_SECONDS = 0.01
    response = upload(client, world.signatory, issued_bytes)
    assert error_codes(response) == ["timeout"]
    message = vi(
        "Checking the PDF took longer than %(seconds)s seconds and was stopped: it is too "
        "complex to check here."
    ) % {"seconds": 0.01}
    assert message in response.content.decode()
    assert "checked" not in response.context


def test_the_analysis_child_is_gone_after_a_timeout(client, world, issued_bytes, settings):
    settings.PDF_VERIFY_TIMEOUT_SECONDS = 0.01
    upload(client, world.signatory, issued_bytes)
    assert analysis_children() == []


def test_an_analysis_over_the_memory_limit_is_refused_as_too_complex(
    client, world, issued_bytes, settings
):
    settings.PDF_VERIFY_MEMORY_MB = 32  # the child cannot even load pyHanko
    response = upload(client, world.signatory, issued_bytes)
    assert error_codes(response) == ["too_complex"]
    assert analysis_children() == []


def test_the_verification_after_the_limit_in_the_window_is_refused(client, world, settings):
    settings.PDF_VERIFY_RATE_LIMIT = 2
    for _ in range(2):
        assert upload(client, world.signatory, blank_pdf()).context.get("checked")
    response = upload(client, world.signatory, blank_pdf())
    assert error_codes(response) == ["throttled"]
    assert "checked" not in response.context
    message = vi(
        "You have checked %(limit)s PDFs in the last %(minutes)s minutes: please wait a few "
        "minutes and try again."
    ) % {"limit": 2, "minutes": settings.PDF_VERIFY_RATE_WINDOW_MINUTES}
    assert message in response.content.decode()
    assert PdfVerificationAttempt.objects.filter(user=world.signatory).count() == 2


def test_one_user_over_the_limit_does_not_throttle_another(client, world, settings):
    settings.PDF_VERIFY_RATE_LIMIT = 2
    for _ in range(3):
        upload(client, world.signatory, blank_pdf())
    response = upload(client, world.staff, blank_pdf())
    assert response.context.get("checked")
    assert error_codes(response) == []


def test_the_throttle_window_passes(client, world, settings):
    settings.PDF_VERIFY_RATE_LIMIT = 1
    upload(client, world.signatory, blank_pdf())
    later = timezone.now() + datetime.timedelta(
        minutes=settings.PDF_VERIFY_RATE_WINDOW_MINUTES, seconds=1
    )
    with mock.patch("django.utils.timezone.now", return_value=later):
        response = upload(client, world.signatory, blank_pdf())
    assert response.context.get("checked")
    assert PdfVerificationAttempt.objects.filter(user=world.signatory).count() == 1


def test_a_verification_logs_one_summary_line_and_no_pdf_library_warnings(
    client, world, issued_bytes, caplog
):
    with caplog.at_level(logging.DEBUG):
        upload(client, world.signatory, with_damaged_xref_stream(issued_bytes))
    assert not [r for r in caplog.records if r.name.split(".")[0] in {"pyhanko", "pypdf"}]
    summaries = [r for r in caplog.records if r.getMessage().startswith("PDF verification:")]
    assert len(summaries) == 1
    assert "outcome=unreadable" in summaries[0].getMessage()


# Trust in other signers' certificates (issue 11, item 14)

HUNG_YEN = "Sở Nội vụ tỉnh Hưng Yên"


def _name(common_name: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
            x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
        ]
    )


def _certificate(subject, issuer, public_key, issuer_key, *, ca=False, days=(-1, 365), crl_url=""):
    now = datetime.datetime.now(datetime.UTC)
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer)
        .public_key(public_key)
        .serial_number(x509.random_serial_number())
        .not_valid_before(now + datetime.timedelta(days=days[0]))
        .not_valid_after(now + datetime.timedelta(days=days[1]))
        .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
    )
    # A CA signs certificates; a signer's certificate is for signing documents (non-repudiation).
    builder = builder.add_extension(
        x509.KeyUsage(
            digital_signature=not ca,
            content_commitment=not ca,
            key_encipherment=False,
            data_encipherment=False,
            key_agreement=False,
            key_cert_sign=ca,
            crl_sign=ca,
            encipher_only=False,
            decipher_only=False,
        ),
        critical=True,
    )
    if crl_url:
        builder = builder.add_extension(
            x509.CRLDistributionPoints(
                [
                    x509.DistributionPoint(
                        full_name=[x509.UniformResourceIdentifier(crl_url)],
                        relative_name=None,
                        reasons=None,
                        crl_issuer=None,
                    )
                ]
            ),
            critical=False,
        )
    return builder.sign(issuer_key, hashes.SHA256())


@dataclass
class Identity:
    key: rsa.RSAPrivateKey
    certificate: x509.Certificate
    chain: list


def _key():
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


@pytest.fixture(scope="module")
def trusted_root() -> Identity:
    """A test certification authority, standing for the government CA."""
    key = _key()
    name = _name("CA thử nghiệm Chính phủ")
    return Identity(key, _certificate(name, name, key.public_key(), key, ca=True), [])


def issued_by(root: Identity, common_name: str, *, days=(-1, 365), crl_url="") -> Identity:
    key = _key()
    certificate = _certificate(
        _name(common_name),
        root.certificate.subject,
        key.public_key(),
        root.key,
        days=days,
        crl_url=crl_url,
    )
    return Identity(key, certificate, [root.certificate])


def self_signed(common_name: str) -> Identity:
    key = _key()
    name = _name(common_name)
    return Identity(key, _certificate(name, name, key.public_key(), key), [])


def signed_by(pdf: bytes, identity: Identity, field_name: str = "ChuKySo") -> bytes:
    """``pdf`` signed (PAdES, incremental update) by ``identity``."""
    der = serialization.Encoding.DER
    certificate = asn1_x509.Certificate.load(identity.certificate.public_bytes(der))
    chain = [asn1_x509.Certificate.load(c.public_bytes(der)) for c in identity.chain]
    signer = signers.SimpleSigner(
        signing_cert=certificate,
        signing_key=asn1_keys.PrivateKeyInfo.load(
            identity.key.private_bytes(
                der, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
            )
        ),
        cert_registry=SimpleCertificateStore.from_certs([certificate, *chain]),
    )
    metadata = signers.PdfSignatureMetadata(
        field_name=field_name, md_algorithm="sha256", subfilter=fields.SigSeedSubFilter.PADES
    )
    return off_event_loop(
        lambda: signers.sign_pdf(
            IncrementalPdfFileWriter(io.BytesIO(pdf)), metadata, signer=signer
        ).getvalue()
    )


@pytest.fixture
def trusted_roots(settings, tmp_path, trusted_root):
    """The operator trusts the test CA (a PEM file)."""
    path = tmp_path / "ca-chinh-phu.pem"
    path.write_bytes(trusted_root.certificate.public_bytes(serialization.Encoding.PEM))
    settings.PDF_VERIFY_TRUST_ROOTS = str(path)
    return path


def only_signature(response):
    (signature,) = response.context["report"].signatures
    return signature


def test_a_signature_chaining_to_a_configured_root_is_reported_trusted(
    client, world, trusted_root, trusted_roots
):
    signed = signed_by(blank_pdf(), issued_by(trusted_root, "Nguyễn Tất Sáng"))
    response = upload(client, world.signatory, signed)
    assert only_signature(response).trust == "trusted"
    page = response.content.decode()
    assert vi("Trusted certificate") in page
    assert vi("unverified name") not in page


def test_a_root_in_a_folder_of_certificates_is_trusted(
    client, world, trusted_root, settings, tmp_path
):
    folder = tmp_path / "roots"
    folder.mkdir()
    (folder / "ca.cer").write_bytes(
        trusted_root.certificate.public_bytes(serialization.Encoding.DER)
    )
    settings.PDF_VERIFY_TRUST_ROOTS = str(folder)
    signed = signed_by(blank_pdf(), issued_by(trusted_root, "Nguyễn Tất Sáng"))
    assert only_signature(upload(client, world.signatory, signed)).trust == "trusted"


def test_a_self_signed_certificate_naming_a_department_is_prominently_not_trusted(
    client, world, trusted_roots
):
    forged = signed_by(blank_pdf(), self_signed(HUNG_YEN))
    response = upload(client, world.signatory, forged)
    signature = only_signature(response)
    assert signature.trust == "untrusted" and signature.trust_detail == "self_signed"
    page = response.content.decode()
    assert 'id="untrusted-warning"' in page
    assert vi("At least one signature was made with a certificate that is not trusted.") in page
    assert vi("Not trusted") in page
    assert f"“{escape(signature.name)}”" in page
    assert vi("unverified name") in page


def test_the_forged_signature_is_still_reported_intact_separately(client, world, trusted_roots):
    forged = signed_by(blank_pdf(), self_signed(HUNG_YEN))
    response = upload(client, world.signatory, forged)
    assert only_signature(response).unmodified
    assert vi("Intact: not modified after signing") in response.content.decode()


def test_without_configured_roots_no_other_signature_is_trusted(client, world, trusted_root):
    signed = signed_by(blank_pdf(), issued_by(trusted_root, "Nguyễn Tất Sáng"))
    signature = only_signature(upload(client, world.signatory, signed))
    assert signature.trust == "untrusted" and signature.trust_detail == "unknown_issuer"


def test_an_expired_certificate_is_reported_expired(client, world, trusted_root, trusted_roots):
    expired = issued_by(trusted_root, "Trần Văn Hết Hạn", days=(-400, -1))
    response = upload(client, world.signatory, signed_by(blank_pdf(), expired))
    assert only_signature(response).trust == "expired"
    page = response.content.decode()
    assert vi("Not trusted: certificate expired or not yet valid") in page
    assert vi("unverified name") in page


def test_the_portal_seal_is_still_recognised_with_roots_configured(
    client, world, issued, issued_bytes, trusted_roots
):
    signature = only_signature(upload(client, world.signatory, issued_bytes))
    assert signature.by_this_portal and signature.trusted


# A copy countersigned after issue (issue 11, item 15)


@pytest.fixture
def countersigned(issued_bytes, trusted_root, trusted_roots) -> bytes:
    """The issued PDF, then signed by a member's director (an incremental update)."""
    return signed_by(issued_bytes, issued_by(trusted_root, "Lê Văn Ký Sau"), "ChuKyThanhVien")


def test_a_countersigned_copy_is_recognised_as_the_issued_covenant(
    client, world, issued, countersigned
):
    response = upload(client, world.signatory, countersigned)
    found = response.context["found"]
    assert found.document == issued and not found.exact
    page = response.content.decode()
    assert str(issued.identifier) in page
    assert (
        vi(
            "This file contains the document issued by the portal, with additions made after "
            "it was issued."
        )
        in page
    )


def test_a_countersigned_copy_lists_the_signature_added_and_its_signer(
    client, world, issued, countersigned
):
    response = upload(client, world.signatory, countersigned)
    (added,) = response.context["found"].added
    assert "Lê Văn Ký Sau" in added.signer
    assert added.trust == "trusted" and added.unmodified
    section = response.content.decode().split('id="issued-within"')[1].split("</div>")[0]
    assert vi("Signatures added after issue") in section
    assert "Lê Văn Ký Sau" in section
    assert vi("Trusted certificate") in section


def test_a_countersigned_copy_says_what_changed_after_the_seal(
    client, world, issued, countersigned
):
    response = upload(client, world.signatory, countersigned)
    assert response.context["found"].seal.modification_level == "FORM_FILLING"
    assert vi("form filling and further signatures") in response.content.decode()


def test_a_countersigned_copy_is_not_recognised_by_a_user_who_may_not_see_the_covenant(
    client, world, issued, countersigned
):
    response = upload(client, world.outsider, countersigned)
    assert response.context["match"] is None
    assert str(issued.identifier) not in response.content.decode()


def test_a_countersigned_tampered_copy_is_not_recognised(
    client, world, issued, issued_bytes, trusted_root, trusted_roots
):
    tampered = signed_by(
        with_one_byte_changed(issued_bytes), issued_by(trusted_root, "Lê Văn Ký Sau")
    )
    response = upload(client, world.signatory, tampered)
    assert response.context["match"] is None


def test_a_long_run_of_digits_does_not_stall_the_byte_scan(client, world):
    hostile = b"%PDF-1.7\n" + b"1" * 60_000 + b" 0 obj\n"
    started = time.monotonic()
    response = upload(client, world.signatory, hostile)
    assert time.monotonic() - started < 10
    assert error_codes(response) == ["unreadable"]


def test_a_pdf_over_the_page_limit_is_refused_naming_the_limit(client, world, settings):
    settings.PDF_VERIFY_MAX_PAGES = 2
    writer = pypdf.PdfWriter()
    for _ in range(3):
        writer.add_blank_page(width=595.28, height=841.89)
    out = io.BytesIO()
    writer.write(out)
    response = upload(client, world.signatory, out.getvalue())
    assert error_codes(response) == ["too_complex"]
    message = vi("The PDF has more than %(limit)s pages: it is too complex to check here.")
    assert message % {"limit": 2} in response.content.decode()


def test_a_pdf_over_the_revision_limit_is_refused_naming_the_limit(
    client, world, issued_bytes, settings
):
    settings.PDF_VERIFY_MAX_REVISIONS = 1
    response = upload(client, world.signatory, with_incremental_update(issued_bytes))
    assert error_codes(response) == ["too_complex"]
    message = vi(
        "The PDF has more than %(limit)s revisions (incremental updates): it is too complex "
        "to check here."
    )
    assert message % {"limit": 1} in response.content.decode()


def test_a_pdf_over_the_object_limit_is_refused_naming_the_limit(client, world, settings):
    settings.PDF_VERIFY_MAX_OBJECTS = 2
    response = upload(client, world.signatory, blank_pdf())
    assert error_codes(response) == ["too_complex"]
    message = vi("The PDF has more than %(limit)s objects: it is too complex to check here.")
    assert message % {"limit": 2} in response.content.decode()


@pytest.fixture
def crl_server(trusted_root):
    """A CRL distribution point on this machine; ``revoke`` adds a certificate to its list."""
    revoked: list[int] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            now = datetime.datetime.now(datetime.UTC)
            builder = (
                x509.CertificateRevocationListBuilder()
                .issuer_name(trusted_root.certificate.subject)
                .last_update(now - datetime.timedelta(hours=1))
                .next_update(now + datetime.timedelta(days=1))
            )
            for serial in revoked:
                builder = builder.add_revoked_certificate(
                    x509.RevokedCertificateBuilder()
                    .serial_number(serial)
                    .revocation_date(now - datetime.timedelta(minutes=30))
                    .build()
                )
            body = builder.sign(trusted_root.key, hashes.SHA256()).public_bytes(
                serialization.Encoding.DER
            )
            self.send_response(200)
            self.send_header("Content-Type", "application/pkix-crl")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    server.url = f"http://127.0.0.1:{server.server_address[1]}/ca.crl"
    server.revoke = revoked.append
    yield server
    server.shutdown()
    server.server_close()


def test_a_revoked_certificate_is_reported_revoked_when_revocation_is_fetched(
    client, world, trusted_root, trusted_roots, crl_server, settings
):
    settings.PDF_VERIFY_FETCH_REVOCATION = True
    signer = issued_by(trusted_root, "Phạm Văn Bị Thu Hồi", crl_url=crl_server.url)
    crl_server.revoke(signer.certificate.serial_number)
    response = upload(client, world.signatory, signed_by(blank_pdf(), signer))
    assert only_signature(response).trust == "revoked"
    page = response.content.decode()
    assert vi("Not trusted: certificate revoked") in page
    assert vi("unverified name") in page


def test_a_certificate_not_on_the_fetched_list_is_trusted(
    client, world, trusted_root, trusted_roots, crl_server, settings
):
    settings.PDF_VERIFY_FETCH_REVOCATION = True
    signer = issued_by(trusted_root, "Nguyễn Tất Sáng", crl_url=crl_server.url)
    response = upload(client, world.signatory, signed_by(blank_pdf(), signer))
    signature = only_signature(response)
    assert (signature.trust, signature.trust_detail) == ("trusted", "")


def test_an_unreachable_revocation_server_leaves_revocation_unknown(
    client, world, trusted_root, trusted_roots, settings
):
    settings.PDF_VERIFY_FETCH_REVOCATION = True
    signer = issued_by(trusted_root, "Nguyễn Tất Sáng", crl_url="http://127.0.0.1:9/ca.crl")
    response = upload(client, world.signatory, signed_by(blank_pdf(), signer))
    assert only_signature(response).trust == "revocation_unknown"
    assert vi("Revocation status unknown") in response.content.decode()


def test_without_fetching_revocation_a_trusted_certificate_says_it_was_not_checked(
    client, world, trusted_root, trusted_roots, crl_server
):
    signer = issued_by(trusted_root, "Nguyễn Tất Sáng", crl_url=crl_server.url)
    crl_server.revoke(signer.certificate.serial_number)
    response = upload(client, world.signatory, signed_by(blank_pdf(), signer))
    signature = only_signature(response)
    assert (signature.trust, signature.trust_detail) == ("trusted", "revocation_not_checked")
    assert vi("revocation not checked (no network access)") in response.content.decode()


# Plain words: a tampered file, the certificate's subject, the portal's drafts

TAMPERED_ALERT = re.compile(
    r'<div class="alert alert-danger verify-tampered" role="alert" id="tampered">\s*'
    r'<h3 class="alert-heading h4">(.*?)</h3>',
    re.S,
)


def test_a_tampered_copy_is_shown_as_a_red_alert_with_a_plain_heading(
    client, world, issued, issued_bytes
):
    page = upload(client, world.signatory, with_one_byte_changed(issued_bytes)).content.decode()
    heading = TAMPERED_ALERT.search(page)
    assert heading is not None and heading.group(1) == vi("This PDF has been altered")


def test_the_tampered_alert_comes_before_everything_else_in_the_result(
    client, world, issued, issued_bytes
):
    page = upload(client, world.signatory, with_one_byte_changed(issued_bytes)).content.decode()
    result = page[page.index('id="result-heading"') :]
    assert result.index('id="tampered"') < result.index('class="alert alert-warning"')


def test_the_issued_pdf_shows_no_tampered_alert(client, world, issued, issued_bytes):
    page = upload(client, world.signatory, issued_bytes).content.decode()
    assert 'id="tampered"' not in page


def test_content_added_after_the_seal_is_not_called_altered(client, world, issued, issued_bytes):
    page = upload(client, world.signatory, with_incremental_update(issued_bytes)).content.decode()
    assert 'id="tampered"' not in page


def test_the_certificate_subject_is_shown_under_vietnamese_labels(client, world, tmp_path):
    make_pkcs12(tmp_path / "member.p12", "Nguyễn Tất Sáng")
    response = upload(
        client, world.signatory, signed_elsewhere(blank_pdf(), tmp_path / "member.p12")
    )
    page = response.content.decode()
    subject = page[page.index('<dl class="certificate-subject') :]
    subject = subject[: subject.index("</dl>")]
    labels = re.findall(r"<dt[^>]*>(.*?):</dt><dd[^>]*>(.*?)</dd>", subject)
    assert labels == [
        ("Tên", "Nguyễn Tất Sáng"),
        ("Tổ chức", "Sở Nội vụ thành phố Hà Nội"),
        ("Quốc gia", "VN"),
    ]
    assert "Common Name" not in page and "Organization" not in page


def test_the_signer_is_named_by_the_certificate_common_name(client, world, tmp_path):
    make_pkcs12(tmp_path / "member.p12", "Nguyễn Tất Sáng")
    response = upload(
        client, world.signatory, signed_elsewhere(blank_pdf(), tmp_path / "member.p12")
    )
    (signature,) = response.context["report"].signatures
    assert signature.name == "Nguyễn Tất Sáng"


def test_the_portal_seal_subject_is_shown_under_vietnamese_labels(
    client, world, issued, issued_bytes
):
    page = upload(client, world.signatory, issued_bytes).content.decode()
    labels = dict(re.findall(r"<dt[^>]*>(.*?):</dt><dd[^>]*>(.*?)</dd>", page))
    assert labels["Tên"] == escape(DEMO_SUBJECT)
    assert labels["Đơn vị"] == escape(DEMO_UNIT)


def test_a_draft_downloaded_from_the_portal_is_recognised_as_a_draft(client, world, covenant):
    draft = body(download(client, world.signatory))
    response = upload(client, world.signatory, draft)
    page = response.content.decode()
    assert response.context["report"].draft
    assert f'<h3 class="alert-heading h5">{vi("This is a draft made by the portal")}</h3>' in page
    assert (
        vi("No document issued by this portal (that you may see) has exactly these bytes.")
        not in page
    )


def test_a_pdf_without_the_draft_mark_is_not_called_a_draft(client, world):
    response = upload(client, world.signatory, blank_pdf())
    assert not response.context["report"].draft
    assert 'id="draft"' not in response.content.decode()


def test_the_issued_document_is_not_called_a_draft(client, world, issued, issued_bytes):
    assert not upload(client, world.signatory, issued_bytes).context["report"].draft
