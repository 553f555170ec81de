"""Verifying PDFs uploaded by users: intact? sealed by this portal? signed by whom, trusted?

The web worker only counts a few markers in the bytes (refusing a file over the limits at
once) and then hands the PDF to a child process (``cluster_portal.pdf_analysis``) with a
wall-clock timeout and memory and CPU limits: a hostile PDF can cost the child its life,
never a web worker more than ``PDF_VERIFY_TIMEOUT_SECONDS``.

Signatures made with the portal's own seal certificate are recognised as "sealed by this
portal"; every other signer's certificate is validated against the trust roots the operator
configures (``PDF_VERIFY_TRUST_ROOTS``), with revocation fetched only when
``PDF_VERIFY_FETCH_REVOCATION`` is on.
"""

import base64
import contextlib
import datetime
import hashlib
import json
import logging
import math
import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from django.conf import settings
from django.core import checks
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import pgettext_lazy

from cluster_portal import pdf_analysis
from cluster_portal.pdf_analysis import (
    EXPIRED,
    REVOCATION_UNKNOWN,
    REVOKED,
    TRUSTED,
    UNTRUSTED,
)
from cluster_portal.seal import _earlier_seal_certificates, portal_seal, signer_is_demo

__all__ = [
    "EXPIRED",
    "REVOCATION_UNKNOWN",
    "REVOKED",
    "TRUSTED",
    "UNTRUSTED",
    "EncryptedPdf",
    "PdfReport",
    "SignatureReport",
    "TooComplexPdf",
    "UnreadablePdf",
    "VerificationTimedOut",
    "inspect_pdf",
]

logger = logging.getLogger(__name__)


# The certificate subject's attributes under the names people use (asn1crypto's type
# names); an attribute not listed is shown under its own name.
SUBJECT_LABELS = {
    "common_name": pgettext_lazy("certificate subject", "Name"),
    "organization_name": pgettext_lazy("certificate subject", "Organisation"),
    "organizational_unit_name": pgettext_lazy("certificate subject", "Unit"),
    "locality_name": pgettext_lazy("certificate subject", "Locality"),
    "state_or_province_name": pgettext_lazy("certificate subject", "Province or state"),
    "country_name": pgettext_lazy("certificate subject", "Country"),
    "street_address": pgettext_lazy("certificate subject", "Address"),
    "title": pgettext_lazy("certificate subject", "Title"),
    "given_name": pgettext_lazy("certificate subject", "Given name"),
    "surname": pgettext_lazy("certificate subject", "Surname"),
    "email_address": pgettext_lazy("certificate subject", "E-mail"),
    "serial_number": pgettext_lazy("certificate subject", "Serial number"),
    "user_id": pgettext_lazy("certificate subject", "Identifier"),
    "organization_identifier": pgettext_lazy("certificate subject", "Organisation identifier"),
}


@dataclass
class SignatureReport:
    """One signature found in an uploaded PDF."""

    signer: str
    signed_at: datetime.datetime | None
    intact: bool  # the signed bytes are unchanged
    covers_whole_file: bool  # nothing was added after signing
    by_this_portal: bool
    is_demo_seal: bool
    trust: str = UNTRUSTED  # for signatures not by this portal: TRUSTED, EXPIRED, …
    trust_detail: str = ""  # "self_signed", "unknown_issuer", "revocation_not_checked"
    revision: int = 0  # the file revision the signature covers (0 = the first)
    covered_sha256: str = ""  # SHA-256 of that revision: the prefix of the file it signs
    modification_level: str = ""  # pyHanko's verdict on what was changed after it
    errors: list[str] = field(default_factory=list)
    subject: list[tuple[str, str]] = field(default_factory=list)  # (type, value), in order

    @property
    def name(self) -> str:
        """The signer's name: the subject's common name, else the whole subject."""
        for kind, value in self.subject:
            if kind == "common_name":
                return value
        return self.signer

    @property
    def subject_fields(self) -> list[tuple[str, str]]:
        """The subject as (label in the active language, value) pairs."""
        return [(str(SUBJECT_LABELS.get(kind, kind)), value) for kind, value in self.subject]

    @property
    def unmodified(self) -> bool:
        return self.intact and self.covers_whole_file

    @property
    def trusted(self) -> bool:
        return self.by_this_portal or self.trust == TRUSTED


@dataclass
class PdfReport:
    """What the verification page says about an uploaded PDF."""

    sha256: str
    signatures: list[SignatureReport]
    revisions: int = 1
    draft: bool = False  # carries the portal's draft mark (an unsigned draft it produced)

    @property
    def any_modified(self) -> bool:
        """Whether some signature's signed bytes were changed: the file was tampered with."""
        return any(not s.intact for s in self.signatures)

    def added_after(self, signature: SignatureReport) -> list[SignatureReport]:
        """The signatures made on later revisions than ``signature``'s."""
        return [s for s in self.signatures if s.revision > signature.revision]

    @property
    def any_untrusted(self) -> bool:
        return any(not s.trusted for s in self.signatures)

    @property
    def unsigned_changes_at_end(self) -> bool:
        """Whether the last revision of the file is covered by no signature."""
        return bool(self.signatures) and not any(s.covers_whole_file for s in self.signatures)


class UnreadablePdf(ValueError):
    """Not a PDF, truncated, or damaged."""


class EncryptedPdf(ValueError):
    """Encrypted: cannot be checked without the password."""


class TooComplexPdf(ValueError):
    """Over one of the limits (``limit`` names it: a key of ``limits()``, or "resources")."""

    def __init__(self, limit: str, value: int = 0):
        super().__init__(limit)
        self.limit = limit
        self.value = value


class VerificationTimedOut(TimeoutError):
    """The analysis took longer than PDF_VERIFY_TIMEOUT_SECONDS and was stopped."""


def limits() -> dict[str, int]:
    """The structural limits a PDF must keep to be analysed (settings)."""
    return {
        "signature_fields": settings.PDF_VERIFY_MAX_SIGNATURE_FIELDS,
        "revisions": settings.PDF_VERIFY_MAX_REVISIONS,
        "objects": settings.PDF_VERIFY_MAX_OBJECTS,
        "pages": settings.PDF_VERIFY_MAX_PAGES,
    }


@cache
def _load_trust_roots(path: str) -> tuple[bytes, ...]:
    """DER of every certificate in ``path`` (a PEM or DER file, or a folder of them)."""
    if not path:
        return ()
    location = Path(path)
    if location.is_dir():
        files = sorted(p for p in location.iterdir() if p.is_file())
    else:
        files = [location]
    roots = []
    for file in files:
        try:
            data = file.read_bytes()
            if b"-----BEGIN CERTIFICATE-----" in data:
                certificates = x509.load_pem_x509_certificates(data)
            else:
                certificates = [x509.load_der_x509_certificate(data)]
        except (OSError, ValueError) as exc:
            raise ImproperlyConfigured(
                f"PDF_VERIFY_TRUST_ROOTS: cannot read certificates from {file}: {exc}"
            ) from exc
        roots += [c.public_bytes(serialization.Encoding.DER) for c in certificates]
    return tuple(roots)


def check_trust_roots(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """System check: PDF_VERIFY_TRUST_ROOTS, when set, names readable CA certificates.

    Registered in ``ClusterPortalConfig.ready``, so a wrong path stops the deployment
    instead of turning every verification into a server error.
    """
    path = settings.PDF_VERIFY_TRUST_ROOTS
    if not path:
        return []
    try:
        roots = _load_trust_roots(path)
    except ImproperlyConfigured as exc:
        return [checks.Error(str(exc), id="cluster_portal.E001")]
    if not roots:
        return [
            checks.Error(
                f"PDF_VERIFY_TRUST_ROOTS: no certificate found in {path}",
                id="cluster_portal.E001",
            )
        ]
    return []


def trust_roots() -> tuple[bytes, ...]:
    """DER of the CA certificates the operator trusts for signatures other than our seal."""
    return _load_trust_roots(settings.PDF_VERIFY_TRUST_ROOTS)


def _run_analysis(data: bytes, header: dict) -> dict:
    """Run ``pdf_analysis`` in a child process; kill it at the timeout."""
    timeout = settings.PDF_VERIFY_TIMEOUT_SECONDS
    command = [
        sys.executable,
        "-m",
        "cluster_portal.pdf_analysis",
        str(settings.PDF_VERIFY_MEMORY_MB),
        str(math.ceil(timeout) + 1),
    ]
    # No secrets, settings or database address reach the process that parses hostile bytes.
    environment = {"PYTHONPATH": str(settings.BASE_DIR), "PYTHONDONTWRITEBYTECODE": "1"}
    child = subprocess.Popen(  # noqa: S603 (our own module, fixed arguments)
        command,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        env=environment,
        cwd=settings.BASE_DIR,
        start_new_session=True,  # its own process group, killed as a whole
    )
    try:
        output, _ = child.communicate(json.dumps(header).encode() + b"\n" + data, timeout=timeout)
    except subprocess.TimeoutExpired:
        _kill(child)
        raise VerificationTimedOut from None
    except BaseException:
        _kill(child)
        raise
    try:
        if child.returncode == 0 and output:
            return json.loads(output)
    except ValueError:
        pass
    # Killed by its memory or CPU limit (or it crashed): the file is beyond what we check.
    logger.warning("PDF analysis child ended with code %s", child.returncode)
    return {"outcome": "too_complex", "limit": "resources", "value": 0}


def _kill(child: subprocess.Popen) -> None:
    """Kill the child's process group and reap it: nothing is left running, no zombie."""
    with contextlib.suppress(ProcessLookupError):  # it may have ended meanwhile
        os.killpg(child.pid, signal.SIGKILL)
    child.communicate()


def _signature(item: dict) -> SignatureReport:
    signed_at = item.get("signed_at")
    by_portal = bool(item["by_this_portal"])
    return SignatureReport(
        signer=item["signer"],
        signed_at=datetime.datetime.fromisoformat(signed_at) if signed_at else None,
        intact=bool(item["intact"]),
        covers_whole_file=bool(item["covers_whole_file"]),
        by_this_portal=by_portal,
        is_demo_seal=by_portal and signer_is_demo(item["signer"]),
        trust=item["trust"],
        trust_detail=item["trust_detail"],
        revision=int(item["revision"]),
        covered_sha256=item["covered_sha256"],
        modification_level=item["modification_level"],
        errors=list(item["errors"]),
        subject=[(str(kind), str(value)) for kind, value in item.get("subject", [])],
    )


def inspect_pdf(data: bytes) -> PdfReport:
    """Read a PDF's embedded signatures and check each one against the bytes it covers.

    Raises UnreadablePdf, EncryptedPdf, TooComplexPdf (over a limit) or
    VerificationTimedOut. Logs one line per verification.
    """
    started = time.monotonic()
    sha256 = hashlib.sha256(data).hexdigest()
    outcome, report = "refused", None
    try:
        if data.lstrip()[:5] != b"%PDF-":
            outcome = "unreadable"
            raise UnreadablePdf("not a PDF")
        exceeded = pdf_analysis.over_limit(pdf_analysis.byte_counts(data), limits())
        if exceeded:
            outcome = f"too_complex:{exceeded[0]}"
            raise TooComplexPdf(*exceeded)
        seal = portal_seal()
        ours = [seal.certificate.dump(), *_earlier_seal_certificates()]
        header = {
            "ours": [base64.b64encode(der).decode() for der in dict.fromkeys(ours)],
            "roots": [base64.b64encode(der).decode() for der in trust_roots()],
            "fetch": settings.PDF_VERIFY_FETCH_REVOCATION,
            "limits": limits(),
        }
        try:
            result = _run_analysis(data, header)
        except VerificationTimedOut:
            outcome = "timeout"
            raise
        outcome = result["outcome"]
        if outcome == "unreadable":
            raise UnreadablePdf("unreadable")
        if outcome == "encrypted":
            raise EncryptedPdf("encrypted")
        if outcome == "too_complex":
            outcome = f"too_complex:{result['limit']}"
            raise TooComplexPdf(result["limit"], result["value"])
        report = PdfReport(
            sha256=sha256,
            signatures=[_signature(item) for item in result["signatures"]],
            revisions=int(result["revisions"]),
            draft=bool(result.get("draft")),
        )
        return report
    finally:
        logger.info(
            "PDF verification: outcome=%s size=%d sha256=%s signatures=%s seconds=%.2f",
            outcome,
            len(data),
            sha256,
            len(report.signatures) if report else "-",
            time.monotonic() - started,
        )
