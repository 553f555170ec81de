"""Writes of a member's self-assessment: saving drafts, submitting, returning (evidence:
``evaluations.services.evidence``).

Each service runs in one transaction under the assessment's row lock
(``select_for_update``), checks permission, phase, state and deadline, validates, writes,
records an audit event, and sends mail after the commit. Refusals are ``ValidationError``
with a code, and nothing is stored:

* ``wrong_department`` (not the department's own staff or signatory), ``not_signatory``,
  ``submitted`` (frozen once submitted), ``phase_closed`` (self-assessment not open),
  ``past_deadline`` (after the deadline or the department's extension);
* ``conflict``: someone else saved since the form was loaded (``Assessment.version``);
* per line, keyed ``value_<score id>`` (the edit form's field names): ``below_zero``,
  ``above_max``, ``not_yes_no``, ``off_step``, ``too_large`` (``scoring.check_points``);
* evidence: ``no_source``, ``several_sources``, ``other_year`` (an activity of another
  cluster year), ``not_a_path``, ``other_host``, ``unknown_page``, and the upload check's
  ``empty``, ``too_large``, ``wrong_type``;
* submitting: ``incomplete`` and ``evidence_missing`` (naming the lines), ``not_confirmed``,
  ``wrong_password``, ``too_many_attempts``;
* returning: ``not_submitted``, ``already_returned``, ``no_reason``, ``not_secretariat``.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from cluster_portal.audit import RequestMeta, audit_record
from cluster_portal.auth import (
    confirmed_password_check,
)
from evaluations import notifications, permissions, scoring
from evaluations.audit import EvaluationAction
from evaluations.models import Assessment, Criterion, Evaluation, Score
from members import permissions as member_permissions

# Counts beyond this are a typing error, not a year's activity (and would not fit the column).
MAX_COUNT = 100_000
MAX_EXPLANATION = 4000
MAX_REPORT = 20_000
MAX_LINK = 500


def value_field(score_id) -> str:
    """The name under which a line's refusal is reported (the edit form's field name)."""
    return f"value_{score_id}"


def _when(value) -> str:
    """A moment as users read it: "14:05 01/12/2026 (GMT+7)"."""
    local = timezone.localtime(value)
    return f"{date_format(local, 'H:i d/m/Y')} ({_('GMT+7')})"


def _locked(assessment: Assessment) -> Assessment:
    """The assessment as stored now, locked for this transaction, with what the checks read."""
    return (
        Assessment.objects.select_for_update(of=("self",))
        .select_related(
            "evaluation__cluster_year__cluster", "membership__department", "checker__department"
        )
        .get(pk=assessment.pk)
    )


def editing_refusal(user, assessment: Assessment, *, now=None) -> tuple[str, str] | None:
    """Why ``user`` may not change ``assessment`` now, as ``(code, message)``; None if they may.

    The reasons, in this order: another department (or no department), the phase, the
    state, the deadline (the department's extension counts).
    """
    if not permissions.is_own_assessment(user, assessment) or member_permissions.is_reviewer(user):
        return (
            "wrong_department",
            _("Only the staff and signatory of %(department)s fill in this self-assessment.")
            % {"department": assessment.membership.full_name},
        )
    if not permissions.is_open_for_editing(assessment):
        return (
            "phase_closed",
            _("Self-assessment is not open: the evaluation is in the phase “%(phase)s”.")
            % {"phase": assessment.evaluation.get_phase_display()},
        )
    if assessment.state != Assessment.State.DRAFT:
        return (
            "submitted",
            _("This self-assessment has been submitted and can no longer be changed."),
        )
    if not permissions.is_before_deadline(assessment, now):
        return (
            "past_deadline",
            _(
                "The deadline (%(deadline)s) has passed; only the secretariat can extend it "
                "for your department."
            )
            % {"deadline": _when(permissions.assessment_deadline(assessment))},
        )
    return None


def _refuse_editing(user, assessment: Assessment) -> None:
    refusal = editing_refusal(user, assessment)
    if refusal is not None:
        code, message = refusal
        raise ValidationError(message, code=code)


@dataclass(frozen=True)
class LineEntry:
    """What was entered on one line: ``points`` (graded, yes/no, bonus, penalty), ``count``
    (per occurrence) or ``actual`` (quantitative), and the explanation. None: left empty."""

    points: Decimal | None = None
    count: int | None = None
    actual: Decimal | None = None
    explanation: str = ""


def entered_points(score: Score, *, table_step: Decimal) -> Decimal | None:
    """The points of a score line as entered (quantitative ones provisional: ``best=None``).
    Raises ``ValidationError`` like ``scoring.line_points``."""
    return scoring.line_points(
        scoring.Line.of(score.criterion),
        points=score.self_points,
        count=score.count,
        actual=score.actual,
        best=None,
        table_step=table_step,
    )


def _line_values(score: Score, entry: LineEntry, *, table_step: Decimal) -> dict:
    """The stored values of one line from its entry, checked; raises ``ValidationError``."""
    line = scoring.Line.of(score.criterion)
    kind = score.criterion.kind
    if kind == Criterion.Kind.PER_OCCURRENCE:
        if entry.count is not None and entry.count > MAX_COUNT:
            raise ValidationError(
                _("A count above %(limit)s is not plausible.") % {"limit": MAX_COUNT},
                code="too_large",
            )
        points = scoring.line_points(line, count=entry.count)
        return {"count": entry.count, "actual": None, "self_points": points}
    if kind == Criterion.Kind.QUANTITATIVE:
        points = scoring.line_points(line, actual=entry.actual, best=None)
        actual = None if entry.actual is None else scoring.quantize(entry.actual)
        return {"count": None, "actual": actual, "self_points": points}
    points = scoring.line_points(line, points=entry.points, table_step=table_step)
    return {"count": None, "actual": None, "self_points": points}


@transaction.atomic
def assessment_save(
    *,
    assessment: Assessment,
    version: int,
    entries: dict[int, LineEntry],
    report: str | None = None,
    by,
    meta: RequestMeta | None = None,
) -> Assessment:
    """Save a draft: the entries of the lines (by score id; lines not named stay as they
    are) and the year-end report summary (None: unchanged). The department's staff and
    signatory, while self-assessment is open, the assessment a draft and before its deadline.

    ``version`` is the version the form was loaded with: if someone saved since, nothing is
    stored and ``ValidationError`` code ``conflict`` says who saved when. Every line is
    checked (``scoring``); a refused line refuses the whole save, each refusal on its line.
    The version grows by one in the same conditional UPDATE that stores the report.
    """
    locked = _locked(assessment)
    _refuse_editing(by, locked)
    if locked.version != version:
        raise ValidationError(
            _(
                "Someone else saved this assessment at %(when)s; your changes were not "
                "saved — here they are. Open the assessment in a new tab to see the saved "
                "version, then save yours again from there."
            )
            % {"when": _when(locked.updated_at)},
            code="conflict",
        )
    scores = {
        score.pk: score
        for score in Score.objects.filter(assessment=locked).select_related("criterion")
    }
    unknown = set(entries) - set(scores)
    if unknown:
        raise ValueError(f"Not lines of this assessment: {sorted(unknown)}")
    errors: dict[str, list[ValidationError]] = {}
    changed: list[Score] = []
    for score_id, entry in entries.items():
        score = scores[score_id]
        explanation = (entry.explanation or "").strip()
        if len(explanation) > MAX_EXPLANATION:
            errors.setdefault(value_field(score_id), []).append(
                ValidationError(
                    _("An explanation has at most %(limit)s characters.")
                    % {"limit": MAX_EXPLANATION},
                    code="too_long",
                )
            )
            continue
        try:
            values = _line_values(score, entry, table_step=locked.evaluation.step)
        except ValidationError as error:
            errors.setdefault(value_field(score_id), []).extend(error.error_list)
            continue
        values["explanation"] = explanation
        if any(getattr(score, name) != value for name, value in values.items()):
            for name, value in values.items():
                setattr(score, name, value)
            changed.append(score)
    previous_report = locked.report
    report = previous_report if report is None else report.strip()
    if len(report) > MAX_REPORT:
        errors.setdefault("report", []).append(
            ValidationError(
                _("The report summary has at most %(limit)s characters.") % {"limit": MAX_REPORT},
                code="too_long",
            )
        )
    if errors:
        raise ValidationError(errors)
    # Compare-and-set: the row lock already serialises savers; the condition on the
    # version is what refuses a save from an older form whatever the database does.
    now = timezone.now()
    updated = Assessment.objects.filter(pk=locked.pk, version=version).update(
        version=F("version") + 1, report=report, updated_at=now
    )
    if not updated:
        raise ValidationError(
            _("Someone else saved this assessment just now; your changes were not saved."),
            code="conflict",
        )
    if changed:
        Score.objects.bulk_update(
            changed, ["self_points", "count", "actual", "explanation"], batch_size=500
        )
    locked.refresh_from_db()
    audit_record(
        actor=by,
        action=EvaluationAction.ASSESSMENT_SAVED,
        target=locked,
        details={
            "version": locked.version,
            "lines": sorted(score.criterion.code for score in changed),
            "report_changed": report != previous_report,
        },
        meta=meta,
    )
    return locked


# Submitting and returning


def submit_problems(assessment: Assessment, scores) -> list[tuple[str, str]]:
    """What keeps ``assessment`` from being submitted, as ``(code, message)``: lines without
    an entry and "evidence required" lines without evidence, naming them. ``scores`` are
    its lines with ``criterion`` and ``evidence`` loaded."""
    empty, unproven = [], []
    for score in scores:
        kind = score.criterion.kind
        if kind == Criterion.Kind.PER_OCCURRENCE:
            entered = score.count is not None
        elif kind == Criterion.Kind.QUANTITATIVE:
            entered = score.actual is not None
        else:
            entered = score.self_points is not None
        if not entered:
            empty.append(score.criterion.code)
        if score.criterion.evidence_required and not list(score.evidence.all()):
            unproven.append(score.criterion.code)
    problems = []
    if empty:
        problems.append(
            (
                "incomplete",
                _("These lines have no entry yet: %(lines)s.") % {"lines": ", ".join(empty)},
            )
        )
    if unproven:
        problems.append(
            (
                "evidence_missing",
                _("These lines require evidence and have none: %(lines)s.")
                % {"lines": ", ".join(unproven)},
            )
        )
    return problems


def submitting_refusal(user, assessment: Assessment) -> tuple[str, str] | None:
    """Why ``user`` may not submit ``assessment`` now (before its lines are looked at)."""
    refusal = editing_refusal(user, assessment)
    if refusal is not None:
        return refusal
    if not user.is_signatory:
        return (
            "not_signatory",
            _("Only the signatory of %(department)s submits its self-assessment.")
            % {"department": assessment.membership.full_name},
        )
    return None


def _check_submission(assessment: Assessment, user) -> None:
    refusal = submitting_refusal(user, assessment)
    if refusal is not None:
        raise ValidationError(refusal[1], code=refusal[0])
    scores = Score.objects.filter(assessment=assessment).select_related("criterion")
    problems = submit_problems(assessment, scores.prefetch_related("evidence"))
    if problems:
        raise ValidationError([ValidationError(message, code=code) for code, message in problems])


def _checked_password(*, assessment, user, password, confirmed, meta) -> None:
    confirmed_password_check(
        user=user,
        password=password,
        confirmed=confirmed,
        refused_action=EvaluationAction.ASSESSMENT_SUBMIT_REFUSED,
        target=assessment,
        meta=meta,
        confirm_message=_("Tick the box to confirm on behalf of your department."),
    )


def assessment_submit(
    *,
    assessment: Assessment,
    by,
    password: str,
    confirmed: bool,
    meta: RequestMeta | None = None,
) -> Assessment:
    """Submit the self-assessment, which freezes it: the department's signatory, with the
    confirmation ticked and the password re-entered (as for signing the covenant), while
    self-assessment is open and before the deadline (or the department's extension), with
    an entry on every line and evidence on every line that requires it. Tells the
    secretariat by e-mail. A wrong password is recorded as a refused submission (committed:
    it counts towards the lock-out like a failed login)."""
    meta = meta or RequestMeta()
    # Checked first outside the transaction, so that a wrong password's record stays.
    _check_submission(assessment, by)
    _checked_password(
        assessment=assessment, user=by, password=password, confirmed=confirmed, meta=meta
    )
    with transaction.atomic():
        locked = _locked(assessment)
        _check_submission(locked, by)
        now = timezone.now()
        Assessment.objects.filter(pk=locked.pk).update(
            state=Assessment.State.SUBMITTED,
            submitted_at=now,
            submitted_by=by,
            version=F("version") + 1,
            updated_at=now,
        )
        locked.refresh_from_db()
        total = assessment_total(locked)
        audit_record(
            actor=by,
            action=EvaluationAction.ASSESSMENT_SUBMITTED,
            target=locked,
            details={
                "department": locked.membership.full_name,
                "signer": by.get_full_name() or by.username,
                "title": by.position,
                "version": locked.version,
                "provisional_total": str(total),
            },
            meta=meta,
        )
        notifications.notify_assessment_submitted(locked, total=total)
        return locked


def assessment_total(assessment: Assessment) -> Decimal:
    """The provisional total of an assessment's own scores (quantitative lines as if the
    unit were the best: ``best=None``)."""
    criteria = list(Criterion.objects.filter(evaluation=assessment.evaluation_id))
    scores = Score.objects.filter(assessment=assessment).select_related("criterion")
    leaf_points = {
        score.criterion_id: entered_points(score, table_step=assessment.evaluation.step)
        for score in scores
    }
    return scoring.totals([scoring.Line.of(c) for c in criteria], leaf_points).total


@transaction.atomic
def assessment_return(
    *, assessment: Assessment, by, reason: str, meta: RequestMeta | None = None
) -> Assessment:
    """Return a submitted assessment to its department with a reason, which reopens it as a
    draft: the secretariat, once per assessment, during self-assessment or checking. Tells
    the department by e-mail."""
    locked = _locked(assessment)
    evaluation = locked.evaluation
    reason = (reason or "").strip()
    if not permissions.can_manage_evaluation(by, evaluation):
        raise ValidationError(
            _("Only the secretariat of the cluster returns a self-assessment."),
            code="not_secretariat",
        )
    if locked.was_returned:
        raise ValidationError(
            _(
                "This self-assessment was already returned once (%(when)s); it cannot be "
                "returned again."
            )
            % {"when": _when(locked.returned_at)},
            code="already_returned",
        )
    if locked.state != Assessment.State.SUBMITTED:
        raise ValidationError(
            _("Only a submitted self-assessment can be returned."), code="not_submitted"
        )
    if evaluation.phase not in (Evaluation.Phase.SELF_ASSESSMENT, Evaluation.Phase.CHECKING):
        raise ValidationError(
            _("Self-assessments can no longer be returned in the phase “%(phase)s”.")
            % {"phase": evaluation.get_phase_display()},
            code="phase_closed",
        )
    if not reason:
        raise ValidationError(
            {"reason": ValidationError(_("Give the reason for returning it."), code="no_reason")}
        )
    if len(reason) > MAX_EXPLANATION:
        raise ValidationError(
            {
                "reason": ValidationError(
                    _("The reason has at most %(limit)s characters.") % {"limit": MAX_EXPLANATION},
                    code="too_long",
                )
            }
        )
    now = timezone.now()
    Assessment.objects.filter(pk=locked.pk).update(
        state=Assessment.State.DRAFT,
        returned_at=now,
        returned_by=by,
        return_reason=reason,
        version=F("version") + 1,
        updated_at=now,
    )
    locked.refresh_from_db()
    audit_record(
        actor=by,
        action=EvaluationAction.ASSESSMENT_RETURNED,
        target=locked,
        details={"department": locked.membership.full_name, "reason": reason},
        meta=meta,
    )
    notifications.notify_assessment_returned(locked)
    return locked
