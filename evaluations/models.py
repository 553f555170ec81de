"""The year-end evaluation of a cluster year: the criteria table, the members'
self-assessments with evidence, the checking of their scores and the published results.

Scores belong to a ``members.Membership`` (the department as it was named that year), so
a department merged away keeps its past scores under its name of that year. Points are
``Decimal`` with two places; bounds are database constraints as well as service checks
(a score row carries a copy of its criterion's maximum, which never changes once the table
is adopted). The arithmetic lives in ``evaluations.scoring`` (pure functions).
"""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from cluster_portal.models import IllustrativeModel, TimeStampedModel
from cluster_portal.uploads import private_name

POINTS = {"max_digits": 7, "decimal_places": 2}


def evidence_upload_to(instance, filename):
    return private_name("evaluations/evidence", filename)


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
