"""The criteria table: its sections and criteria, and the classifications of the results."""

from decimal import Decimal

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from evaluations.models.common import POINTS
from evaluations.models.evaluation import Evaluation


class Criterion(models.Model):
    """A section or a criterion of the table: a tree of any depth, in ``position`` order.

    A section's maximum is the sum of its children's unless ``cap`` is set (a section of
    bonus items is capped this way). Leaves carry a ``kind`` that says how they are scored
    (``evaluations.scoring``): bonus leaves add to the total, penalty leaves subtract from
    it, and a top-level section holds either only bonus, only penalty or no such leaves.
    """

    class Kind(models.TextChoices):
        SECTION = "section", _("Section")
        GRADED = "graded", _("Graded (0 to the maximum, in steps)")
        YES_NO = "yes_no", _("Yes/no (the maximum or 0)")
        PER_OCCURRENCE = "per_occurrence", _("Per occurrence (points × count, capped)")
        QUANTITATIVE = "quantitative", _("Quantitative (actual against a target)")
        BONUS = "bonus", _("Bonus")
        PENALTY = "penalty", _("Penalty")

    evaluation = models.ForeignKey(
        Evaluation,
        verbose_name=_("evaluation"),
        on_delete=models.CASCADE,
        related_name="criteria",
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("section"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="children",
    )
    position = models.PositiveIntegerField(
        _("position"), help_text=_("Order of the line in the whole table.")
    )
    code = models.CharField(_("code"), max_length=30, help_text=_("e.g. I.2.a"))
    text = models.TextField(_("text"))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    max_points = models.DecimalField(
        _("maximum points"),
        null=True,
        blank=True,
        help_text=_("For a leaf. A section's maximum is the sum of its children's."),
        **POINTS,
    )
    cap = models.DecimalField(
        _("cap"),
        null=True,
        blank=True,
        help_text=_("For a section: its points never exceed this (e.g. the bonus cap)."),
        **POINTS,
    )
    step = models.DecimalField(
        _("step"),
        null=True,
        blank=True,
        help_text=_("For a graded criterion: its own step instead of the table's."),
        **POINTS,
    )
    points_per_occurrence = models.DecimalField(
        _("points per occurrence"), null=True, blank=True, **POINTS
    )
    target = models.DecimalField(
        _("target"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    unit = models.CharField(_("unit of the actual"), max_length=50, blank=True)
    below_target_factor = models.DecimalField(
        _("factor below the target"),
        max_digits=5,
        decimal_places=4,
        default=Decimal("0.5"),
        help_text=_("Below the target: maximum × this factor × actual / target."),
    )
    at_target_factor = models.DecimalField(
        _("factor at the target"),
        max_digits=5,
        decimal_places=4,
        default=Decimal("0.5"),
        help_text=_(
            "At the target: maximum × this factor; above it, scaled up to the maximum for "
            "the best unit."
        ),
    )
    guidance = models.TextField(_("guidance"), blank=True)
    evidence_required = models.BooleanField(_("evidence required"), default=False)

    class Meta:
        ordering = ["evaluation", "position"]
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        constraints = [
            models.UniqueConstraint(fields=["evaluation", "code"], name="one_criterion_per_code"),
            models.UniqueConstraint(
                fields=["evaluation", "position"], name="one_criterion_per_position"
            ),
            models.CheckConstraint(
                condition=Q(max_points__isnull=True) | Q(max_points__gte=0),
                name="criterion_max_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(kind="section") | Q(max_points__isnull=False),
                name="criterion_leaf_has_max",
            ),
            models.CheckConstraint(
                condition=Q(cap__isnull=True) | Q(cap__gte=0), name="criterion_cap_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(step__isnull=True) | Q(step__gt=0), name="criterion_step_positive"
            ),
            models.CheckConstraint(
                condition=~Q(kind="per_occurrence") | Q(points_per_occurrence__gt=0),
                name="criterion_per_occurrence_has_points",
            ),
            models.CheckConstraint(
                condition=~Q(kind="quantitative") | Q(target__gt=0),
                name="criterion_quantitative_has_target",
            ),
            models.CheckConstraint(
                condition=Q(below_target_factor__gte=0)
                & Q(below_target_factor__lte=1)
                & Q(at_target_factor__gte=0)
                & Q(at_target_factor__lte=1),
                name="criterion_factors_in_range",
            ),
        ]

    def __str__(self):
        return f"{self.code}. {self.text}"

    @property
    def is_section(self) -> bool:
        return self.kind == self.Kind.SECTION


class Classification(models.Model):
    """A classification of the results with its threshold (e.g. "Hoàn thành xuất sắc" from
    95 points). A member gets the highest classification whose threshold it reaches."""

    evaluation = models.ForeignKey(
        Evaluation,
        verbose_name=_("evaluation"),
        on_delete=models.CASCADE,
        related_name="classifications",
    )
    label = models.CharField(_("classification"), max_length=100)
    min_total = models.DecimalField(_("from (total points)"), **POINTS)

    class Meta:
        ordering = ["evaluation", "-min_total"]
        verbose_name = _("classification")
        verbose_name_plural = _("classifications")
        constraints = [
            models.UniqueConstraint(
                fields=["evaluation", "min_total"], name="one_classification_per_threshold"
            ),
        ]

    def __str__(self):
        return f"{self.label} (≥ {self.min_total})"
