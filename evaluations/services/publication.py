"""Publishing the results: the final table stored as published, once."""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cluster_portal.audit import audit_record
from evaluations import notifications, permissions
from evaluations.audit import EvaluationAction
from evaluations.models import Assessment, Evaluation, Result
from evaluations.selectors.common import results_compute


def _refuse(message: str, code: str) -> ValidationError:
    return ValidationError(message, code=code)


@transaction.atomic
def evaluation_publish(
    *, evaluation: Evaluation, results_number: str, results_date: datetime.date, by
) -> list[Result]:
    """Publish the results: the secretariat, in the checking phase, once every assessment
    is finalised. Stores one ``Result`` per member as ``results_compute(final=True)``
    computes it (subtotals as strings keyed by top-level section code), moves the
    evaluation to ``published`` with the results table's number and date, records
    ``EVALUATION_PUBLISHED`` and ``EVALUATION_PHASE_CHANGED`` and tells every member.

    Refusals: ``published`` (already published); ``wrong_phase``; ``no_assessments``;
    ``not_finalised`` (naming the members); ``number_required``; ``date_required``.
    """
    if not permissions.can_manage_evaluation(by, evaluation):
        raise PermissionDenied
    locked = Evaluation.objects.select_for_update().get(pk=evaluation.pk)
    if locked.phase == Evaluation.Phase.PUBLISHED:
        raise _refuse(_("The results have already been published."), "published")
    if locked.phase != Evaluation.Phase.CHECKING:
        raise _refuse(_("The results are published at the end of checking."), "wrong_phase")
    results_number = (results_number or "").strip()
    errors = {}
    if not results_number:
        errors["results_number"] = _refuse(
            _("Give the number and symbol of the results table."), "number_required"
        )
    if not results_date:
        errors["results_date"] = _refuse(_("Give the date of the results table."), "date_required")
    if errors:
        raise ValidationError(errors)
    assessments = list(
        Assessment.objects.filter(evaluation=evaluation).select_related("membership")
    )
    if not assessments:
        raise _refuse(_("There is no assessment to publish."), "no_assessments")
    pending = [
        a.membership.short_name
        for a in sorted(assessments, key=lambda a: a.membership.sort_key)
        if a.state != Assessment.State.FINALISED
    ]
    if pending:
        raise _refuse(
            _("Finalise every assessment first (still open: %(names)s).")
            % {"names": ", ".join(pending)},
            "not_finalised",
        )
    rows = results_compute(evaluation=evaluation, final=True)
    results = Result.objects.bulk_create(
        [
            Result(
                evaluation=evaluation,
                membership=row.membership,
                subtotals={code: f"{points:.2f}" for code, points in row.subtotals.items()},
                base_points=row.base,
                bonus=row.bonus,
                penalty=row.penalty,
                total=row.total,
                rank=row.rank,
                classification=row.classification,
            )
            for row in rows
        ]
    )
    previous = locked.phase
    now = timezone.now()
    evaluation.phase = Evaluation.Phase.PUBLISHED
    evaluation.published_at = now
    evaluation.results_number = results_number
    evaluation.results_date = results_date
    evaluation.save(
        update_fields=["phase", "published_at", "results_number", "results_date", "updated_at"]
    )
    audit_record(
        actor=by,
        action=EvaluationAction.EVALUATION_PUBLISHED,
        target=evaluation,
        details={
            "number": results_number,
            "date": results_date,
            "results": [
                {"member": row.membership.short_name, "total": str(row.total), "rank": row.rank}
                for row in rows
            ],
        },
    )
    audit_record(
        actor=by,
        action=EvaluationAction.EVALUATION_PHASE_CHANGED,
        target=evaluation,
        details={"from": previous, "to": evaluation.phase},
    )
    notifications.notify_phase_changed(evaluation)
    return results
