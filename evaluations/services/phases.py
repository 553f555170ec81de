"""Writes of the evaluation's phases and dates: the deadlines, opening self-assessment,
moving to checking, a department's extension, and the reminders before the deadline.

Every service is for the year's secretariat (``permissions.can_manage_evaluation``, else
``PermissionDenied``) except the reminders, which the daily job sends. Each phase change is
an audit event (``EVALUATION_PHASE_CHANGED`` with from/to) and an e-mail to the members
after the commit. Publication is the checking's (``evaluation-publish``).
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cluster_portal.audit import audit_record
from evaluations import notifications, permissions
from evaluations.audit import EvaluationAction
from evaluations.models import Assessment, Evaluation, EvaluationReminder
from evaluations.services.common import assessments_create


def _locked(evaluation: Evaluation) -> Evaluation:
    locked = Evaluation.objects.select_for_update().get(pk=evaluation.pk)
    locked.cluster_year = evaluation.cluster_year
    return locked


def _managed(evaluation: Evaluation, by) -> Evaluation:
    if not permissions.can_manage_evaluation(by, evaluation):
        raise PermissionDenied
    return _locked(evaluation)


def _phase_changed(evaluation: Evaluation, by, before: str, **extra) -> None:
    audit_record(
        actor=by,
        action=EvaluationAction.EVALUATION_PHASE_CHANGED,
        target=evaluation,
        details={"from": before, "to": evaluation.phase, **extra},
    )
    notifications.notify_phase_changed(evaluation)


@transaction.atomic
def evaluation_dates_set(
    *,
    evaluation: Evaluation,
    self_assessment_deadline: datetime.datetime | None,
    checking_deadline: datetime.datetime | None,
    publication_date: datetime.date | None,
    by,
) -> Evaluation:
    """Set the self-assessment deadline, the checking deadline and the planned publication
    date. Refuses ``already_published``, ``checking_before_deadline`` (the checking
    deadline comes after the self-assessment deadline), ``publication_before_checking`` and,
    once self-assessment is open, ``deadline_required`` and ``deadline_past`` (a deadline
    that is already over would close it for everyone)."""
    evaluation = _managed(evaluation, by)
    if evaluation.phase == Evaluation.Phase.PUBLISHED:
        raise ValidationError(
            _("The results are published: the dates no longer change."), code="already_published"
        )
    errors = {}
    if (
        self_assessment_deadline
        and checking_deadline
        and checking_deadline <= self_assessment_deadline
    ):
        errors["checking_deadline"] = ValidationError(
            _("The checking deadline comes after the self-assessment deadline."),
            code="checking_before_deadline",
        )
    if publication_date and checking_deadline:
        checking_day = timezone.localtime(checking_deadline).date()
        if publication_date < checking_day:
            errors["publication_date"] = ValidationError(
                _("The results are published after the checking deadline."),
                code="publication_before_checking",
            )
    changes_open_deadline = (
        evaluation.phase == Evaluation.Phase.SELF_ASSESSMENT
        and self_assessment_deadline != evaluation.self_assessment_deadline
    )
    if changes_open_deadline:
        if self_assessment_deadline is None:
            errors["self_assessment_deadline"] = ValidationError(
                _("Self-assessment is open: it needs a deadline."), code="deadline_required"
            )
        elif self_assessment_deadline <= timezone.now():
            errors["self_assessment_deadline"] = ValidationError(
                _("The deadline must be in the future."), code="deadline_past"
            )
    if errors:
        raise ValidationError(errors)
    before = {
        "self_assessment_deadline": evaluation.self_assessment_deadline,
        "checking_deadline": evaluation.checking_deadline,
        "publication_date": evaluation.publication_date,
    }
    evaluation.self_assessment_deadline = self_assessment_deadline
    evaluation.checking_deadline = checking_deadline
    evaluation.publication_date = publication_date
    evaluation.save(
        update_fields=[
            "self_assessment_deadline",
            "checking_deadline",
            "publication_date",
            "updated_at",
        ]
    )
    audit_record(
        actor=by,
        action=EvaluationAction.EVALUATION_DATES_CHANGED,
        target=evaluation,
        details={
            "from": before,
            "to": {
                "self_assessment_deadline": self_assessment_deadline,
                "checking_deadline": checking_deadline,
                "publication_date": publication_date,
            },
        },
    )
    return evaluation


@transaction.atomic
def evaluation_open_self_assessment(*, evaluation: Evaluation, by) -> Evaluation:
    """Open self-assessment: every member gets its draft assessment with one line per
    criterion, and is told by e-mail. Refuses ``wrong_phase`` (not in draft),
    ``table_not_adopted``, ``deadline_required`` and ``deadline_past``."""
    evaluation = _managed(evaluation, by)
    if evaluation.phase != Evaluation.Phase.DRAFT:
        raise ValidationError(
            _("Self-assessment can only be opened from the draft phase."), code="wrong_phase"
        )
    if not evaluation.table_is_frozen:
        raise ValidationError(
            _("Adopt the criteria table before opening self-assessment."),
            code="table_not_adopted",
        )
    if evaluation.self_assessment_deadline is None:
        raise ValidationError(
            _("Set the self-assessment deadline before opening self-assessment."),
            code="deadline_required",
        )
    if evaluation.self_assessment_deadline <= timezone.now():
        raise ValidationError(
            _("The self-assessment deadline has passed: set a later one first."),
            code="deadline_past",
        )
    before = evaluation.phase
    evaluation.phase = Evaluation.Phase.SELF_ASSESSMENT
    evaluation.save(update_fields=["phase", "updated_at"])
    created = assessments_create(evaluation=evaluation)
    _phase_changed(evaluation, by, before, assessments=len(created))
    return evaluation


@transaction.atomic
def evaluation_start_checking(*, evaluation: Evaluation, by) -> Evaluation:
    """Close self-assessment and move to checking (the method and the cross-check
    assignment are chosen on the checking page). Refuses ``wrong_phase``."""
    evaluation = _managed(evaluation, by)
    if evaluation.phase != Evaluation.Phase.SELF_ASSESSMENT:
        raise ValidationError(
            _("Checking starts only while self-assessment is open."), code="wrong_phase"
        )
    before = evaluation.phase
    evaluation.phase = Evaluation.Phase.CHECKING
    evaluation.save(update_fields=["phase", "updated_at"])
    submitted = evaluation.assessments.exclude(state=Assessment.State.DRAFT).count()
    _phase_changed(evaluation, by, before, submitted=submitted)
    return evaluation


@transaction.atomic
def assessment_deadline_extend(
    *, assessment: Assessment, until: datetime.datetime, reason: str, by
) -> Assessment:
    """Give one department until ``until`` to submit its self-assessment, with a reason;
    the department is told by e-mail. Refuses ``wrong_phase`` (self-assessment is not
    open), ``already_submitted``, ``reason_required``, ``extension_past`` (``until`` is not
    in the future) and ``extension_before_deadline`` (it would shorten the deadline)."""
    evaluation = _managed(assessment.evaluation, by)
    assessment = (
        Assessment.objects.select_for_update()
        .select_related("membership__department")
        .get(pk=assessment.pk, evaluation=evaluation)
    )
    assessment.evaluation = evaluation
    if evaluation.phase != Evaluation.Phase.SELF_ASSESSMENT:
        raise ValidationError(
            _("A deadline is extended only while self-assessment is open."), code="wrong_phase"
        )
    if assessment.state != Assessment.State.DRAFT:
        raise ValidationError(
            _("This department has already submitted its self-assessment."),
            code="already_submitted",
        )
    errors = {}
    reason = (reason or "").strip()
    if not reason:
        errors["reason"] = ValidationError(
            _("Say why the deadline is extended."), code="reason_required"
        )
    if until <= timezone.now():
        errors["until"] = ValidationError(
            _("The new deadline must be in the future."), code="extension_past"
        )
    elif evaluation.self_assessment_deadline and until <= evaluation.self_assessment_deadline:
        errors["until"] = ValidationError(
            _("The new deadline must be later than the deadline for everyone."),
            code="extension_before_deadline",
        )
    if errors:
        raise ValidationError(errors)
    before = assessment.deadline_extended_to
    assessment.deadline_extended_to = until
    assessment.save(update_fields=["deadline_extended_to", "updated_at"])
    audit_record(
        actor=by,
        action=EvaluationAction.ASSESSMENT_DEADLINE_EXTENDED,
        target=assessment,
        details={
            "department": assessment.membership.department.code,
            "from": before or evaluation.self_assessment_deadline,
            "to": until,
            "reason": reason,
        },
    )
    notifications.notify_deadline_extended(assessment, reason=reason)
    return assessment


def reminder_days() -> int:
    """How many days before its deadline a department is reminded (setting)."""
    return settings.EVALUATION_REMINDER_DAYS


@transaction.atomic
def evaluation_send_reminders(*, evaluation: Evaluation, days: int | None = None) -> int:
    """E-mail every department whose self-assessment is still a draft and whose deadline
    (its own extension, or the evaluation's) falls within the next ``days`` days
    (``EVALUATION_REMINDER_DAYS``), at most once per department per day (Vietnam time).
    For the daily ``send_reminders`` job; returns how many departments were reminded."""
    if evaluation.phase != Evaluation.Phase.SELF_ASSESSMENT:
        return 0
    days = reminder_days() if days is None else days
    now = timezone.now()
    horizon = now + datetime.timedelta(days=days)
    today = timezone.localdate()
    assessments = (
        Assessment.objects.filter(evaluation=evaluation, state=Assessment.State.DRAFT)
        .select_related("membership__department")
        .order_by("pk")
    )
    sent = 0
    for assessment in assessments:
        assessment.evaluation = evaluation
        deadline = permissions.assessment_deadline(assessment)
        if deadline is None or not now < deadline <= horizon:
            continue
        _reminder, created = EvaluationReminder.objects.get_or_create(
            assessment=assessment, sent_on=today
        )
        if created:
            notifications.notify_reminder(assessment, deadline=deadline)
            sent += 1
    return sent


def evaluation_reminders_job():
    """The daily job (``send_reminders``): every open self-assessment's reminders, as
    ``(label, number sent)`` pairs."""
    for evaluation in Evaluation.objects.filter(
        phase=Evaluation.Phase.SELF_ASSESSMENT
    ).select_related("cluster_year__cluster"):
        yield f"{evaluation} (self-assessment)", evaluation_send_reminders(evaluation=evaluation)
