"""Sealing issued PDFs (PAdES, pyHanko); verifying uploads is in ``cluster_portal.pdf_verify``.

The seal certificate comes from the environment: PORTAL_SEAL_PKCS12 (path to a PKCS#12
file) and PORTAL_SEAL_PASSPHRASE. Without them the portal generates a self-signed *demo*
seal once, keeps it in the database encrypted with SEAL_KEY_PASSPHRASE (or a passphrase
derived from SECRET_KEY), and says so in the seal's name and reason.
"""

import asyncio
import datetime
import hashlib
import hmac
import io
import logging
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import cache

from asn1crypto import keys as asn1_keys
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import IntegrityError, transaction

from cluster_portal.models import SealKey

logger = logging.getLogger(__name__)

DEMO_SUBJECT = "DẤU DEMO - Cổng thông tin Cụm thi đua"
DEMO_UNIT = "Không có giá trị pháp lý"
SEAL_FIELD = "PortalSeal"


@dataclass(frozen=True)
class Seal:
    signer: object  # pyhanko SimpleSigner
    certificate: asn1_x509.Certificate
    subject: str
    is_demo: bool


# The stored demo key is encrypted with a passphrase from the environment, so that the
# database and its backups alone do not give the key away.
SEAL_KEY_DERIVATION_LABEL = b"cluster-portal/demo-seal-pkcs12/v1"


class SealKeyUnreadable(ImproperlyConfigured):
    """The stored demo seal key cannot be decrypted with this server's passphrase."""


def seal_key_passphrase() -> bytes:
    """SEAL_KEY_PASSPHRASE, or, when it is not set, a passphrase derived from SECRET_KEY
    under its own label (useless for anything else, and SECRET_KEY cannot be recovered)."""
    configured = getattr(settings, "SEAL_KEY_PASSPHRASE", "")
    if configured:
        return configured.encode("utf-8")
    return (
        hmac.new(settings.SECRET_KEY.encode("utf-8"), SEAL_KEY_DERIVATION_LABEL, hashlib.sha256)
        .hexdigest()
        .encode("ascii")
    )


def _encrypted_pkcs12(key, certificate, passphrase: bytes) -> bytes:
    return pkcs12.serialize_key_and_certificates(
        b"demo-seal", key, certificate, None, serialization.BestAvailableEncryption(passphrase)
    )


def encrypt_stored_seal_key(data: bytes) -> bytes | None:
    """A stored PKCS#12 saved without a passphrase (before keys were encrypted), encrypted
    with this server's passphrase; None when it is already encrypted."""
    try:
        key, certificate, _extra = pkcs12.load_key_and_certificates(data, None)
    except ValueError:
        return None
    return _encrypted_pkcs12(key, certificate, seal_key_passphrase())


def _stored_seal_key(row: SealKey) -> tuple[bytes, bytes]:
    """The row's PKCS#12 and its passphrase; an unencrypted row is encrypted on the way."""
    data, passphrase = bytes(row.pkcs12), seal_key_passphrase()
    encrypted = encrypt_stored_seal_key(data)
    if encrypted is not None:
        SealKey.objects.filter(pk=row.pk).update(pkcs12=encrypted)
        return encrypted, passphrase
    try:
        pkcs12.load_key_and_certificates(data, passphrase)
    except ValueError as exc:
        raise SealKeyUnreadable(
            "The demo seal key stored in the database cannot be decrypted: "
            "SEAL_KEY_PASSPHRASE (or, without it, SECRET_KEY) is not the one it was stored "
            "with. Set the original value (see README, Backup and restore)."
        ) from exc
    return data, passphrase


def _demo_pkcs12() -> tuple[bytes, bytes]:
    """The demo seal's PKCS#12 and its passphrase, created once whichever process asks first."""
    existing = SealKey.objects.filter(pk=1).first()
    if existing is not None:
        return _stored_seal_key(existing)
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COMMON_NAME, DEMO_SUBJECT),
            x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, DEMO_UNIT),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "DEMO"),
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
        .not_valid_after(now + datetime.timedelta(days=3650))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .sign(key, hashes.SHA256())
    )
    data = _encrypted_pkcs12(key, certificate, seal_key_passphrase())
    try:
        with transaction.atomic():
            SealKey.objects.create(pk=1, pkcs12=data, subject=DEMO_SUBJECT)
    except IntegrityError:
        pass  # another process created it first: use theirs
    return _stored_seal_key(SealKey.objects.get(pk=1))


@cache
def portal_seal() -> Seal:
    """The portal's seal, loaded once per process."""
    from pyhanko.sign import signers
    from pyhanko_certvalidator.registry import SimpleCertificateStore

    path = getattr(settings, "PORTAL_SEAL_PKCS12", "")
    if path:
        with open(path, "rb") as handle:
            data = handle.read()
        passphrase = settings.PORTAL_SEAL_PASSPHRASE.encode() or None
        is_demo = False
    else:
        (data, passphrase), is_demo = _demo_pkcs12(), True
    key, certificate, extra = pkcs12.load_key_and_certificates(data, passphrase)
    der = serialization.Encoding.DER
    cert = asn1_x509.Certificate.load(certificate.public_bytes(der))
    chain = [asn1_x509.Certificate.load(c.public_bytes(der)) for c in extra or []]
    signer = signers.SimpleSigner(
        signing_cert=cert,
        signing_key=asn1_keys.PrivateKeyInfo.load(
            key.private_bytes(der, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
        ),
        cert_registry=SimpleCertificateStore.from_certs([cert, *chain]),
    )
    subject = cert.subject.native.get("common_name", cert.subject.human_friendly)
    return Seal(signer=signer, certificate=cert, subject=subject, is_demo=is_demo)


def signer_is_demo(subject: str) -> bool:
    return DEMO_SUBJECT in subject


def seal_pdf(pdf: bytes, *, reason: str) -> bytes:
    """Return ``pdf`` with the portal's PAdES seal over the whole file."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers

    seal = portal_seal()
    if seal.is_demo:
        reason = f"{reason} [DEMO – không có giá trị pháp lý]"
    metadata = signers.PdfSignatureMetadata(
        field_name=SEAL_FIELD,
        reason=reason,
        location="Việt Nam",
        name=seal.subject,
        md_algorithm="sha256",
        subfilter=fields.SigSeedSubFilter.PADES,
    )

    def sign() -> bytes:
        writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
        return signers.sign_pdf(writer, metadata, signer=seal.signer).getvalue()

    return off_event_loop(sign)


def off_event_loop(func):
    """``func()``, in a worker thread if this thread already runs an event loop.

    pyHanko's synchronous API (signing, validating) runs its own event loop with
    ``asyncio.run``, which refuses to start inside a running one (an async server, the
    browser tests' driver)."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return func()
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(func).result()


def _earlier_seal_certificates() -> list[bytes]:
    """DER of the demo seal kept in the database, so PDFs sealed with it before a real seal
    certificate was configured are still recognised."""
    row = SealKey.objects.filter(pk=1).first()
    if row is None:
        return []
    try:
        _key, certificate, _extra = pkcs12.load_key_and_certificates(*_stored_seal_key(row))
    except SealKeyUnreadable:
        # With a configured seal the old demo key is only a hint: verify without it.
        logger.warning("The stored demo seal key cannot be decrypted (SEAL_KEY_PASSPHRASE).")
        return []
    return [certificate.public_bytes(serialization.Encoding.DER)]
