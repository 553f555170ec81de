"""Self-assessments: the score lines, their evidence, the adjustments made while checking,
and the reminders sent before the deadline."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from cluster_portal.models import TimeStampedModel
from cluster_portal.uploads import private_name
from evaluations.models.common import POINTS
from evaluations.models.evaluation import Evaluation
from evaluations.models.table import Criterion


def evidence_upload_to(instance, filename):
    return private_name("evaluations/evidence", filename)


class Assessment(TimeStampedModel):
    """A member department's self-assessment in one evaluation, and its checking.

    ``version`` grows on every save: a form carries the version it was loaded with, and a
    save from an older version is refused (two people editing are told, nothing is
    overwritten).
    """

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        FINALISED = "finalised", _("Checked and finalised")

    evaluation = models.ForeignKey(
        Evaluation,
        verbose_name=_("evaluation"),
        on_delete=models.PROTECT,
        related_name="assessments",
    )
    membership = models.ForeignKey(
        "members.Membership",
        verbose_name=_("member"),
        on_delete=models.PROTECT,
        related_name="assessments",
    )
    state = models.CharField(_("state"), max_length=20, choices=State.choices, default=State.DRAFT)
    version = models.PositiveIntegerField(_("version"), default=1)
    report = models.TextField(_("year-end report summary"), blank=True)
    deadline_extended_to = models.DateTimeField(_("deadline extended to"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
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
    return_reason = models.TextField(_("reason for returning"), blank=True)
    checker = models.ForeignKey(
        "members.Membership",
        verbose_name=_("cross-checked by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assessments_to_check",
    )
    finalised_at = models.DateTimeField(_("finalised at"), null=True, blank=True)
    finalised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("finalised by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["evaluation", "membership__short_name"]
        verbose_name = _("self-assessment")
        verbose_name_plural = _("self-assessments")
        constraints = [
            models.UniqueConstraint(
                fields=["evaluation", "membership"], name="one_assessment_per_member"
            ),
            models.CheckConstraint(
                condition=Q(checker__isnull=True) | ~Q(checker=F("membership")),
                name="assessment_not_checked_by_itself",
                violation_error_message=_("No member checks its own assessment."),
            ),
            models.CheckConstraint(
                condition=Q(state="draft") | Q(submitted_at__isnull=False),
                name="assessment_submitted_has_time",
            ),
            models.CheckConstraint(
                condition=Q(returned_at__isnull=True) | ~Q(return_reason=""),
                name="assessment_return_has_reason",
            ),
        ]

    def __str__(self):
        return f"{self.membership.short_name} – {self.evaluation}"

    def get_absolute_url(self):
        cluster_year = self.evaluation.cluster_year
        return reverse(
            "evaluations:assessment-detail",
            kwargs={
                "code": cluster_year.cluster.code,
                "year": cluster_year.year,
                "department": self.membership.department.code,
            },
        )

    @property
    def was_returned(self) -> bool:
        """The secretariat returns an assessment at most once."""
        return self.returned_at is not None


class Score(models.Model):
    """One line of an assessment: the member's own score and explanation, and the final
    score after checking.

    What the member enters depends on the criterion's kind: ``self_points`` (graded, yes/no,
    bonus, penalty), ``count`` (per occurrence) or ``actual`` (quantitative). The server
    computes ``self_points`` from a count or an actual (a quantitative score depends on the
    best unit, so it is recomputed when the results are computed). ``max_points`` is the
    criterion's maximum, copied so that the bounds are database constraints.
    ``final_points`` is set when the scores are finalised (equal to ``self_points`` unless
    an adjustment changed it).
    """

    assessment = models.ForeignKey(
        Assessment, verbose_name=_("assessment"), on_delete=models.CASCADE, related_name="scores"
    )
    criterion = models.ForeignKey(
        Criterion, verbose_name=_("criterion"), on_delete=models.PROTECT, related_name="scores"
    )
    max_points = models.DecimalField(_("maximum points"), **POINTS)
    self_points = models.DecimalField(_("own score"), null=True, blank=True, **POINTS)
    count = models.PositiveIntegerField(_("number of occurrences"), null=True, blank=True)
    actual = models.DecimalField(
        _("actual"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    explanation = models.TextField(_("explanation"), blank=True)
    final_points = models.DecimalField(_("final score"), null=True, blank=True, **POINTS)

    class Meta:
        ordering = ["assessment", "criterion__position"]
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "criterion"], name="one_score_per_criterion"
            ),
            models.CheckConstraint(
                condition=Q(self_points__isnull=True)
                | (Q(self_points__gte=0) & Q(self_points__lte=F("max_points"))),
                name="score_self_points_in_bounds",
                violation_error_message=_("A score lies between 0 and the criterion's maximum."),
            ),
            models.CheckConstraint(
                condition=Q(final_points__isnull=True)
                | (Q(final_points__gte=0) & Q(final_points__lte=F("max_points"))),
                name="score_final_points_in_bounds",
                violation_error_message=_("A score lies between 0 and the criterion's maximum."),
            ),
            models.CheckConstraint(
                condition=Q(actual__isnull=True) | Q(actual__gte=0),
                name="score_actual_not_negative",
            ),
        ]

    def __str__(self):
        return f"{self.assessment} – {self.criterion.code}"


class Evidence(TimeStampedModel):
    """Evidence for one line: an uploaded file (checked by content, stored under a random
    name, served only through a permission-checked view), an activity of the year's work
    plan, or a link to another page of the portal. Exactly one of the three."""

    score = models.ForeignKey(
        Score, verbose_name=_("score"), on_delete=models.CASCADE, related_name="evidence"
    )
    title = models.CharField(_("title"), max_length=255, blank=True)
    file = models.FileField(_("file"), upload_to=evidence_upload_to, max_length=255, blank=True)
    original_name = models.CharField(_("original file name"), max_length=255, blank=True)
    content_type = models.CharField(_("content type"), max_length=100, blank=True)
    size = models.PositiveBigIntegerField(_("size in bytes"), null=True, blank=True)
    activity = models.ForeignKey(
        "plans.Activity",
        verbose_name=_("activity"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    link = models.CharField(
        _("link to a page of the portal"),
        max_length=500,
        blank=True,
        help_text=_("A path inside the portal, e.g. /plans/…"),
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("added by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["score", "created_at", "id"]
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")
        constraints = [
            models.CheckConstraint(
                condition=(~Q(file="") & Q(activity__isnull=True) & Q(link=""))
                | (Q(file="") & Q(activity__isnull=False) & Q(link=""))
                | (Q(file="") & Q(activity__isnull=True) & ~Q(link="")),
                name="evidence_exactly_one_source",
                violation_error_message=_("Evidence is a file, an activity or a link."),
            ),
        ]

    def __str__(self):
        return self.title or self.original_name or self.link or str(self.activity)


class Adjustment(models.Model):
    """A proposed change to one line's score during checking, with its reason, the
    secretariat's decision and the member's one answer. Never deleted: every adjustment is
    kept (who, when, from, to, why)."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        ACCEPTED = "accepted", _("Accepted")
        OVERRIDDEN = "overridden", _("Overridden by the secretariat")
        REJECTED = "rejected", _("Rejected")

    score = models.ForeignKey(
        Score, verbose_name=_("score"), on_delete=models.PROTECT, related_name="adjustments"
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("proposed by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    checker = models.ForeignKey(
        "members.Membership",
        verbose_name=_("checking member"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Empty when the secretariat proposed it."),
    )
    proposed_at = models.DateTimeField(_("proposed at"))
    from_points = models.DecimalField(_("from"), **POINTS)
    to_points = models.DecimalField(_("to"), **POINTS)
    reason = models.TextField(_("reason"))
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PROPOSED
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_points = models.DecimalField(_("decided score"), null=True, blank=True, **POINTS)
    decision_reason = models.TextField(_("reason for the decision"), blank=True)
    answer = models.TextField(_("member's answer"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("answered by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)

    class Meta:
        ordering = ["score", "proposed_at", "id"]
        verbose_name = _("score adjustment")
        verbose_name_plural = _("score adjustments")
        constraints = [
            models.CheckConstraint(
                condition=Q(to_points__gte=0) & Q(from_points__gte=0),
                name="adjustment_points_not_negative",
            ),
            models.CheckConstraint(condition=~Q(reason=""), name="adjustment_has_reason"),
            models.CheckConstraint(
                condition=Q(status="proposed") | Q(decided_at__isnull=False),
                name="adjustment_decision_has_time",
            ),
            models.CheckConstraint(
                condition=~Q(status="overridden") | ~Q(decision_reason=""),
                name="adjustment_override_has_reason",
            ),
        ]

    def __str__(self):
        return f"{self.score}: {self.from_points} → {self.to_points}"


class EvaluationReminder(models.Model):
    """A reminder e-mailed to a department before the self-assessment deadline: one row per
    assessment and day, so the daily job sends at most one reminder per department per day
    however often it runs."""

    assessment = models.ForeignKey(
        Assessment,
        verbose_name=_("self-assessment"),
        on_delete=models.CASCADE,
        related_name="reminders",
    )
    sent_on = models.DateField(_("sent on"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["assessment", "-sent_on"]
        verbose_name = _("self-assessment reminder")
        verbose_name_plural = _("self-assessment reminders")
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "sent_on"], name="one_evaluation_reminder_per_day"
            ),
        ]

    def __str__(self):
        return f"{self.assessment} – {self.sent_on:%d/%m/%Y}"
