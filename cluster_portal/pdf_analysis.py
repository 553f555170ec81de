"""The analysis of an uploaded PDF, run in a child process (``python -m``) with limits.

pyHanko's change analysis can take minutes and gigabytes on a hostile PDF, so the web
worker never runs it: ``cluster_portal.pdf_verify`` starts this module as a child process
with a wall-clock timeout, and the child limits its own memory and CPU time before it
touches the upload. The child gets no Django settings, no database and no secrets (its
environment is emptied); it reads a one-line JSON header and the PDF on stdin, and writes
one JSON object on stdout.

Header: ``{"ours": [base64 DER…], "roots": [base64 DER…], "fetch": bool, "limits": {…}}``
where ``ours`` are the portal's seal certificates and ``roots`` the trust roots the
operator configured for every other signature.
"""

import base64
import contextlib
import hashlib
import io
import json
import logging
import re
import resource
import sys

# What the page tells the user about a certificate that is not the portal's seal.
TRUSTED = "trusted"
UNTRUSTED = "untrusted"  # unknown issuer or self-signed
EXPIRED = "expired"  # outside its validity period (expired or not yet valid)
REVOKED = "revoked"
REVOCATION_UNKNOWN = "revocation_unknown"

# The keyword the portal writes into the metadata of its unsigned drafts (the pages carry
# the same words as a watermark): the verification page names such a file a draft.
DRAFT_KEYWORD = "DỰ THẢO"

SIG_FIELD = re.compile(rb"/FT\s*/Sig\b")
REVISION_END = re.compile(rb"%%EOF")
# "12 0 obj": anchored on one digit before, never "\d+\s+\d+" (quadratic on a run of digits).
OBJECT = re.compile(rb"(?<=\d)\s+obj\b")
PAGE = re.compile(rb"/Type\s*/Page\b")


def byte_counts(data: bytes) -> dict[str, int]:
    """What can be counted in the raw bytes without parsing (objects outside object streams).

    Cheap enough to run in the web worker before a child is started: a file far over a limit
    is refused at once.
    """
    return {
        "signature_fields": len(SIG_FIELD.findall(data)),
        "revisions": len(REVISION_END.findall(data)),
        "objects": len(OBJECT.findall(data)),
        "pages": len(PAGE.findall(data)),
    }


def over_limit(counts: dict[str, int], limits: dict[str, int]) -> tuple[str, int] | None:
    """The first limit ``counts`` exceed, as (name, limit), or None."""
    for name, limit in limits.items():
        if counts.get(name, 0) > limit:
            return name, limit
    return None


def _structure_counts(reader, limits: dict[str, int]) -> dict[str, int]:
    """Counts read from the parsed structure (objects in object streams included)."""
    from itertools import islice

    from pyhanko.sign.fields import enumerate_sig_fields

    counts = {"revisions": reader.xrefs.total_revisions}
    with contextlib.suppress(Exception):  # a missing or odd /Size: the byte count stands
        counts["objects"] = int(reader.trailer_view["/Size"])
    try:
        counts["pages"] = int(reader.root["/Pages"]["/Count"])
    except Exception:
        counts["pages"] = 0
    cap = limits.get("signature_fields", 0) + 1
    counts["signature_fields"] = sum(1 for _ in islice(enumerate_sig_fields(reader), cap))
    return counts


def _name(cert) -> str:
    try:
        return cert.subject.human_friendly
    except Exception:
        return "?"


def _subject(cert) -> list[list[str]]:
    """The certificate subject's attributes in order, as [type, value] pairs: the type as
    asn1crypto names it ("common_name", "organization_name", …, or a dotted OID)."""
    fields = []
    try:
        for rdn in cert.subject.chosen:
            for attribute in rdn:
                value = attribute["value"].native
                if isinstance(value, bytes):
                    value = value.hex()
                fields.append([str(attribute["type"].native), str(value)[:255]])
    except Exception:
        return []
    return fields[:30]


def _is_portal_draft(reader) -> bool:
    """Whether the document's metadata carries the portal's draft keyword."""
    try:
        keywords = reader.document_meta_view.keywords or []
    except Exception:
        return False
    if isinstance(keywords, str):
        keywords = [keywords]
    return any(DRAFT_KEYWORD in str(keyword) for keyword in keywords)


def _trust_of(status, cert, context, *, fetch: bool) -> tuple[str, str]:
    """(trust status, detail) of a validated signature whose certificate is not ours."""
    indic = getattr(status.trust_problem_indic, "name", "")
    if status.revoked or indic in {"REVOKED", "REVOKED_NO_POE", "REVOKED_CA_NO_POE"}:
        return REVOKED, ""
    if indic in {"EXPIRED", "NOT_YET_VALID", "OUT_OF_BOUNDS_NO_POE", "OUT_OF_BOUNDS_NOT_REVOKED"}:
        return EXPIRED, ""
    if indic in {"TRY_LATER", "REVOCATION_OUT_OF_BOUNDS_NO_POE"}:
        return REVOCATION_UNKNOWN, ""
    if status.trusted:
        offers_revocation = bool(cert.ocsp_urls or cert.crl_distribution_points)
        if fetch and context.soft_fail_exceptions:  # no answer from the OCSP/CRL servers
            return REVOCATION_UNKNOWN, ""
        if offers_revocation and not fetch:
            return TRUSTED, "revocation_not_checked"
        return TRUSTED, ""
    if cert.self_signed != "no":
        return UNTRUSTED, "self_signed"
    if indic == "CHAIN_CONSTRAINTS_FAILURE":  # e.g. a certificate not meant for signing
        return UNTRUSTED, "constraints"
    return UNTRUSTED, "unknown_issuer"


def _signature(signature, data: bytes, *, ours: set, our_roots, roots, fetch: bool) -> dict:
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.status import SignatureCoverageLevel
    from pyhanko_certvalidator import ValidationContext

    report = {
        "signer": "?",
        "subject": [],
        "signed_at": None,
        "intact": False,
        "covers_whole_file": False,
        "by_this_portal": False,
        "trust": UNTRUSTED,
        "trust_detail": "",
        "revision": signature.signed_revision,
        "covered_sha256": "",
        "modification_level": "",
        "errors": [],
    }
    try:
        cert = signature.signer_cert
        ours_cert = cert.dump() in ours
        if ours_cert:
            context = ValidationContext(trust_roots=our_roots, allow_fetching=False)
        else:
            context = ValidationContext(
                trust_roots=roots,
                allow_fetching=fetch,
                revocation_mode="soft-fail",
            )
        status = validate_pdf_signature(signature, context, skip_diff=False)
        report["intact"] = intact = bool(status.intact and status.valid)
        report["covers_whole_file"] = status.coverage == SignatureCoverageLevel.ENTIRE_FILE
        report["signer"] = _name(cert)
        report["subject"] = _subject(cert)
        report["by_this_portal"] = ours_cert and intact
        if status.signer_reported_dt is not None:
            report["signed_at"] = status.signer_reported_dt.isoformat()
        if status.modification_level is not None:
            report["modification_level"] = status.modification_level.name
        if ours_cert:
            report["trust"] = TRUSTED  # our own seal certificate, byte for byte
        else:
            report["trust"], report["trust_detail"] = _trust_of(status, cert, context, fetch=fetch)
        start, _length, second, rest = (int(n) for n in signature.byte_range)
        if intact and start == 0 and second + rest <= len(data):
            # The revision this signature covers is that prefix of the file.
            report["covered_sha256"] = hashlib.sha256(data[: second + rest]).hexdigest()
    except MemoryError:
        raise
    except Exception as exc:  # a damaged signature is reported, never a crash
        report["intact"] = report["covers_whole_file"] = report["by_this_portal"] = False
        report["errors"].append(str(exc)[:200])
    return report


def analyse(data: bytes, header: dict) -> dict:
    """The report on ``data``, or a refusal ({"outcome": "unreadable" | "encrypted" | …})."""
    from asn1crypto import x509 as asn1_x509
    from pyhanko.pdf_utils.reader import PdfFileReader

    limits = header.get("limits", {})
    if data.lstrip()[:5] != b"%PDF-":
        return {"outcome": "unreadable"}
    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        if reader.encrypted:
            return {"outcome": "encrypted"}
        exceeded = over_limit(_structure_counts(reader, limits), limits)
        if exceeded:
            return {"outcome": "too_complex", "limit": exceeded[0], "value": exceeded[1]}
        embedded = list(reader.embedded_signatures)
        draft = _is_portal_draft(reader)
    except MemoryError:
        raise
    except Exception:  # any parser failure on hostile bytes means "unreadable"
        return {"outcome": "unreadable"}

    def load(items):
        return [asn1_x509.Certificate.load(base64.b64decode(item)) for item in items]

    our_roots = load(header.get("ours", []))
    ours = {cert.dump() for cert in our_roots}
    roots = load(header.get("roots", []))
    fetch = bool(header.get("fetch"))
    signatures = [
        _signature(s, data, ours=ours, our_roots=our_roots, roots=roots, fetch=fetch)
        for s in embedded
    ]
    return {
        "outcome": "ok",
        "revisions": reader.xrefs.total_revisions,
        "signatures": signatures,
        "draft": draft,
    }


def _limit_resources(memory_mb: int, cpu_seconds: int) -> None:
    limit = memory_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds + 1))


def main() -> None:
    memory_mb, cpu_seconds = int(sys.argv[1]), int(sys.argv[2])
    _limit_resources(memory_mb, cpu_seconds)
    # pyHanko and pypdf warn at length about malformed input: the parent logs one summary
    # line per verification instead.
    logging.disable(logging.CRITICAL)
    stdin = sys.stdin.buffer
    header = json.loads(stdin.readline())
    data = stdin.read()
    try:
        result = analyse(data, header)
    except MemoryError:
        result = {"outcome": "too_complex", "limit": "memory", "value": memory_mb}
    sys.stdout.write(json.dumps(result))
    sys.stdout.flush()


if __name__ == "__main__":
    main()
