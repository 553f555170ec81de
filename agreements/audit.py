"""Audit actions of covenants and signatures: the one list of their codes and labels.

Registered in ``AgreementsConfig.ready``; the audit trail page and the signing certificate of
the covenant PDF take their labels from here.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class AgreementAction(models.TextChoices):
    COVENANT_CREATED = "covenant.created", _("Draft created")
    COVENANT_EDITED = "covenant.edited", _("Draft edited")
    COVENANT_OPENED = "covenant.opened", _("Opened for signing")
    COVENANT_VIEWED = "covenant.viewed", _("Viewed by a signatory")
    SIGNATURE_SIGNED = "signature.signed", _("Signed")
    SIGNATURE_DECLINED = "signature.declined", _("Declined")
    SIGNATURE_REFUSED = "signature.refused", _("Signing attempt refused")
    COVENANT_REMINDED = "covenant.reminded", _("Reminders sent")
    COVENANT_VOIDED = "covenant.voided", _("New version: signatures voided")
    COVENANT_COMPLETED = "covenant.completed", _("Fully signed")
    COVENANT_CLOSED = "covenant.closed", _("Closed")
    COVENANT_ISSUED = "covenant.issued", _("PDF issued")
