"""The portal's PAdES seal on issued PDFs (pyHanko), and ``inspect_pdf`` on what users upload.

One covenant is issued for the whole module (inside a transaction that is rolled back) and
its bytes are shared; the demo seal that signed it stays in the database until the module
ends, so every test checks against the same seal whatever the cache holds.
"""

import datetime
import hashlib
import io

import pypdf
import pytest
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID
from django.db import transaction
from django.test import override_settings
from django.utils import timezone
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields, signers
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext

from agreements import services
from cluster_portal.models import SealKey
from cluster_portal.pdf_verify import EncryptedPdf, UnreadablePdf, inspect_pdf
from cluster_portal.seal import off_event_loop, portal_seal
from tests.factories import ClusterFactory, UserFactory
from tests.helpers import (
    COMMITMENTS,
    allow_paper_recorder,
    cluster_year_with,
    department,
    paper_scan,
    refreshed,
)

pytestmark = pytest.mark.django_db


# Certificates and PDFs made by the tests


def make_pkcs12(path, common_name: str, passphrase: str = "") -> x509.Certificate:
    """A self-signed signing certificate and its key, written to ``path`` as PKCS#12."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Sở Nội vụ thành phố Hà Nội"),
            x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
        ]
    )
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=365))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    encryption = (
        serialization.BestAvailableEncryption(passphrase.encode())
        if passphrase
        else serialization.NoEncryption()
    )
    path.write_bytes(
        pkcs12.serialize_key_and_certificates(b"seal", key, certificate, None, encryption)
    )
    return certificate


def der(certificate: x509.Certificate) -> bytes:
    return certificate.public_bytes(serialization.Encoding.DER)


def blank_pdf() -> bytes:
    writer = pypdf.PdfWriter()
    writer.add_blank_page(width=595.28, height=841.89)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def signed_elsewhere(pdf: bytes, p12_path) -> bytes:
    """``pdf`` signed (PAdES) with someone else's certificate, as a member's own token would."""
    signer = signers.SimpleSigner.load_pkcs12(str(p12_path))
    metadata = signers.PdfSignatureMetadata(
        field_name="ChuKySo",
        md_algorithm="sha256",
        subfilter=fields.SigSeedSubFilter.PADES,
    )
    return off_event_loop(
        lambda: signers.sign_pdf(
            IncrementalPdfFileWriter(io.BytesIO(pdf)), metadata, signer=signer
        ).getvalue()
    )


def signed_range_end(pdf: bytes) -> int:
    """Where the first signed byte range ends (the signature's /Contents begins)."""
    signature = PdfFileReader(io.BytesIO(pdf)).embedded_signatures[0]
    return int(signature.sig_object["/ByteRange"][1])


def with_one_byte_changed(pdf: bytes) -> bytes:
    """``pdf`` with one byte changed inside a content stream covered by the signature."""
    offset = pdf.index(b"stream", len(pdf) // 3) + len(b"stream") + 40
    assert offset < signed_range_end(pdf)
    return pdf[:offset] + bytes([pdf[offset] ^ 0x01]) + pdf[offset + 1 :]


def with_damaged_xref_stream(pdf: bytes) -> bytes:
    """``pdf`` with one byte changed in the compressed cross-reference stream WeasyPrint wrote."""
    xref = pdf.index(b"/Type /XRef")
    offset = pdf.index(b"stream", xref) + len(b"stream\n") + 10
    return pdf[:offset] + bytes([pdf[offset] ^ 0xFF]) + pdf[offset + 1 :]


def with_incremental_update(pdf: bytes) -> bytes:
    """``pdf`` with metadata added in an incremental update after the seal (pypdf)."""
    writer = pypdf.PdfWriter(io.BytesIO(pdf), incremental=True)
    writer.add_metadata({"/Subject": "Đã sửa sau khi niêm phong"})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def complete_on_paper(covenant, *, by):
    """Record every member's paper original (no password checks): the covenant is fully signed."""
    allow_paper_recorder(covenant, by)
    for membership in covenant.cluster_year.memberships.select_related("department"):
        services.signature_record_paper(
            covenant=refreshed(covenant),
            department=membership.department,
            signer_name=membership.head_name or "Lãnh đạo Sở",
            signer_title="Giám đốc Sở Nội vụ",
            signed_at=timezone.now(),
            scan=paper_scan(),
            by=by,
        )
    return refreshed(covenant)


def validate(pdf: bytes, trust_root):
    """pyHanko's own verdict on the first signature, trusting only ``trust_root``."""
    signature = PdfFileReader(io.BytesIO(pdf)).embedded_signatures[0]
    return off_event_loop(
        lambda: validate_pdf_signature(
            signature, ValidationContext(trust_roots=[trust_root], allow_fetching=False)
        )
    )


# Fixtures


@pytest.fixture(scope="module")
def demo_seal(django_db_setup, django_db_blocker):
    """The demo seal, generated for this module and kept in the database until it ends."""
    portal_seal.cache_clear()
    with django_db_blocker.unblock():
        seal = portal_seal()
    yield seal
    with django_db_blocker.unblock():
        SealKey.objects.all().delete()
    portal_seal.cache_clear()


@pytest.fixture(autouse=True)
def _reload_seal_after_each_test():
    """A test may change the seal settings or the cache: the next one starts from the database."""
    yield
    portal_seal.cache_clear()


def _issue_small_covenant():
    hanoi = department("Hà Nội", "hanoi", "thành phố")
    haiphong = department("Hải Phòng", "haiphong", "thành phố")
    cluster = ClusterFactory(code="bac-bo", name="Cụm thi đua các tỉnh, thành Bắc Bộ")
    year = cluster_year_with(cluster, 2024, leader=hanoi, members=[haiphong])
    secretariat = UserFactory(department=hanoi)
    covenant = services.covenant_create(
        cluster_year=year,
        title="Giao ước thi đua năm 2024",
        deadline=timezone.now() + datetime.timedelta(days=30),
        commitments=COMMITMENTS,
        by=secretariat,
    )
    services.covenant_open_for_signing(covenant=covenant, by=secretariat)
    document = services.covenant_issue_document(
        covenant=complete_on_paper(covenant, by=secretariat)
    )
    with document.file.open("rb") as handle:
        return handle.read()


@pytest.fixture(scope="module")
def issued_pdf(demo_seal, django_db_blocker, tmp_path_factory) -> bytes:
    """The sealed bytes of an issued covenant (the rows that made it are rolled back)."""
    with (
        django_db_blocker.unblock(),
        override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("media")),
        transaction.atomic(),
    ):
        data = _issue_small_covenant()
        transaction.set_rollback(True)
    return data


@pytest.fixture
def completed(covenant, world):
    return complete_on_paper(covenant, by=world.secretariat)


@pytest.fixture
def configured_seal(settings, tmp_path):
    """A seal certificate configured from the environment (PKCS#12 file and passphrase)."""
    path = tmp_path / "seal.p12"
    certificate = make_pkcs12(path, "Cổng thông tin Cụm thi đua", passphrase="mat-khau-dau")
    settings.PORTAL_SEAL_PKCS12 = str(path)
    settings.PORTAL_SEAL_PASSPHRASE = "mat-khau-dau"
    portal_seal.cache_clear()
    yield certificate
    portal_seal.cache_clear()


# The seal, as pyHanko validates it


def test_the_issued_pdf_carries_one_signature(issued_pdf):
    assert len(PdfFileReader(io.BytesIO(issued_pdf)).embedded_signatures) == 1


def test_the_seal_is_a_pades_signature(issued_pdf):
    signature = PdfFileReader(io.BytesIO(issued_pdf)).embedded_signatures[0]
    assert signature.sig_object["/SubFilter"] == "/ETSI.CAdES.detached"


def test_the_seal_is_intact(issued_pdf, demo_seal):
    assert validate(issued_pdf, demo_seal.certificate).intact


def test_the_seal_is_cryptographically_valid(issued_pdf, demo_seal):
    assert validate(issued_pdf, demo_seal.certificate).valid


def test_the_seal_is_trusted_with_the_portal_certificate_as_root(issued_pdf, demo_seal):
    assert validate(issued_pdf, demo_seal.certificate).trusted


def test_the_seal_covers_the_entire_file(issued_pdf, demo_seal):
    status = validate(issued_pdf, demo_seal.certificate)
    assert status.coverage == SignatureCoverageLevel.ENTIRE_FILE


def test_the_seal_is_made_with_the_portal_certificate(issued_pdf, demo_seal):
    status = validate(issued_pdf, demo_seal.certificate)
    assert status.signing_cert.dump() == demo_seal.certificate.dump()


def test_the_seal_is_not_trusted_against_another_root(issued_pdf, tmp_path):
    other = make_pkcs12(tmp_path / "other.p12", "Một cơ quan khác")
    assert not validate(issued_pdf, asn1_x509.Certificate.load(der(other))).trusted


# The demo seal says what it is


def test_the_demo_seal_names_itself_demo(issued_pdf):
    signature = PdfFileReader(io.BytesIO(issued_pdf)).embedded_signatures[0]
    assert "DEMO" in str(signature.sig_object["/Name"])


def test_the_demo_seal_reason_says_demo_without_legal_value(issued_pdf):
    signature = PdfFileReader(io.BytesIO(issued_pdf)).embedded_signatures[0]
    reason = str(signature.sig_object["/Reason"])
    assert "DEMO" in reason and "không có giá trị pháp lý" in reason


def test_the_demo_certificate_says_demo_in_its_subject(demo_seal):
    assert "DEMO" in demo_seal.certificate.subject.human_friendly


def test_the_demo_seal_key_is_generated_once_and_reused():
    SealKey.objects.all().delete()
    portal_seal.cache_clear()
    first = portal_seal()
    portal_seal.cache_clear()
    second = portal_seal()
    assert SealKey.objects.count() == 1
    assert second.certificate.dump() == first.certificate.dump()


# A seal configured from the environment


def test_a_configured_pkcs12_seals_instead_of_the_demo_seal(configured_seal, completed):
    document = services.covenant_issue_document(covenant=completed)
    with document.file.open("rb") as handle:
        signature = PdfFileReader(handle).embedded_signatures[0]
        assert signature.signer_cert.dump() == der(configured_seal)


def test_a_configured_seal_does_not_say_demo(configured_seal, completed):
    document = services.covenant_issue_document(covenant=completed)
    with document.file.open("rb") as handle:
        signature = PdfFileReader(handle).embedded_signatures[0]
        assert "DEMO" not in f"{signature.sig_object['/Name']} {signature.sig_object['/Reason']}"


def test_a_configured_seal_is_recorded_as_the_document_sealer(configured_seal, completed):
    document = services.covenant_issue_document(covenant=completed)
    assert document.seal_subject == "Cổng thông tin Cụm thi đua"


def test_a_configured_seal_creates_no_demo_key(configured_seal):
    SealKey.objects.all().delete()
    assert portal_seal().is_demo is False
    assert SealKey.objects.count() == 0


# inspect_pdf: what the verification page is told


def test_inspect_reports_the_issued_pdf_as_sealed_by_this_portal(issued_pdf):
    (report,) = inspect_pdf(issued_pdf).signatures
    assert report.by_this_portal


def test_inspect_reports_the_issued_pdf_as_unmodified(issued_pdf):
    (report,) = inspect_pdf(issued_pdf).signatures
    assert report.unmodified and report.errors == []


def test_inspect_reports_the_demo_seal_as_a_demo(issued_pdf):
    (report,) = inspect_pdf(issued_pdf).signatures
    assert report.is_demo_seal


def test_inspect_gives_the_sha256_of_the_bytes(issued_pdf):
    assert inspect_pdf(issued_pdf).sha256 == hashlib.sha256(issued_pdf).hexdigest()


def test_inspect_reports_one_changed_byte_as_not_intact(issued_pdf):
    (report,) = inspect_pdf(with_one_byte_changed(issued_pdf)).signatures
    assert not report.intact and not report.unmodified


def test_inspect_does_not_credit_the_portal_for_a_changed_pdf(issued_pdf):
    (report,) = inspect_pdf(with_one_byte_changed(issued_pdf)).signatures
    assert not report.by_this_portal


def test_inspect_reports_an_incremental_update_as_not_covering_the_whole_file(issued_pdf):
    updated = with_incremental_update(issued_pdf)
    assert updated.startswith(issued_pdf)  # the sealed revision itself is untouched
    (report,) = inspect_pdf(updated).signatures
    assert report.intact and not report.covers_whole_file


def test_inspect_reports_an_incremental_update_as_modified(issued_pdf):
    (report,) = inspect_pdf(with_incremental_update(issued_pdf)).signatures
    assert not report.unmodified


def test_inspect_reports_a_pdf_signed_elsewhere_as_intact(tmp_path):
    make_pkcs12(tmp_path / "member.p12", "Nguyễn Tất Sáng")
    (report,) = inspect_pdf(signed_elsewhere(blank_pdf(), tmp_path / "member.p12")).signatures
    assert report.intact and report.covers_whole_file


def test_inspect_reports_a_pdf_signed_elsewhere_as_not_by_this_portal(tmp_path):
    make_pkcs12(tmp_path / "member.p12", "Nguyễn Tất Sáng")
    (report,) = inspect_pdf(signed_elsewhere(blank_pdf(), tmp_path / "member.p12")).signatures
    assert not report.by_this_portal and not report.is_demo_seal


def test_inspect_names_the_signer_of_a_pdf_signed_elsewhere(tmp_path):
    make_pkcs12(tmp_path / "member.p12", "Nguyễn Tất Sáng")
    (report,) = inspect_pdf(signed_elsewhere(blank_pdf(), tmp_path / "member.p12")).signatures
    assert "Nguyễn Tất Sáng" in report.signer


def test_inspect_reports_an_unsigned_pdf_with_no_signatures():
    assert inspect_pdf(blank_pdf()).signatures == []


def test_inspect_refuses_bytes_that_are_not_a_pdf():
    with pytest.raises(UnreadablePdf):
        inspect_pdf(b"\x89PNG\r\n\x1a\n" + bytes(64))


def test_inspect_refuses_a_truncated_pdf(issued_pdf):
    with pytest.raises(UnreadablePdf):
        inspect_pdf(issued_pdf[: len(issued_pdf) // 2])


def test_inspect_refuses_a_pdf_with_a_damaged_cross_reference_stream(issued_pdf):
    with pytest.raises(UnreadablePdf):
        inspect_pdf(with_damaged_xref_stream(issued_pdf))


def test_inspect_refuses_an_encrypted_pdf():
    writer = pypdf.PdfWriter(clone_from=pypdf.PdfReader(io.BytesIO(blank_pdf())))
    writer.encrypt(user_password="mat-khau", algorithm="AES-128")
    out = io.BytesIO()
    writer.write(out)
    with pytest.raises(EncryptedPdf):
        inspect_pdf(out.getvalue())
