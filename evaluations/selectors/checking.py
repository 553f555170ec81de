"""Reads of the checking phase: the assignment overview, one assessment's lines with
their evidence and adjustments, and the effective score of a line.

Every function costs a fixed number of queries whatever the number of members, lines and
adjustments.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Prefetch, Q

from evaluations import scoring
from evaluations.models import Adjustment, Assessment, Criterion, Evidence, Score
from evaluations.selectors.common import criterion_list, evaluation_lines

# An adjustment whose decided points stand (a rejected one leaves the score as it was).
STANDING = (Adjustment.Status.ACCEPTED, Adjustment.Status.OVERRIDDEN)
# What the assessment pages load with each assessment so that the permission predicates
# (secretariat, assigned checker, own department) need no further query.
ASSESSMENT_RELATED = (
    "evaluation__cluster_year__cluster",
    "membership__department",
    "checker__department",
)


def checking_assessment_get(*, code: str, year: int, department: str) -> Assessment:
    """The assessment of ``department`` in the evaluation of cluster ``code`` in ``year``,
    with what the checking predicates read. Raises ``Assessment.DoesNotExist``."""
    return (
        Assessment.objects.select_related(*ASSESSMENT_RELATED)
        .prefetch_related("evaluation__cluster_year__memberships__department")
        .get(
            evaluation__cluster_year__cluster__code=code,
            evaluation__cluster_year__year=year,
            membership__department__code=department,
        )
    )


def adjustment_get(*, code: str, year: int, pk: int) -> Adjustment:
    """One adjustment of the evaluation of cluster ``code`` in ``year``, with its line,
    assessment and people. Raises ``Adjustment.DoesNotExist``."""
    return (
        Adjustment.objects.select_related(
            *(f"score__assessment__{name}" for name in ASSESSMENT_RELATED),
            "score__criterion",
            "proposed_by",
            "checker",
        )
        .prefetch_related("score__assessment__evaluation__cluster_year__memberships__department")
        .get(
            pk=pk,
            score__assessment__evaluation__cluster_year__cluster__code=code,
            score__assessment__evaluation__cluster_year__year=year,
        )
    )


def checking_score_get(*, code: str, year: int, pk: int) -> Score:
    """One score line of the evaluation of cluster ``code`` in ``year``, with its
    assessment and criterion. Raises ``Score.DoesNotExist``."""
    return (
        Score.objects.select_related(
            *(f"assessment__{name}" for name in ASSESSMENT_RELATED), "criterion"
        )
        .prefetch_related("assessment__evaluation__cluster_year__memberships__department")
        .get(
            pk=pk,
            assessment__evaluation__cluster_year__cluster__code=code,
            assessment__evaluation__cluster_year__year=year,
        )
    )


def adjustment_list(*, assessment: Assessment) -> list[Adjustment]:
    """Every adjustment of ``assessment``, in the table's order and then as proposed, with
    who proposed, decided and answered it (one query)."""
    adjustments = list(
        Adjustment.objects.filter(score__assessment=assessment)
        .select_related("score__criterion", "proposed_by", "decided_by", "answered_by", "checker")
        .order_by("score__criterion__position", "proposed_at", "id")
    )
    for adjustment in adjustments:
        # The assessment is loaded already, with what the predicates read.
        adjustment.score.assessment = assessment
    return adjustments


def submitted_best_actuals(*, evaluation, lines) -> dict:
    """The best actual of every quantitative line across all submitted (or finalised)
    assessments of ``evaluation`` (one query)."""
    actuals: dict[int, dict[int, Decimal | None]] = defaultdict(dict)
    quantitative = [line.id for line in lines if line.kind == scoring.QUANTITATIVE]
    if not quantitative:
        return {}
    for assessment_id, criterion_id, actual in Score.objects.filter(
        assessment__evaluation=evaluation,
        assessment__state__in=(Assessment.State.SUBMITTED, Assessment.State.FINALISED),
        criterion_id__in=quantitative,
    ).values_list("assessment_id", "criterion_id", "actual"):
        actuals[assessment_id][criterion_id] = actual
    return scoring.best_actuals(lines, actuals.values())


def own_points(score: Score, line: scoring.Line, *, best: dict, table_step) -> Decimal:
    """The member's own points on a line (computed for per-occurrence and quantitative
    lines, against the best unit), 0 when nothing was entered."""
    points = scoring.line_points(
        line,
        points=score.self_points,
        count=score.count,
        actual=score.actual,
        best=best.get(line.id),
        table_step=table_step,
    )
    return scoring.ZERO if points is None else points


def effective_points(own: Decimal, adjustments: list[Adjustment]) -> Decimal:
    """A line's current score: the points of its latest accepted or overridden
    adjustment, otherwise the member's own points."""
    for adjustment in reversed(adjustments):
        if adjustment.status in STANDING:
            return adjustment.decided_points
    return own


@dataclass
class CheckLine:
    """One row of the checking page: a section heading (no score) or a line with its
    score, evidence, adjustments and current points."""

    criterion: Criterion
    score: Score | None = None
    own: Decimal | None = None
    current: Decimal | None = None
    evidence: list[Evidence] = field(default_factory=list)
    adjustments: list[Adjustment] = field(default_factory=list)

    @property
    def undecided(self) -> bool:
        return any(a.status == Adjustment.Status.PROPOSED for a in self.adjustments)


def check_lines(*, assessment: Assessment) -> list[CheckLine]:
    """Every line of the table for the checking page of ``assessment``, in order (five
    queries)."""
    evaluation = assessment.evaluation
    criteria = criterion_list(evaluation=evaluation)
    lines = {line.id: line for line in evaluation_lines(evaluation=evaluation, criteria=criteria)}
    best = submitted_best_actuals(evaluation=evaluation, lines=list(lines.values()))
    scores = {
        score.criterion_id: score
        for score in Score.objects.filter(assessment=assessment).prefetch_related(
            Prefetch("evidence", queryset=Evidence.objects.select_related("activity"))
        )
    }
    adjustments: dict[int, list[Adjustment]] = defaultdict(list)
    for adjustment in adjustment_list(assessment=assessment):
        adjustments[adjustment.score_id].append(adjustment)
    rows = []
    for criterion in criteria:
        score = scores.get(criterion.pk)
        if criterion.is_section or score is None:
            rows.append(CheckLine(criterion=criterion))
            continue
        own = own_points(score, lines[criterion.pk], best=best, table_step=evaluation.step)
        line_adjustments = adjustments.get(score.pk, [])
        rows.append(
            CheckLine(
                criterion=criterion,
                score=score,
                own=own,
                current=effective_points(own, line_adjustments),
                evidence=list(score.evidence.all()),
                adjustments=line_adjustments,
            )
        )
    return rows


def checking_overview(*, evaluation) -> list[Assessment]:
    """Every assessment of ``evaluation`` with its member, checker and the number of its
    undecided and all adjustments (``undecided_count``, ``adjustment_count``), by the
    member's name (one query)."""
    return list(
        Assessment.objects.filter(evaluation=evaluation)
        .select_related("membership__department", "checker__department")
        .annotate(
            adjustment_count=Count("scores__adjustments"),
            undecided_count=Count(
                "scores__adjustments",
                filter=Q(scores__adjustments__status=Adjustment.Status.PROPOSED),
            ),
        )
        .order_by("membership__sort_key")
    )


def checking_attention_items(*, user, cluster_years) -> dict[int, list]:
    """Dashboard items of the checking phase, by cluster year: an assessment the user's
    department cross-checks; adjusted scores of its own assessment it may still answer;
    for the secretariat, proposals awaiting its decision. At most three queries whatever
    the number of years."""
    from django.urls import reverse
    from django.utils.translation import gettext as _
    from django.utils.translation import ngettext

    from evaluations.selectors.attention import EVALUATION_KIND
    from members import permissions as member_permissions
    from members.selectors import AttentionItem

    by_year = {cy.pk: cy for cy in cluster_years}
    items: dict[int, list] = {pk: [] for pk in by_year}
    if not user.is_authenticated or member_permissions.is_reviewer(user) or not by_year:
        return items
    in_checking = {
        "evaluation__cluster_year_id__in": list(by_year),
        "evaluation__phase": "checking",
        "state": Assessment.State.SUBMITTED,
    }

    def url(name, cluster_year, **kwargs):
        return reverse(
            f"evaluations:{name}",
            kwargs={"code": cluster_year.cluster.code, "year": cluster_year.year, **kwargs},
        )

    if user.department_id is not None:
        for assessment in Assessment.objects.filter(
            checker__department_id=user.department_id, **in_checking
        ).select_related("membership__department", "evaluation"):
            cluster_year = by_year[assessment.evaluation.cluster_year_id]
            items[cluster_year.pk].append(
                AttentionItem(
                    _("Cross-check the self-assessment of %(member)s")
                    % {"member": assessment.membership.short_name},
                    url(
                        "assessment-check",
                        cluster_year,
                        department=assessment.membership.department.code,
                    ),
                    EVALUATION_KIND,
                    f"cross-check:{assessment.pk}",
                )
            )
        unanswered: dict[int, list[Adjustment]] = defaultdict(list)
        for adjustment in (
            Adjustment.objects.filter(
                answered_at__isnull=True,
                **{f"score__assessment__{key}": value for key, value in in_checking.items()},
                score__assessment__membership__department_id=user.department_id,
            )
            .select_related("score__assessment__evaluation")
            .order_by("proposed_at", "id")
        ):
            unanswered[adjustment.score.assessment.evaluation.cluster_year_id].append(adjustment)
        for cluster_year_id, adjustments in unanswered.items():
            cluster_year = by_year[cluster_year_id]
            items[cluster_year_id].append(
                AttentionItem(
                    ngettext(
                        "%(count)s adjusted score of your self-assessment can be answered",
                        "%(count)s adjusted scores of your self-assessment can be answered",
                        len(adjustments),
                    )
                    % {"count": len(adjustments)},
                    url("adjustment-answer", cluster_year, pk=adjustments[0].pk),
                    EVALUATION_KIND,
                    # A newly adjusted score is news again.
                    f"adjustments-answer:{cluster_year_id}:{max(a.pk for a in adjustments)}",
                )
            )
    managed = [pk for pk, cy in by_year.items() if member_permissions.is_secretariat(user, cy)]
    if managed:
        undecided = (
            Adjustment.objects.filter(
                status=Adjustment.Status.PROPOSED,
                score__assessment__evaluation__cluster_year_id__in=managed,
                score__assessment__evaluation__phase="checking",
            )
            .order_by()
            .values_list("score__assessment__evaluation__cluster_year_id")
            .annotate(count=Count("id"))
        )
        for cluster_year_id, count in undecided:
            items[cluster_year_id].append(
                AttentionItem(
                    ngettext(
                        "%(count)s adjusted score awaits the secretariat's decision",
                        "%(count)s adjusted scores await the secretariat's decision",
                        count,
                    )
                    % {"count": count},
                    url("checking-detail", by_year[cluster_year_id]),
                )
            )
    return items
