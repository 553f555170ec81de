"""Numbers of official documents: per issuing body and calendar year, never reused."""

from django.db import IntegrityError, transaction
from django.db.models import Max

from cluster_portal.models import DocumentNumber


def document_number_take(*, issuer: str, year: int, symbol: str, title: str) -> DocumentNumber:
    """Take the next number of ``issuer`` in calendar ``year`` for a document of ``symbol``
    (e.g. "TTr-CTĐ") and record it. Runs in the caller's transaction: if that transaction
    rolls back, the number was never taken; once committed, it is never given again.
    Concurrent callers for the same issuer and year get different numbers (a retry on the
    unique constraint)."""
    for _attempt in range(20):
        try:
            with transaction.atomic():
                last = DocumentNumber.objects.filter(issuer=issuer, year=year).aggregate(
                    last=Max("number")
                )["last"]
                return DocumentNumber.objects.create(
                    issuer=issuer, year=year, number=(last or 0) + 1, symbol=symbol, title=title
                )
        except IntegrityError:
            continue
    raise RuntimeError(f"Could not take a document number for {issuer} {year}.")
