"""The verification page's throttle: how often a user may have a PDF checked."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from agreements.models import (
    PdfVerificationAttempt,
)
from members.models import User


def pdf_verification_begin(*, user) -> None:
    """Count one use of the verification page by ``user``, or refuse it over the throttle.

    At most ``PDF_VERIFY_RATE_LIMIT`` verifications per user in the last
    ``PDF_VERIFY_RATE_WINDOW_MINUTES`` minutes, counted in the database (every process and
    app server sees the same count; the user's row is locked so concurrent uploads cannot
    both take the last place). A refused attempt is not counted. Records no audit event: a
    verification changes nothing. Raises ``ValidationError`` (code ``throttled``).
    """
    limit = settings.PDF_VERIFY_RATE_LIMIT
    minutes = settings.PDF_VERIFY_RATE_WINDOW_MINUTES
    now = timezone.now()
    since = now - datetime.timedelta(minutes=minutes)
    with transaction.atomic():
        User.objects.select_for_update().filter(pk=user.pk).first()
        attempts = PdfVerificationAttempt.objects.filter(user=user)
        attempts.filter(created_at__lt=since).delete()
        if attempts.filter(created_at__gte=since).count() >= limit:
            raise ValidationError(
                _(
                    "You have checked %(limit)s PDFs in the last %(minutes)s minutes: "
                    "please wait a few minutes and try again."
                )
                % {"limit": limit, "minutes": minutes},
                code="throttled",
            )
        PdfVerificationAttempt.objects.create(user=user, created_at=now)
