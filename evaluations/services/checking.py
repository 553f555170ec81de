"""Checking the submitted self-assessments: the checking method and the cross-checking
assignment, adjusted scores proposed by a checker and decided by the secretariat, the
member's one answer, and finalising an assessment's scores.

Refusals are ``ValidationError`` with a code (named in each docstring) and change nothing;
a user who may not act at all gets ``PermissionDenied``.
"""

from __future__ import annotations

import dataclasses
import random
import secrets
from collections.abc import Hashable, Sequence
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cluster_portal.audit import audit_record
from evaluations import notifications, permissions, scoring
from evaluations.audit import EvaluationAction
from evaluations.models import Adjustment, Assessment, Evaluation, Score
from evaluations.selectors.checking import (
    effective_points,
    own_points,
    submitted_best_actuals,
)
from evaluations.selectors.common import evaluation_lines

# Cross-checking needs at least three members: with two, the only way for each to check
# the other is a pair checking each other; with one, nobody else can check it.
CROSS_CHECKING_MINIMUM = 3


def _refuse(message: str, code: str) -> ValidationError:
    return ValidationError(message, code=code)


def _published_refusal(evaluation: Evaluation) -> None:
    if evaluation.phase == Evaluation.Phase.PUBLISHED:
        raise _refuse(
            _("The results are published: nothing in this evaluation changes any more."),
            "published",
        )


def cross_check_assignment(units: Sequence[Hashable], *, seed: int) -> dict[Hashable, Hashable]:
    """Who checks whom: ``{unit: its checker}`` for ``units`` (three or more, distinct).

    The units are shuffled with ``seed`` and laid on one cycle, each checked by the one
    before it. One cycle through every unit is a derangement (nobody checks itself) with
    no 2-cycle when there are three or more (no pair checks each other), and each unit
    checks exactly one other. The same seed and units give the same assignment; without
    the seed the order cannot be guessed. Raises ``ValueError`` for fewer than three.
    """
    units = list(units)
    if len(units) < CROSS_CHECKING_MINIMUM:
        raise ValueError("Cross-checking needs at least three units.")
    if len(set(units)) != len(units):
        raise ValueError("Units must be distinct.")
    order = sorted(units, key=repr)  # the shuffle depends on the seed, not the input order
    # Reproducible from the seed on purpose; the seed itself comes from ``secrets``.
    random.Random(seed).shuffle(order)  # noqa: S311
    return {unit: order[position - 1] for position, unit in enumerate(order)}


def _lock(evaluation: Evaluation) -> Evaluation:
    """The evaluation re-read under a row lock, so that concurrent changes queue."""
    locked = Evaluation.objects.select_for_update().get(pk=evaluation.pk)
    evaluation.phase = locked.phase
    evaluation.checking_mode = locked.checking_mode
    return evaluation


@transaction.atomic
def checking_mode_set(*, evaluation: Evaluation, mode: str, by, seed: int | None = None) -> None:
    """Choose how the scores are checked (the secretariat, before publication).

    ``secretariat``: the secretariat alone; any cross-checking assignment is cleared.
    ``cross``: every member's assessment gets another member as its checker
    (``cross_check_assignment``; ``seed`` is random unless given, and recorded in the
    audit). Refusals: ``published``; ``too_few_members`` (cross-checking with fewer than
    three); ``adjustments_exist`` (changing the method once adjustments were proposed).
    """
    if not permissions.can_manage_evaluation(by, evaluation):
        raise PermissionDenied
    _lock(evaluation)
    _published_refusal(evaluation)
    if not permissions.can_manage_checking(by, evaluation):
        raise _refuse(
            _("The checking method is chosen once self-assessment is open."), "wrong_phase"
        )
    if mode not in Evaluation.CheckingMode.values:
        raise _refuse(_("Choose a checking method."), "invalid_mode")
    assessments = list(
        Assessment.objects.filter(evaluation=evaluation).select_related("membership")
    )
    if Adjustment.objects.filter(score__assessment__evaluation=evaluation).exists():
        raise _refuse(
            _(
                "Adjusted scores have already been proposed: the checking method can no "
                "longer change."
            ),
            "adjustments_exist",
        )
    details: dict = {"mode": mode}
    if mode == Evaluation.CheckingMode.CROSS:
        if len(assessments) < CROSS_CHECKING_MINIMUM:
            raise _refuse(
                _(
                    "Cross-checking needs at least three members: with two they would check "
                    "each other, with one nobody else could. Let the secretariat check."
                ),
                "too_few_members",
            )
        seed = secrets.randbits(63) if seed is None else seed
        checkers = cross_check_assignment([a.membership_id for a in assessments], seed=seed)
        for assessment in assessments:
            assessment.checker_id = checkers[assessment.membership_id]
        details["seed"] = seed
        details["assignment"] = {
            a.membership.short_name: next(
                b.membership.short_name for b in assessments if b.membership_id == a.checker_id
            )
            for a in assessments
        }
    else:
        for assessment in assessments:
            assessment.checker_id = None
    Assessment.objects.bulk_update(assessments, ["checker"])
    evaluation.checking_mode = mode
    Evaluation.objects.filter(pk=evaluation.pk).update(checking_mode=mode)
    audit_record(
        actor=by,
        action=EvaluationAction.EVALUATION_CHECKING_MODE_SET,
        target=evaluation,
        details={"mode": mode},
    )
    if mode == Evaluation.CheckingMode.CROSS:
        audit_record(
            actor=by, action=EvaluationAction.CHECKERS_ASSIGNED, target=evaluation, details=details
        )


@transaction.atomic
def checker_assign(*, assessment: Assessment, checker, by) -> Assessment:
    """Change who cross-checks ``assessment`` to the member ``checker`` (a Membership of
    the same year): the secretariat, in cross-checking, before publication.

    Refusals: ``published``; ``not_cross`` (the secretariat checks alone); ``own`` (a
    member never checks itself); ``pair`` (two members never check each other);
    ``not_member`` (the checker is not a member of this evaluation); ``adjustments_exist``
    (the current checker already proposed adjustments to it).
    """
    evaluation = assessment.evaluation
    if not permissions.can_manage_evaluation(by, evaluation):
        raise PermissionDenied
    _lock(evaluation)
    _published_refusal(evaluation)
    if evaluation.checking_mode != Evaluation.CheckingMode.CROSS:
        raise _refuse(
            _("The secretariat checks alone: there is no cross-checking assignment."),
            "not_cross",
        )
    if not Assessment.objects.filter(evaluation=evaluation, membership=checker).exists():
        raise _refuse(_("The checker must be a member of this evaluation."), "not_member")
    if checker.pk == assessment.membership_id:
        raise _refuse(_("A member never checks its own assessment."), "own")
    if Assessment.objects.filter(
        evaluation=evaluation, membership=checker, checker_id=assessment.membership_id
    ).exists():
        raise _refuse(
            _(
                "%(checker)s's assessment is checked by %(member)s: two members never check "
                "each other."
            )
            % {"checker": checker.short_name, "member": assessment.membership.short_name},
            "pair",
        )
    if (
        Adjustment.objects.filter(score__assessment=assessment, checker_id=assessment.checker_id)
        .exclude(checker=None)
        .exists()
    ):
        raise _refuse(
            _("The current checker has already proposed adjustments to this assessment."),
            "adjustments_exist",
        )
    previous = assessment.checker.short_name if assessment.checker_id else ""
    assessment.checker = checker
    assessment.save(update_fields=["checker", "updated_at"])
    audit_record(
        actor=by,
        action=EvaluationAction.CHECKERS_ASSIGNED,
        target=assessment,
        details={
            "member": assessment.membership.short_name,
            "from": previous,
            "to": checker.short_name,
        },
    )
    return assessment


def _line(score: Score) -> scoring.Line:
    return scoring.Line.of(score.criterion)


def _checked_new_points(score: Score, value, *, table_step: Decimal) -> Decimal:
    """An adjusted score entered for ``score``'s line, checked: bounds and step of a
    graded, yes/no, bonus or penalty line; for a per-occurrence line the points per
    occurrence are its step; a quantitative line takes any points in its bounds."""
    try:
        value = Decimal(value)
    except (InvalidOperation, TypeError, ValueError):
        raise _refuse(_("Enter the adjusted score as a number."), "invalid") from None
    line = _line(score)
    if line.kind == scoring.PER_OCCURRENCE:
        line = dataclasses.replace(line, kind=scoring.GRADED, step=line.points_per_occurrence)
    elif line.kind == scoring.QUANTITATIVE:
        line = dataclasses.replace(line, kind=scoring.GRADED, step=scoring.CENT)
    return scoring.check_points(line, value, table_step=table_step)


def current_points(score: Score, *, adjustments=None) -> Decimal:
    """The line's score now: the latest standing adjustment, or the member's own points
    (per-occurrence and quantitative computed, against the best submitted unit)."""
    evaluation = score.assessment.evaluation
    line = _line(score)
    best = (
        submitted_best_actuals(evaluation=evaluation, lines=[line])
        if line.kind == scoring.QUANTITATIVE
        else {}
    )
    own = own_points(score, line, best=best, table_step=evaluation.step)
    if adjustments is None:
        adjustments = list(score.adjustments.order_by("proposed_at", "id"))
    return effective_points(own, adjustments)


def _refuse_unless_checking(assessment: Assessment) -> None:
    evaluation = assessment.evaluation
    _published_refusal(evaluation)
    if evaluation.phase != Evaluation.Phase.CHECKING:
        raise _refuse(_("Scores are checked in the checking phase only."), "wrong_phase")
    if assessment.state == Assessment.State.FINALISED:
        raise _refuse(
            _("This assessment has been finalised: its scores no longer change."), "finalised"
        )
    if assessment.state != Assessment.State.SUBMITTED:
        raise _refuse(_("This assessment has not been submitted."), "not_submitted")


@transaction.atomic
def adjustment_propose(*, score: Score, to_points, reason: str, by) -> Adjustment:
    """Propose an adjusted score for one line, with a required reason: the assigned
    checker's users, or the secretariat, during checking. The member is told by e-mail.

    Refusals: ``published``, ``wrong_phase``, ``finalised``, ``not_submitted``;
    ``reason_required``; ``invalid``, ``below_zero``, ``above_max``, ``not_yes_no``,
    ``off_step`` (the new score, as ``scoring.check_points``); ``unchanged`` (the same as
    the current score); ``already_proposed`` (a proposal on this line awaits a decision).
    """
    assessment = score.assessment
    if not permissions.can_view_assessment(by, assessment):
        raise PermissionDenied
    _lock(assessment.evaluation)
    _refuse_unless_checking(assessment)
    if not permissions.can_check_assessment(by, assessment):
        raise PermissionDenied
    reason = (reason or "").strip()
    if not reason:
        raise _refuse(_("Give the reason for the adjusted score."), "reason_required")
    new_points = _checked_new_points(score, to_points, table_step=assessment.evaluation.step)
    adjustments = list(
        Adjustment.objects.select_for_update().filter(score=score).order_by("proposed_at", "id")
    )
    if any(a.status == Adjustment.Status.PROPOSED for a in adjustments):
        raise _refuse(
            _("An adjusted score for this line awaits the secretariat's decision."),
            "already_proposed",
        )
    from_points = current_points(score, adjustments=adjustments)
    if new_points == from_points:
        raise _refuse(_("The adjusted score is the same as the current one."), "unchanged")
    checker = assessment.checker if permissions.is_assigned_checker(by, assessment) else None
    adjustment = Adjustment.objects.create(
        score=score,
        proposed_by=by,
        checker=checker,
        proposed_at=timezone.now(),
        from_points=from_points,
        to_points=new_points,
        reason=reason,
    )
    audit_record(
        actor=by,
        action=EvaluationAction.ADJUSTMENT_PROPOSED,
        target=assessment,
        details={
            "adjustment": adjustment.pk,
            "code": score.criterion.code,
            "from": str(from_points),
            "to": str(new_points),
            "reason": reason,
            "checker": checker.short_name if checker else "",
        },
    )
    notifications.notify_adjustment_proposed(adjustment)
    return adjustment


DECISIONS = ("accept", "override", "reject")


@transaction.atomic
def adjustment_decide(
    *, adjustment: Adjustment, decision: str, by, points=None, reason: str = ""
) -> Adjustment:
    """Decide a proposed adjustment: ``accept`` (the line takes the proposed score),
    ``override`` (the secretariat's own ``points``, with a required ``reason``) or
    ``reject`` (the line keeps its score). The secretariat, during checking.

    Refusals: ``published``, ``wrong_phase``, ``finalised``, ``not_submitted``;
    ``already_decided``; ``invalid_decision``; ``reason_required`` (override); the score's
    own codes for the overriding points.
    """
    assessment = adjustment.score.assessment
    if not permissions.can_manage_evaluation(by, assessment.evaluation):
        raise PermissionDenied
    _lock(assessment.evaluation)
    _refuse_unless_checking(assessment)
    locked = Adjustment.objects.select_for_update().get(pk=adjustment.pk)
    if locked.status != Adjustment.Status.PROPOSED:
        raise _refuse(_("This adjustment has already been decided."), "already_decided")
    if decision not in DECISIONS:
        raise _refuse(_("Accept, override or reject the proposal."), "invalid_decision")
    reason = (reason or "").strip()
    if decision == "accept":
        adjustment.status, adjustment.decided_points = Adjustment.Status.ACCEPTED, locked.to_points
    elif decision == "reject":
        adjustment.status, adjustment.decided_points = Adjustment.Status.REJECTED, None
    else:
        if points in (None, ""):
            raise ValidationError(
                {"points": _refuse(_("Enter the secretariat's score."), "required")}
            )
        if not reason:
            raise ValidationError(
                {
                    "reason": _refuse(
                        _("Give the reason for overriding the proposal."), "reason_required"
                    )
                }
            )
        try:
            decided = _checked_new_points(
                adjustment.score, points, table_step=assessment.evaluation.step
            )
        except ValidationError as error:
            raise ValidationError({"points": error}) from None
        adjustment.status, adjustment.decided_points = Adjustment.Status.OVERRIDDEN, decided
    adjustment.decided_by = by
    adjustment.decided_at = timezone.now()
    adjustment.decision_reason = reason
    adjustment.save(
        update_fields=["status", "decided_points", "decided_by", "decided_at", "decision_reason"]
    )
    audit_record(
        actor=by,
        action=EvaluationAction.ADJUSTMENT_DECIDED,
        target=assessment,
        details={
            "adjustment": adjustment.pk,
            "code": adjustment.score.criterion.code,
            "decision": adjustment.status,
            "points": None if adjustment.decided_points is None else str(adjustment.decided_points),
            "reason": reason,
        },
    )
    return adjustment


@transaction.atomic
def adjustment_answer(*, adjustment: Adjustment, answer: str, by) -> Adjustment:
    """The member's one answer to an adjustment of its assessment, before finalisation:
    the department's staff or signatory.

    Refusals: ``published``, ``wrong_phase``, ``finalised``, ``not_submitted``;
    ``already_answered``; ``answer_required``.
    """
    assessment = adjustment.score.assessment
    if not permissions.is_own_assessment(
        by, assessment
    ) or permissions.member_permissions.is_reviewer(by):
        raise PermissionDenied
    _lock(assessment.evaluation)
    _refuse_unless_checking(assessment)
    locked = Adjustment.objects.select_for_update().get(pk=adjustment.pk)
    if locked.answered_at is not None:
        raise _refuse(_("This adjustment has already been answered."), "already_answered")
    answer = (answer or "").strip()
    if not answer:
        raise ValidationError({"answer": _refuse(_("Write your answer."), "answer_required")})
    adjustment.answer = answer
    adjustment.answered_by = by
    adjustment.answered_at = timezone.now()
    adjustment.save(update_fields=["answer", "answered_by", "answered_at"])
    audit_record(
        actor=by,
        action=EvaluationAction.ADJUSTMENT_ANSWERED,
        target=assessment,
        details={"adjustment": adjustment.pk, "code": adjustment.score.criterion.code},
    )
    return adjustment


@transaction.atomic
def assessment_finalise(*, assessment: Assessment, by) -> Assessment:
    """Finalise the checked scores of ``assessment``: the secretariat, during checking.

    Every line's final score is the latest accepted or overridden adjustment's points, or
    the member's own: per-occurrence lines computed from the count, quantitative lines
    against the best actual of ALL submitted assessments; nothing entered counts as 0.

    Refusals: ``published``, ``wrong_phase``, ``finalised``, ``not_submitted``;
    ``undecided`` (a proposal awaits a decision).
    """
    evaluation = assessment.evaluation
    if not permissions.can_manage_evaluation(by, evaluation):
        raise PermissionDenied
    _lock(evaluation)
    locked = Assessment.objects.select_for_update().get(pk=assessment.pk)
    assessment.state = locked.state
    _refuse_unless_checking(assessment)
    scores = list(
        Score.objects.filter(assessment=assessment)
        .select_related("criterion")
        .order_by("criterion__position")
    )
    adjustments: dict[int, list[Adjustment]] = {score.pk: [] for score in scores}
    for adjustment in Adjustment.objects.filter(score__assessment=assessment).order_by(
        "proposed_at", "id"
    ):
        adjustments[adjustment.score_id].append(adjustment)
    undecided = [
        score.criterion.code
        for score in scores
        if any(a.status == Adjustment.Status.PROPOSED for a in adjustments[score.pk])
    ]
    if undecided:
        raise _refuse(
            _("Decide the proposed adjustments first (lines %(codes)s).")
            % {"codes": ", ".join(undecided)},
            "undecided",
        )
    lines = evaluation_lines(evaluation=evaluation)
    best = submitted_best_actuals(evaluation=evaluation, lines=lines)
    for score in scores:
        own = own_points(score, _line(score), best=best, table_step=evaluation.step)
        score.final_points = effective_points(own, adjustments[score.pk])
    Score.objects.bulk_update(scores, ["final_points"])
    now = timezone.now()
    Assessment.objects.filter(pk=assessment.pk).update(
        state=Assessment.State.FINALISED,
        finalised_at=now,
        finalised_by=by,
        version=locked.version + 1,
        updated_at=now,
    )
    assessment.state = Assessment.State.FINALISED
    assessment.finalised_at, assessment.finalised_by = now, by
    assessment.version = locked.version + 1
    audit_record(
        actor=by,
        action=EvaluationAction.ASSESSMENT_FINALISED,
        target=assessment,
        details={"member": assessment.membership.short_name},
    )
    return assessment
