"""The evaluation of a cluster year: its phase, dates, checking method and table settings."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from cluster_portal.models import IllustrativeModel, TimeStampedModel
from evaluations.models.common import POINTS


class Evaluation(IllustrativeModel, TimeStampedModel):
    """The evaluation of one cluster year: its phase, dates, checking method and table
    settings (step, tie-break). One per cluster year."""

    class Phase(models.TextChoices):
        DRAFT = "draft", _("Draft: the criteria table is being prepared")
        SELF_ASSESSMENT = "self_assessment", _("Self-assessment open")
        CHECKING = "checking", _("Checking the scores")
        PUBLISHED = "published", _("Results published")

    class CheckingMode(models.TextChoices):
        SECRETARIAT = "secretariat", _("By the secretariat")
        CROSS = "cross", _("Cross-checking between members")

    class TieBreak(models.TextChoices):
        NONE = "none", _("Ties share a rank")
        SECTIONS = "sections", _("Higher subtotals of the sections, in order, break ties")

    cluster_year = models.OneToOneField(
        "members.ClusterYear",
        verbose_name=_("cluster year"),
        on_delete=models.PROTECT,
        related_name="evaluation",
    )
    phase = models.CharField(_("phase"), max_length=20, choices=Phase.choices, default=Phase.DRAFT)
    self_assessment_deadline = models.DateTimeField(
        _("self-assessment deadline"), null=True, blank=True
    )
    checking_deadline = models.DateTimeField(_("checking deadline"), null=True, blank=True)
    publication_date = models.DateField(_("planned publication date"), null=True, blank=True)
    checking_mode = models.CharField(
        _("checking method"),
        max_length=20,
        choices=CheckingMode.choices,
        default=CheckingMode.SECRETARIAT,
    )
    step = models.DecimalField(
        _("scoring step"),
        default=Decimal("0.25"),
        help_text=_("Graded criteria take scores in multiples of this step, e.g. 0.25."),
        **POINTS,
    )
    tie_break = models.CharField(
        _("tie-break rule"), max_length=20, choices=TieBreak.choices, default=TieBreak.NONE
    )
    table_adopted_at = models.DateTimeField(_("table adopted at"), null=True, blank=True)
    table_adopted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("table adopted by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    results_number = models.CharField(
        _("number and symbol of the results table"),
        max_length=50,
        blank=True,
        help_text=_("e.g. 05/BC-CTĐ"),
    )
    results_date = models.DateField(_("date of the results table"), null=True, blank=True)

    class Meta:
        ordering = ["cluster_year__cluster__name", "-cluster_year__year"]
        verbose_name = _("evaluation")
        verbose_name_plural = _("evaluations")
        constraints = [
            models.CheckConstraint(condition=Q(step__gt=0), name="evaluation_step_positive"),
            models.CheckConstraint(
                condition=Q(phase="draft") | Q(table_adopted_at__isnull=False),
                name="evaluation_table_adopted_after_draft",
                violation_error_message=_(
                    "The criteria table is adopted before the evaluation opens."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.cluster_year}"

    def get_absolute_url(self):
        return reverse(
            "evaluations:evaluation-detail",
            kwargs={"code": self.cluster_year.cluster.code, "year": self.cluster_year.year},
        )

    @property
    def table_is_frozen(self) -> bool:
        """Once adopted, the table is read-only and every score refers to it."""
        return self.table_adopted_at is not None
