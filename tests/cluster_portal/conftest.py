"""Fixtures for the shared package's tests: the audit trail and the seal are exercised on a
covenant, so the covenant fixtures of ``tests/agreements`` serve here too."""

from tests.agreements.conftest import (  # noqa: F401 (fixtures)
    covenant,
    draft,
    legal_basis,
    signatories,
    signed_covenant,
)
