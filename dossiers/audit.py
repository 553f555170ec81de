"""Audit actions of the dossiers app: the one list of their codes and labels."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class DossierAction(models.TextChoices):
    DOSSIER_CREATED = "dossier.created", _("Award dossier started")
    DOSSIER_EDITED = "dossier.edited", _("Award dossier edited")
    ATTACHMENT_ADDED = "dossier.attachment_added", _("Attachment added to the dossier")
    ATTACHMENT_REMOVED = "dossier.attachment_removed", _("Attachment removed from the dossier")
    PROPOSAL_ADDED = "dossier.proposal_added", _("Award proposal added")
    PROPOSAL_REMOVED = "dossier.proposal_removed", _("Award proposal removed")
    DOSSIER_ISSUED = "dossier.issued", _("Award dossier issued")
    DOSSIER_SENT = "dossier.sent", _("Award dossier sent to the Ministry")
    DOSSIER_RETURNED = "dossier.returned", _("Award dossier returned by the Ministry")
    DOSSIER_RESUBMITTED = "dossier.resubmitted", _("New version of the dossier started")
    DECISION_RECORDED = "dossier.decision_recorded", _("Ministry's award decision recorded")
