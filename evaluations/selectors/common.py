"""Reads shared by the whole evaluation, already scoped and with a fixed number of queries.

Naming (as in every app, see ``members.selectors``): ``<entity>_get(*, keys)`` loads one
object by its URL keys and raises ``DoesNotExist``; ``<entity>_list`` returns several;
``<entity>_<what>`` computes one thing about an entity.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from evaluations import scoring
from evaluations.models import Assessment, Criterion, Evaluation, Score
from members.models import Membership


def evaluation_get(*, code: str, year: int) -> Evaluation:
    """The evaluation of cluster ``code`` in ``year``, with its cluster year, cluster and
    memberships (for the leader). Raises ``Evaluation.DoesNotExist``."""
    return (
        Evaluation.objects.select_related("cluster_year__cluster")
        .prefetch_related("cluster_year__memberships__department")
        .get(cluster_year__cluster__code=code, cluster_year__year=year)
    )


def criterion_list(*, evaluation: Evaluation) -> list[Criterion]:
    """The table's lines in order (one query)."""
    return list(Criterion.objects.filter(evaluation=evaluation).order_by("position"))


def evaluation_lines(*, evaluation: Evaluation, criteria=None) -> list[scoring.Line]:
    """The table as ``scoring.Line`` objects, in order."""
    if criteria is None:
        criteria = criterion_list(evaluation=evaluation)
    return [scoring.Line.of(criterion) for criterion in criteria]


@dataclass
class ResultRow:
    """One member's line of the results table (computed, or as published)."""

    membership: Membership
    subtotals: dict[str, Decimal]
    base: Decimal
    bonus: Decimal
    penalty: Decimal
    total: Decimal
    rank: int
    classification: str
    assessment: Assessment | None = None


def results_compute(*, evaluation: Evaluation, final: bool = True) -> list[ResultRow]:
    """Every member's totals, rank and classification, computed now from the scores, best
    first (ties by name). ``final`` takes each line's final score where there is one (the
    checked score), otherwise the member's own; quantitative lines are recomputed against
    the best unit's actual. Members without an assessment are left out.

    Four queries whatever the number of members and criteria.
    """
    criteria = criterion_list(evaluation=evaluation)
    lines = evaluation_lines(evaluation=evaluation, criteria=criteria)
    by_id = {line.id: line for line in lines}
    assessments = {
        a.pk: a
        for a in Assessment.objects.filter(evaluation=evaluation).select_related(
            "membership__department"
        )
    }
    # Plain tuples, not model instances: a provisional table of 60 members × 200 criteria
    # reads 12,000 lines per request.
    scores = list(
        Score.objects.filter(assessment__evaluation=evaluation).values_list(
            "assessment_id", "criterion_id", "self_points", "final_points", "count", "actual"
        )
    )
    actuals: dict[int, dict[int, Decimal | None]] = defaultdict(dict)
    for assessment_id, criterion_id, _own, _final, _count, actual in scores:
        actuals[assessment_id][criterion_id] = actual
    best = scoring.best_actuals(lines, actuals.values())
    leaf_points: dict[int, dict[int, Decimal | None]] = {pk: {} for pk in assessments}
    for assessment_id, criterion_id, own, final_points, count, actual in scores:
        line = by_id[criterion_id]
        if final and final_points is not None:
            # A checked score stands as decided.
            points = final_points
        elif line.kind == scoring.QUANTITATIVE:
            points = scoring.line_points(line, actual=actual, best=best.get(line.id))
        elif line.kind == scoring.PER_OCCURRENCE:
            points = scoring.line_points(line, count=count)
        else:
            points = own
        leaf_points[assessment_id][criterion_id] = points
    rows = scoring.rank_units(
        lines,
        leaf_points,
        tie_break_by_sections=evaluation.tie_break == Evaluation.TieBreak.SECTIONS,
        thresholds=[(c.label, c.min_total) for c in evaluation.classifications.all()],
        order=lambda assessment_id: assessments[assessment_id].membership.sort_key,
    )
    return [
        ResultRow(
            membership=assessments[assessment_id].membership,
            subtotals=unit_totals.subtotals,
            base=scoring.quantize(unit_totals.base),
            bonus=scoring.quantize(unit_totals.bonus),
            penalty=scoring.quantize(unit_totals.penalty),
            total=unit_totals.total,
            rank=rank,
            classification=classification,
            assessment=assessments[assessment_id],
        )
        for assessment_id, unit_totals, rank, classification in rows
    ]
