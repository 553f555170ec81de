"""The demo seal's key is stored encrypted: a copy of the database (or a backup) alone does
not give it away. Keys stored in clear by earlier releases are encrypted on first use and
keep sealing with the same certificate.
"""

import datetime
import importlib

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID
from django.apps import apps as django_apps

from cluster_portal.models import SealKey
from cluster_portal.seal import (
    DEMO_SUBJECT,
    SealKeyUnreadable,
    _earlier_seal_certificates,
    encrypt_stored_seal_key,
    portal_seal,
    seal_key_passphrase,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_seal():
    portal_seal.cache_clear()
    yield
    portal_seal.cache_clear()


def stored() -> bytes:
    return bytes(SealKey.objects.get(pk=1).pkcs12)


def readable_without_passphrase(data: bytes) -> bool:
    try:
        pkcs12.load_key_and_certificates(data, None)
    except ValueError:
        return False
    return True


@pytest.fixture
def key_stored_in_clear(db) -> x509.Certificate:
    """A demo key as earlier releases stored it: PKCS#12 without a passphrase."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, DEMO_SUBJECT)])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=365))
        .sign(key, hashes.SHA256())
    )
    data = pkcs12.serialize_key_and_certificates(
        b"demo-seal", key, certificate, None, serialization.NoEncryption()
    )
    SealKey.objects.create(pk=1, pkcs12=data, subject=DEMO_SUBJECT)
    return certificate


def test_a_new_demo_seal_key_is_stored_encrypted(db):
    portal_seal()
    assert not readable_without_passphrase(stored())
    pkcs12.load_key_and_certificates(stored(), seal_key_passphrase())


def test_a_key_stored_in_clear_is_encrypted_on_first_use(key_stored_in_clear):
    portal_seal()
    assert not readable_without_passphrase(stored())


def test_a_key_stored_in_clear_keeps_its_certificate_once_encrypted(key_stored_in_clear):
    seal = portal_seal()
    der = key_stored_in_clear.public_bytes(serialization.Encoding.DER)
    assert seal.certificate.dump() == der


def test_the_encrypted_key_is_used_again_after_a_restart(key_stored_in_clear):
    first = portal_seal()
    portal_seal.cache_clear()
    assert portal_seal().certificate.dump() == first.certificate.dump()


def test_the_passphrase_comes_from_seal_key_passphrase_when_set(db, settings):
    settings.SEAL_KEY_PASSPHRASE = "cụm từ bí mật của khóa dấu"
    seal = portal_seal()
    _key, certificate, _extra = pkcs12.load_key_and_certificates(
        stored(), "cụm từ bí mật của khóa dấu".encode()
    )
    assert certificate.public_bytes(serialization.Encoding.DER) == seal.certificate.dump()
    assert not readable_without_passphrase(stored())


def test_a_stored_key_with_another_passphrase_is_refused_with_a_clear_error(db, settings):
    settings.SEAL_KEY_PASSPHRASE = "khóa của máy chủ cũ"
    portal_seal()
    portal_seal.cache_clear()
    settings.SEAL_KEY_PASSPHRASE = "khóa của một máy chủ khác"
    with pytest.raises(SealKeyUnreadable, match="SEAL_KEY_PASSPHRASE"):
        portal_seal()


def test_an_already_encrypted_key_is_left_as_it_is(db):
    portal_seal()
    assert encrypt_stored_seal_key(stored()) is None


def test_the_migration_encrypts_a_key_stored_in_clear(key_stored_in_clear):
    migration = importlib.import_module("cluster_portal.migrations.0003_encrypt_seal_key")
    migration.encrypt_seal_key(django_apps, None)
    assert not readable_without_passphrase(stored())
    portal_seal()  # and the portal still reads it


def test_an_old_demo_key_that_cannot_be_decrypted_is_left_out_of_verification(db, settings):
    settings.SEAL_KEY_PASSPHRASE = "khóa của máy chủ cũ"
    portal_seal()
    settings.SEAL_KEY_PASSPHRASE = "khóa của một máy chủ khác"
    assert _earlier_seal_certificates() == []
