"""The published results, kept as published."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from evaluations.models.common import POINTS
from evaluations.models.evaluation import Evaluation


class Result(models.Model):
    """One member's published result: kept as published, so history stays true whatever
    happens to the department later. Written by the service that publishes the results."""

    evaluation = models.ForeignKey(
        Evaluation, verbose_name=_("evaluation"), on_delete=models.PROTECT, related_name="results"
    )
    membership = models.ForeignKey(
        "members.Membership",
        verbose_name=_("member"),
        on_delete=models.PROTECT,
        related_name="evaluation_results",
    )
    subtotals = models.JSONField(
        _("section subtotals"),
        default=dict,
        help_text=_("Top-level section code → points, as strings with two decimals."),
    )
    base_points = models.DecimalField(_("points before bonus and penalty"), **POINTS)
    bonus = models.DecimalField(_("bonus"), **POINTS)
    penalty = models.DecimalField(_("penalty"), **POINTS)
    total = models.DecimalField(_("total"), **POINTS)
    rank = models.PositiveSmallIntegerField(_("rank"))
    classification = models.CharField(_("classification"), max_length=100, blank=True)

    class Meta:
        ordering = ["evaluation", "rank", "membership__short_name"]
        verbose_name = _("result")
        verbose_name_plural = _("results")
        constraints = [
            models.UniqueConstraint(
                fields=["evaluation", "membership"], name="one_result_per_member"
            ),
            models.CheckConstraint(
                condition=Q(bonus__gte=0) & Q(penalty__gte=0) & Q(rank__gte=1),
                name="result_bounds",
            ),
        ]

    def __str__(self):
        return f"{self.rank}. {self.membership.short_name} – {self.total}"
