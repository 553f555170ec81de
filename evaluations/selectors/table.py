"""Reads of the hub and the criteria table, with a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.urls import reverse
from django.utils.translation import gettext as _

from evaluations import permissions, scoring
from evaluations.models import Assessment, Criterion, Evaluation
from evaluations.selectors.common import criterion_list
from members import permissions as member_permissions
from members import selectors as member_selectors
from members.selectors import AttentionItem


@dataclass(frozen=True)
class TableRow:
    """A line of the table page: the criterion, its depth in the tree and its maximum
    (a section's computed from its lines)."""

    criterion: Criterion
    depth: int
    maximum: Decimal
    first: bool
    last: bool

    @property
    def factors(self) -> tuple[str, str]:
        """The quantitative rule's factors as written in Vietnamese: "0,5", not "0,5000"."""
        return tuple(
            format(value.normalize(), "f").replace(".", ",")
            for value in (self.criterion.below_target_factor, self.criterion.at_target_factor)
        )

    @property
    def indent(self) -> int:
        """Bootstrap's padding step for the depth (no inline styles under the CSP)."""
        return (0, 3, 4)[self.depth] if self.depth < 3 else 5


def table_rows(
    *, evaluation: Evaluation, criteria: list[Criterion] | None = None
) -> list[TableRow]:
    """The table in order with depths and maxima (``scoring.section_maxima``); one query."""
    if criteria is None:
        criteria = criterion_list(evaluation=evaluation)
    maxima = scoring.section_maxima([scoring.Line.of(c) for c in criteria])
    parents = {c.pk: c.parent_id for c in criteria}
    siblings: dict[int | None, list[int]] = {}
    for criterion in criteria:
        siblings.setdefault(criterion.parent_id, []).append(criterion.pk)
    rows = []
    for criterion in criteria:
        depth, parent = 0, criterion.parent_id
        while parent is not None and depth < 50:
            depth, parent = depth + 1, parents.get(parent)
        group = siblings[criterion.parent_id]
        rows.append(
            TableRow(
                criterion=criterion,
                depth=depth,
                maximum=maxima.get(criterion.pk, scoring.ZERO),
                first=group[0] == criterion.pk,
                last=group[-1] == criterion.pk,
            )
        )
    return rows


@dataclass(frozen=True)
class TableSummary:
    """The table at a glance: the top-level sections with their maxima, the base total
    (sections that are neither bonus nor penalty), the number of criteria and the problems
    that stop its adoption."""

    sections: list[TableRow]
    base_total: Decimal
    criteria: int
    problems: list[str]


def table_summary(*, rows: list[TableRow]) -> TableSummary:
    """Computed from ``table_rows`` (no query)."""
    criteria = [row.criterion for row in rows]
    lines = [scoring.Line.of(c) for c in criteria]
    children: dict = {}
    for line in lines:
        children.setdefault(line.parent_id, []).append(line)
    sections = [row for row in rows if row.depth == 0]
    base_total = sum(
        (
            row.maximum
            for row, line in zip(rows, lines, strict=True)
            if row.depth == 0 and scoring.section_role(line, children) == "base"
        ),
        scoring.ZERO,
    )
    return TableSummary(
        sections=sections,
        base_total=base_total,
        criteria=sum(1 for c in criteria if not c.is_section),
        problems=scoring.table_problems(lines) if criteria else [],
    )


def table_sections(*, evaluation: Evaluation):
    """The sections of the table (choices of a line's section), in table order."""
    return Criterion.objects.filter(evaluation=evaluation, kind=Criterion.Kind.SECTION).order_by(
        "position"
    )


def criterion_get(*, evaluation: Evaluation, pk: int) -> Criterion:
    """A line of this evaluation's table; raises ``Criterion.DoesNotExist``."""
    criterion = Criterion.objects.select_related("parent").get(evaluation=evaluation, pk=pk)
    criterion.evaluation = evaluation
    return criterion


def assessments_visible(*, evaluation: Evaluation, user) -> list[Assessment]:
    """The assessments the hub lists for ``user``: every member's for the secretariat,
    reviewers and admins; the user's own department's for a member. One query."""
    queryset = (
        Assessment.objects.filter(evaluation=evaluation)
        .select_related("membership__department")
        .order_by("membership__sort_key")
    )
    cluster_year = evaluation.cluster_year
    sees_all = (
        member_permissions.is_site_admin(user)
        or member_permissions.is_reviewer(user)
        or member_permissions.is_secretariat(user, cluster_year)
    )
    if not sees_all:
        if user.department_id is None:
            return []
        queryset = queryset.filter(membership__department_id=user.department_id)
    assessments = list(queryset)
    for assessment in assessments:
        assessment.evaluation = evaluation
    return assessments


def assessment_for_department(*, evaluation: Evaluation, department_code: str) -> Assessment:
    """The assessment of the member ``department_code``; raises ``Assessment.DoesNotExist``."""
    assessment = Assessment.objects.select_related("membership__department").get(
        evaluation=evaluation, membership__department__code=department_code
    )
    assessment.evaluation = evaluation
    return assessment


def previous_table_year(*, evaluation: Evaluation) -> int | None:
    """The cluster's previous year if its evaluation has a table to copy, else None (the
    year ``services.table_copy_previous`` copies from). Two queries."""
    cluster_year = evaluation.cluster_year
    previous = member_selectors.cluster_year_before(
        cluster=cluster_year.cluster, year=cluster_year.year
    )
    if previous is None:
        return None
    if not Criterion.objects.filter(evaluation__cluster_year=previous).exists():
        return None
    return previous.year


def evaluation_year_links(*, user, cluster_years) -> dict[int, list[AttentionItem]]:
    """Links from years to their evaluation (the hub) and its results where the user may
    see them, or to starting one for the secretariat (one query)."""
    evaluations = {
        e.cluster_year_id: e
        for e in Evaluation.objects.filter(cluster_year__in=[cy.pk for cy in cluster_years])
    }
    links: dict[int, list[AttentionItem]] = {}
    for cluster_year in cluster_years:
        evaluation = evaluations.get(cluster_year.pk)
        kwargs = {"code": cluster_year.cluster.code, "year": cluster_year.year}
        if evaluation is not None:
            evaluation.cluster_year = cluster_year
            links[cluster_year.pk] = [
                AttentionItem(
                    _("Year-end evaluation (%(phase)s)")
                    % {"phase": evaluation.get_phase_display()},
                    reverse("evaluations:evaluation-detail", kwargs=kwargs),
                )
            ]
            if permissions.can_view_results(user, evaluation):
                links[cluster_year.pk].append(
                    AttentionItem(
                        _("Results of the evaluation")
                        if evaluation.phase == Evaluation.Phase.PUBLISHED
                        else _("Results of the evaluation (provisional)"),
                        reverse("evaluations:results-detail", kwargs=kwargs),
                    )
                )
        elif member_permissions.can_manage_cluster_year(user, cluster_year):
            links[cluster_year.pk] = [
                AttentionItem(
                    _("Start the year-end evaluation"),
                    reverse("evaluations:evaluation-start", kwargs=kwargs),
                )
            ]
    return links
