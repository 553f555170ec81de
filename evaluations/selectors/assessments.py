"""Reads of one member's self-assessment: the assessment by its URL keys, its lines with
scores and evidence, and its evidence. Fixed numbers of queries whatever the table's size.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db.models import Prefetch

from evaluations import scoring
from evaluations.models import Assessment, Criterion, Evidence, Score
from evaluations.selectors.common import criterion_list
from members.models import Membership
from plans.models import Activity


def assessment_get(*, code: str, year: int, department: str) -> Assessment:
    """The assessment of department ``department`` (its code) in cluster ``code``'s
    evaluation of ``year``, with its evaluation, cluster year (and memberships, for the
    leader), member and the people who submitted and returned it. Raises
    ``Assessment.DoesNotExist``. Two queries."""
    return (
        Assessment.objects.select_related(
            "evaluation__cluster_year__cluster",
            "membership__department",
            "checker__department",
            "submitted_by",
            "returned_by",
        )
        .prefetch_related(
            Prefetch(
                "evaluation__cluster_year__memberships",
                queryset=Membership.objects.select_related("department").order_by("sort_key"),
            )
        )
        .get(
            evaluation__cluster_year__cluster__code=code,
            evaluation__cluster_year__year=year,
            membership__department__code=department,
        )
    )


@dataclass
class SheetRow:
    """One line of the table as an assessment shows it: a section (its maximum and
    subtotal) or a criterion (its score line, points and evidence)."""

    criterion: Criterion
    depth: int
    maximum: Decimal
    points: Decimal | None
    score: Score | None = None
    evidence: list[Evidence] = field(default_factory=list)
    problem: str = ""

    @property
    def is_section(self) -> bool:
        return self.criterion.is_section


@dataclass
class AssessmentSheet:
    """Every line of an assessment, in table order, and its provisional totals."""

    rows: list[SheetRow]
    totals: scoring.Totals
    maximum: Decimal
    scores: list[Score]
    has_quantitative: bool

    @property
    def score_rows(self) -> list[SheetRow]:
        return [row for row in self.rows if not row.is_section]


def assessment_sheet(*, assessment: Assessment) -> AssessmentSheet:
    """The lines of ``assessment`` with their entries, points and evidence, and the
    provisional totals (``scoring.totals``; quantitative lines computed as if this unit were
    the best, ``best=None``). A line whose stored entry no longer checks (which the
    services prevent) counts 0 and carries the refusal as ``problem``. Three queries."""
    evaluation = assessment.evaluation
    criteria = criterion_list(evaluation=evaluation)
    lines = [scoring.Line.of(criterion) for criterion in criteria]
    scores = list(
        Score.objects.filter(assessment=assessment).prefetch_related(
            Prefetch(
                "evidence",
                queryset=Evidence.objects.select_related("activity").order_by("created_at", "id"),
            )
        )
    )
    by_criterion = {score.criterion_id: score for score in scores}
    by_id = {criterion.pk: criterion for criterion in criteria}
    leaf_points: dict[int, Decimal | None] = {}
    problems: dict[int, str] = {}
    for criterion, line in zip(criteria, lines, strict=True):
        score = by_criterion.get(criterion.pk)
        if criterion.is_section or score is None:
            continue
        score.criterion = criterion  # no query per line
        try:
            leaf_points[criterion.pk] = scoring.line_points(
                line,
                points=score.self_points,
                count=score.count,
                actual=score.actual,
                best=None,
                table_step=evaluation.step,
            )
        except ValidationError as error:
            leaf_points[criterion.pk] = None
            problems[criterion.pk] = " ".join(error.messages)
    totals = scoring.totals(lines, leaf_points)
    maxima = scoring.section_maxima(lines)
    depth: dict[int, int] = {}
    rows = []
    for criterion in criteria:
        parent = by_id.get(criterion.parent_id)
        depth[criterion.pk] = 0 if parent is None else depth.get(parent.pk, 0) + 1
        score = by_criterion.get(criterion.pk)
        if criterion.is_section:
            points = totals.by_line.get(criterion.pk)
        else:
            points = leaf_points.get(criterion.pk)
        rows.append(
            SheetRow(
                criterion=criterion,
                depth=depth[criterion.pk],
                maximum=maxima.get(criterion.pk, scoring.ZERO),
                points=points,
                score=score,
                evidence=list(score.evidence.all()) if score is not None else [],
                problem=problems.get(criterion.pk, ""),
            )
        )
    roots = [line for line in lines if line.parent_id is None]
    children = {}
    for line in lines:
        children.setdefault(line.parent_id, []).append(line)
    maximum = sum(
        (
            maxima.get(root.id, scoring.ZERO)
            for root in roots
            if scoring.section_role(root, children) == "base"
        ),
        scoring.ZERO,
    )
    return AssessmentSheet(
        rows=rows,
        totals=totals,
        maximum=scoring.quantize(maximum),
        scores=[by_criterion[c.pk] for c in criteria if c.pk in by_criterion],
        has_quantitative=any(line.kind == scoring.QUANTITATIVE for line in lines),
    )


def evidence_get(*, assessment: Assessment, pk: int) -> Evidence:
    """Evidence ``pk`` of one of ``assessment``'s lines, with its line and criterion (the
    assessment object is reused). Raises ``Evidence.DoesNotExist``."""
    evidence = Evidence.objects.select_related("score__criterion", "activity").get(
        pk=pk, score__assessment=assessment
    )
    evidence.score.assessment = assessment
    return evidence


def evidence_activity_list(*, assessment: Assessment) -> list[Activity]:
    """The activities of the assessment's cluster year's work plan, by date (the choices
    of the evidence picker). One query."""
    return list(
        Activity.objects.filter(
            work_plan__cluster_year_id=assessment.evaluation.cluster_year_id
        ).order_by("starts_on", "title", "id")
    )
