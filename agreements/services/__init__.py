"""Writes for covenants, one module per concept: the covenant's lifecycle (``covenants``),
the responses to it (``signing``) and the verification page's throttle (``verification``).

Other apps and the views import from here: ``from agreements import services``.
"""

from agreements.services.covenants import (
    covenant_close,
    covenant_copy_to_new_year,
    covenant_create,
    covenant_issue_document,
    covenant_new_version,
    covenant_open_for_signing,
    covenant_record_view,
    covenant_send_reminders,
    covenant_update,
    membership_added,
    membership_guard,
    pending_signatories,
)
from agreements.services.signing import (
    signature_decline,
    signature_record,
    signature_record_paper,
)
from agreements.services.verification import pdf_verification_begin

__all__ = [
    "covenant_close",
    "covenant_copy_to_new_year",
    "covenant_create",
    "covenant_issue_document",
    "covenant_new_version",
    "covenant_open_for_signing",
    "covenant_record_view",
    "covenant_send_reminders",
    "covenant_update",
    "membership_added",
    "membership_guard",
    "pdf_verification_begin",
    "pending_signatories",
    "signature_decline",
    "signature_record",
    "signature_record_paper",
]
