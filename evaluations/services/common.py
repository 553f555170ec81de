"""Writes shared by the phases of the evaluation."""

from django.core.exceptions import PermissionDenied
from django.db import transaction

from cluster_portal.audit import audit_record
from evaluations.audit import EvaluationAction
from evaluations.models import Assessment, Criterion, Evaluation, Score
from members import permissions as member_permissions


@transaction.atomic
def evaluation_create(*, cluster_year, by) -> Evaluation:
    """Start the evaluation of ``cluster_year`` in draft, with an empty criteria table:
    the year's secretariat. Returns the existing one if there is already one."""
    if not member_permissions.can_manage_cluster_year(by, cluster_year):
        raise PermissionDenied
    evaluation, created = Evaluation.objects.get_or_create(
        cluster_year=cluster_year, defaults={"is_illustrative": cluster_year.is_illustrative}
    )
    if created:
        audit_record(actor=by, action=EvaluationAction.EVALUATION_CREATED, target=evaluation)
    return evaluation


def assessments_create(*, evaluation: Evaluation) -> list[Assessment]:
    """One draft assessment per member of the year, with one empty score line per leaf of
    the (adopted) table, each carrying the leaf's maximum. Members that already have one
    keep it. Call inside the service that opens self-assessment (or adds a member)."""
    leaves = [
        c
        for c in Criterion.objects.filter(evaluation=evaluation).order_by("position")
        if c.kind != Criterion.Kind.SECTION
    ]
    existing = set(
        Assessment.objects.filter(evaluation=evaluation).values_list("membership_id", flat=True)
    )
    created = Assessment.objects.bulk_create(
        [
            Assessment(evaluation=evaluation, membership=membership)
            for membership in evaluation.cluster_year.memberships.all()
            if membership.pk not in existing
        ]
    )
    Score.objects.bulk_create(
        [
            Score(assessment=assessment, criterion=leaf, max_points=leaf.max_points)
            for assessment in created
            for leaf in leaves
        ]
    )
    return created
