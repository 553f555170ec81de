"""Sealing ballot papers and hashing receipt codes.

A paper's choices are encrypted with AES-GCM under a key from the environment
(``BALLOT_KEY``, else derived from ``SECRET_KEY``), with the ballot's id as associated data,
so a paper cannot be moved to another ballot and nobody reading the database alone can
read a choice. A receipt code is random; the database keeps only its HMAC, so the code
proves a paper was counted without revealing, or being derivable from, its contents.
"""

import hashlib
import hmac
import json
import os
import secrets

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings

_DERIVATION_LABEL = b"cluster-portal ballot key v1"
# Receipt codes: 12 characters from an alphabet without look-alikes (0/O, 1/I/L), in
# groups of four for reading aloud: about 60 bits.
_RECEIPT_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
_RECEIPT_LENGTH = 12
# Plain papers are padded with spaces (which JSON ignores) to a multiple of this many
# bytes, so that the sealed length does not tell how many candidates were chosen, or which
# when their ids have different numbers of digits.
_PAPER_BLOCK = 512


def _key() -> bytes:
    configured = getattr(settings, "BALLOT_KEY", "")
    material = configured.encode("utf-8") if configured else settings.SECRET_KEY.encode("utf-8")
    return hmac.new(material, _DERIVATION_LABEL, hashlib.sha256).digest()


def paper_seal(*, ballot_id: int, choices: list[int]) -> bytes:
    """The sealed form of ``choices`` (candidate ids) for ``ballot_id``: nonce + ciphertext."""
    nonce = os.urandom(12)
    plain = json.dumps(sorted(choices)).encode("ascii")
    blocks = max(1, -(-len(plain) // _PAPER_BLOCK))  # rounded up
    plain = plain.ljust(blocks * _PAPER_BLOCK, b" ")
    return nonce + AESGCM(_key()).encrypt(nonce, plain, str(ballot_id).encode("ascii"))


def paper_open(*, ballot_id: int, sealed: bytes) -> list[int]:
    """The candidate ids sealed in ``sealed``; raises ``cryptography.exceptions.InvalidTag``
    if it was altered, sealed under another key or belongs to another ballot."""
    sealed = bytes(sealed)
    plain = AESGCM(_key()).decrypt(sealed[:12], sealed[12:], str(ballot_id).encode("ascii"))
    return [int(value) for value in json.loads(plain)]


def receipt_code_new() -> str:
    """A fresh receipt code, e.g. "7KQM-3WXD-PA9T"."""
    raw = "".join(secrets.choice(_RECEIPT_ALPHABET) for _ in range(_RECEIPT_LENGTH))
    return "-".join(raw[i : i + 4] for i in range(0, _RECEIPT_LENGTH, 4))


def receipt_normalise(code: str) -> str:
    """The code as typed, without spaces or dashes, upper-case."""
    return "".join(ch for ch in code.upper() if ch.isalnum())


def receipt_digest(*, ballot_id: int, code: str) -> str:
    """The keyed hash stored for a receipt code on ``ballot_id``."""
    message = f"{ballot_id}:{receipt_normalise(code)}".encode("ascii", "ignore")
    return hmac.new(_key(), message, hashlib.sha256).hexdigest()
