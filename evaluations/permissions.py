"""Who may see and do what in the year-end evaluation: one predicate per rule.

* Everyone who may see the cluster year (its members, the secretariat, reviewers, admins)
  reads the evaluation and its criteria table.
* The secretariat (``members.permissions.is_secretariat``) runs the process: table, phases,
  dates, returns, checking, publication. Reviewers read everything and change nothing.
* A member department's staff fill their own self-assessment; its signatory submits it.
* Members see their own assessment; another member's only after publication, except the
  cross-checker assigned to it (from the checking phase on).

Predicates take ``(user, obj)``, return a bool and never raise. Services check them again.
Phase, state and deadline rules that need their own refusal message are checked by the
services; the predicates here answer "may this user act on this object at all now".
"""

from django.utils import timezone

from evaluations.models import Assessment, Evaluation
from members import permissions as member_permissions


def can_view_evaluation(user, evaluation: Evaluation) -> bool:
    """The evaluation and its criteria table: whoever may see the cluster year."""
    return member_permissions.can_view_cluster_year(user, evaluation.cluster_year)


def can_manage_evaluation(user, evaluation: Evaluation) -> bool:
    """Run the evaluation (table, phases, dates, checking, publication): the secretariat
    of the year, or a site admin. Never a reviewer."""
    return member_permissions.can_manage_cluster_year(user, evaluation.cluster_year)


def can_edit_table(user, evaluation: Evaluation) -> bool:
    """Edit, import or copy the criteria table: the secretariat, while it is not adopted."""
    return not evaluation.table_is_frozen and can_manage_evaluation(user, evaluation)


def is_own_assessment(user, assessment: Assessment) -> bool:
    """The user belongs to the department the assessment is about."""
    return (
        user.is_authenticated
        and user.department_id is not None
        and user.department_id == assessment.membership.department_id
    )


def is_assigned_checker(user, assessment: Assessment) -> bool:
    """The user's department cross-checks this assessment (checking phase or later)."""
    return (
        user.is_authenticated
        and user.department_id is not None
        and assessment.checker_id is not None
        and assessment.checker.department_id == user.department_id
        and assessment.evaluation.phase in (Evaluation.Phase.CHECKING, Evaluation.Phase.PUBLISHED)
    )


def can_view_assessment(user, assessment: Assessment) -> bool:
    """Its own department, the secretariat, reviewers and admins; its cross-checker; every
    member of the year once the results are published."""
    evaluation = assessment.evaluation
    if not can_view_evaluation(user, evaluation):
        return False
    if member_permissions.is_site_admin(user) or member_permissions.is_reviewer(user):
        return True
    if member_permissions.is_secretariat(user, evaluation.cluster_year):
        return True
    if is_own_assessment(user, assessment) or is_assigned_checker(user, assessment):
        return True
    return evaluation.phase == Evaluation.Phase.PUBLISHED


def assessment_deadline(assessment: Assessment):
    """The deadline that applies to this assessment: its extension, or the evaluation's."""
    return assessment.deadline_extended_to or assessment.evaluation.self_assessment_deadline


def is_before_deadline(assessment: Assessment, now=None) -> bool:
    deadline = assessment_deadline(assessment)
    return deadline is None or (now or timezone.now()) <= deadline


def is_open_for_editing(assessment: Assessment) -> bool:
    """The phase lets the department edit: self-assessment is open, or the assessment was
    returned to it during checking (it reopens until resubmitted)."""
    phase = assessment.evaluation.phase
    return phase == Evaluation.Phase.SELF_ASSESSMENT or (
        phase == Evaluation.Phase.CHECKING and assessment.was_returned
    )


def can_edit_assessment(user, assessment: Assessment) -> bool:
    """Fill scores, explanations and evidence: the department's own staff and signatory,
    while self-assessment is open, the assessment is a draft and the deadline (or its
    extension) has not passed."""
    return (
        is_own_assessment(user, assessment)
        and not member_permissions.is_reviewer(user)
        and is_open_for_editing(assessment)
        and assessment.state == Assessment.State.DRAFT
        and is_before_deadline(assessment)
    )


def can_submit_assessment(user, assessment: Assessment) -> bool:
    """Submit (confirmation and password): the department's signatory, on the same terms as
    editing."""
    return user.is_authenticated and user.is_signatory and can_edit_assessment(user, assessment)


def can_return_assessment(user, assessment: Assessment) -> bool:
    """Return a submitted assessment with a reason, once: the secretariat, before checking
    is finalised."""
    return (
        assessment.state == Assessment.State.SUBMITTED
        and not assessment.was_returned
        and assessment.evaluation.phase
        in (Evaluation.Phase.SELF_ASSESSMENT, Evaluation.Phase.CHECKING)
        and can_manage_evaluation(user, assessment.evaluation)
    )


def can_view_results(user, evaluation: Evaluation) -> bool:
    """The results table: members once published; the secretariat, reviewers and admins
    at any time (before publication as a provisional table)."""
    if not can_view_evaluation(user, evaluation):
        return False
    if evaluation.phase == Evaluation.Phase.PUBLISHED:
        return True
    return (
        member_permissions.is_site_admin(user)
        or member_permissions.is_reviewer(user)
        or member_permissions.is_secretariat(user, evaluation.cluster_year)
    )


# Checking, adjustments, finalising and publishing (ev-check)


def can_view_checking(user, evaluation: Evaluation) -> bool:
    """The checking overview (method, assignments, progress): the secretariat, reviewers
    and site admins (reviewers read, never change)."""
    if not can_view_evaluation(user, evaluation):
        return False
    return (
        member_permissions.is_site_admin(user)
        or member_permissions.is_reviewer(user)
        or member_permissions.is_secretariat(user, evaluation.cluster_year)
    )


def can_manage_checking(user, evaluation: Evaluation) -> bool:
    """Choose the checking method and change the cross-checking assignment: the
    secretariat, from self-assessment until the results are published."""
    return evaluation.phase in (
        Evaluation.Phase.SELF_ASSESSMENT,
        Evaluation.Phase.CHECKING,
    ) and can_manage_evaluation(user, evaluation)


def can_check_assessment(user, assessment: Assessment) -> bool:
    """Open the checking page of a submitted assessment and propose adjusted scores: the
    users of the assigned checking member, and the secretariat, during checking. Never a
    reviewer, never the member itself (unless it is the secretariat)."""
    if assessment.evaluation.phase != Evaluation.Phase.CHECKING:
        return False
    if assessment.state != Assessment.State.SUBMITTED:
        return False
    if member_permissions.is_reviewer(user):
        return False
    return is_assigned_checker(user, assessment) or can_manage_evaluation(
        user, assessment.evaluation
    )


def can_decide_adjustment(user, adjustment) -> bool:
    """Accept, override or reject a proposed adjustment: the secretariat, during checking,
    while the proposal is undecided and the assessment not finalised."""
    assessment = adjustment.score.assessment
    return (
        adjustment.status == adjustment.Status.PROPOSED
        and assessment.state == Assessment.State.SUBMITTED
        and assessment.evaluation.phase == Evaluation.Phase.CHECKING
        and can_manage_evaluation(user, assessment.evaluation)
    )


def can_answer_adjustment(user, adjustment) -> bool:
    """Answer an adjustment of one's own assessment, once, before it is finalised: the
    member department's staff and signatory."""
    assessment = adjustment.score.assessment
    return (
        not adjustment.answered_at
        and is_own_assessment(user, assessment)
        and not member_permissions.is_reviewer(user)
        and assessment.state == Assessment.State.SUBMITTED
        and assessment.evaluation.phase == Evaluation.Phase.CHECKING
    )


def can_finalise_assessment(user, assessment: Assessment) -> bool:
    """Finalise the checked scores of a submitted assessment: the secretariat, during
    checking."""
    return (
        assessment.state == Assessment.State.SUBMITTED
        and assessment.evaluation.phase == Evaluation.Phase.CHECKING
        and can_manage_evaluation(user, assessment.evaluation)
    )


def can_publish(user, evaluation: Evaluation) -> bool:
    """Publish the results: the secretariat, during checking (the service also requires
    every assessment finalised)."""
    return evaluation.phase == Evaluation.Phase.CHECKING and can_manage_evaluation(user, evaluation)


# Self-assessment evidence (ev-assess)


def can_view_evidence(user, evidence) -> bool:
    """A line's evidence (and its file): whoever may see the assessment it belongs to."""
    return can_view_assessment(user, evidence.score.assessment)
