"""The award dossier (hồ sơ đề nghị khen thưởng) and the Ministry's decisions.

A dossier is assembled by the secretariat of a cluster year, issued once (its generated
documents numbered and sealed, a manifest of SHA-256 hashes, one ZIP), sent to the
Ministry as a recorded act, and either decided or returned with a reason; a returned
dossier is kept and the cluster resubmits a new version.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from cluster_portal.models import IllustrativeModel, TimeStampedModel


class Dossier(IllustrativeModel, TimeStampedModel):
    """One version of a cluster year's award dossier."""

    class State(models.TextChoices):
        DRAFT = "draft", _("Being assembled")
        ISSUED = "issued", _("Issued, not yet sent")
        SENT = "sent", _("Sent to the Ministry")
        RETURNED = "returned", _("Returned by the Ministry")

    cluster_year = models.ForeignKey(
        "members.ClusterYear",
        verbose_name=_("cluster year"),
        on_delete=models.PROTECT,
        related_name="dossiers",
    )
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.DRAFT)
    previous = models.OneToOneField(
        "self",
        verbose_name=_("replaces"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="next_version",
    )
    # The texts the secretariat writes for the generated documents.
    submission_text = models.TextField(
        _("text of the submission (Tờ trình)"),
        blank=True,
        help_text=_("The body of the Tờ trình; the proposals are listed after it."),
    )
    signer_name = models.CharField(_("signed by (name)"), max_length=255, blank=True)
    signer_title = models.CharField(
        _("signer's title"), max_length=255, blank=True, default="Cụm trưởng"
    )
    issued_at = models.DateTimeField(_("issued at"), null=True, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("issued by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("sent by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    returned_at = models.DateTimeField(_("returned at"), null=True, blank=True)
    returned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("returned by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    return_reason = models.TextField(_("reason for return"), blank=True)
    # Filled when issued: file name → SHA-256, and the one ZIP of everything.
    manifest = models.JSONField(_("manifest"), default=dict, blank=True)
    archive = models.FileField(_("ZIP archive"), upload_to="dossiers/", blank=True)
    archive_sha256 = models.CharField(_("SHA-256 of the ZIP"), max_length=64, blank=True)
    archive_size = models.PositiveIntegerField(_("size of the ZIP in bytes"), null=True, blank=True)

    class Meta:
        ordering = ["cluster_year", "-version"]
        verbose_name = _("award dossier")
        verbose_name_plural = _("award dossiers")
        constraints = [
            models.UniqueConstraint(
                fields=["cluster_year", "version"], name="one_dossier_per_version"
            ),
            models.UniqueConstraint(
                fields=["cluster_year"],
                condition=~Q(state="returned"),
                name="one_live_dossier_per_year",
                violation_error_message=_("The year already has a dossier in progress."),
            ),
            models.CheckConstraint(
                condition=Q(state="draft") | Q(issued_at__isnull=False),
                name="dossier_issued_has_time",
            ),
            models.CheckConstraint(
                condition=~Q(state="returned") | ~Q(return_reason=""),
                name="returned_dossier_has_reason",
                violation_error_message=_("Say why the dossier is returned."),
            ),
        ]

    def __str__(self):
        return f"{self.cluster_year} v{self.version}"

    def get_absolute_url(self):
        return reverse("dossiers:dossier-detail", kwargs={"pk": self.pk})

    @property
    def filename(self) -> str:
        year = self.cluster_year
        return f"ho-so-khen-thuong-{year.cluster.code}-{year.year}-v{self.version}.zip"


def _document_path(instance, filename):
    return f"dossiers/{instance.dossier.cluster_year.year}/{instance.dossier_id}/{filename}"


class DossierDocument(models.Model):
    """One file of a dossier: a generated, numbered and sealed PDF, or an uploaded
    attachment (stored under a random name, its type from the upload check)."""

    class Kind(models.TextChoices):
        SUBMISSION = "submission", _("Submission (Tờ trình)")
        MINUTES = "minutes", _("Minutes of the closing conference")
        VOTE_RECORD = "vote_record", _("Vote record")
        RESULTS = "results", _("Results table of the evaluation")
        ATTACHMENT = "attachment", _("Attachment")

    dossier = models.ForeignKey(
        Dossier, verbose_name=_("dossier"), on_delete=models.PROTECT, related_name="documents"
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=500)
    number = models.CharField(_("number and symbol"), max_length=50, blank=True)
    position = models.PositiveSmallIntegerField(_("order"), default=1)
    file = models.FileField(_("file"), upload_to=_document_path)
    content_type = models.CharField(_("stored type"), max_length=100)
    original_name = models.CharField(_("original file name"), max_length=255, blank=True)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    size = models.PositiveIntegerField(_("size in bytes"))
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("added by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    added_at = models.DateTimeField(_("added at"), auto_now_add=True)

    class Meta:
        ordering = ["dossier", "position", "id"]
        verbose_name = _("dossier document")
        verbose_name_plural = _("dossier documents")

    def __str__(self):
        return self.title


class Proposal(models.Model):
    """A unit the cluster proposes for an award, with what backs it: its rank and total in
    the published results and its share in the ballot that chose it (as they were)."""

    class Award(models.TextChoices):
        GOVERNMENT_FLAG = "government_flag", _("Government's emulation flag")
        MINISTRY_FLAG = "ministry_flag", _("Ministry's emulation flag")
        MINISTER_MERIT = "minister_merit", _("Minister's certificate of merit")

    dossier = models.ForeignKey(
        Dossier, verbose_name=_("dossier"), on_delete=models.CASCADE, related_name="proposals"
    )
    membership = models.ForeignKey(
        "members.Membership",
        verbose_name=_("member"),
        on_delete=models.PROTECT,
        related_name="award_proposals",
    )
    award = models.CharField(_("award"), max_length=20, choices=Award.choices)
    ballot = models.ForeignKey(
        "ballots.Ballot",
        verbose_name=_("ballot"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="proposals",
    )
    rank = models.PositiveSmallIntegerField(_("rank"), null=True, blank=True)
    total = models.DecimalField(
        _("total points"), max_digits=7, decimal_places=2, null=True, blank=True
    )
    vote_share = models.DecimalField(
        _("share of the votes (%)"), max_digits=5, decimal_places=2, null=True, blank=True
    )

    class Meta:
        ordering = ["dossier", "award", "rank", "id"]
        verbose_name = _("award proposal")
        verbose_name_plural = _("award proposals")
        constraints = [
            models.UniqueConstraint(
                fields=["dossier", "membership", "award"],
                name="one_proposal_per_member_and_award",
                violation_error_message=_("This unit is already proposed for this award."),
            ),
        ]

    def __str__(self):
        return f"{self.membership.short_name}: {self.get_award_display()}"


class AwardDecision(models.Model):
    """The Ministry council's decision on one proposal, recorded by a reviewer who holds
    the ``dossiers.record_award_decision`` permission (the one place reviewers write)."""

    class Decision(models.TextChoices):
        MINISTRY_FLAG = "ministry_flag", _("Ministry's emulation flag awarded")
        MINISTER_MERIT = "minister_merit", _("Minister's certificate of merit awarded")
        GOVERNMENT_FLAG_PROPOSED = (
            "government_flag_proposed",
            _("Proposed to the Government for its emulation flag"),
        )
        NOT_APPROVED = "not_approved", _("Not approved")

    proposal = models.OneToOneField(
        Proposal, verbose_name=_("proposal"), on_delete=models.PROTECT, related_name="decision"
    )
    decision = models.CharField(_("decision"), max_length=30, choices=Decision.choices)
    reference = models.CharField(
        _("decision number"), max_length=100, blank=True, help_text=_("e.g. 123/QĐ-BNV")
    )
    decided_on = models.DateField(_("decided on"))
    note = models.TextField(_("note"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now=True)

    class Meta:
        ordering = ["proposal"]
        verbose_name = _("award decision")
        verbose_name_plural = _("award decisions")
        permissions = [
            ("record_award_decision", _("Can record the Ministry council's award decisions")),
        ]

    def __str__(self):
        return f"{self.proposal}: {self.get_decision_display()}"
