"""Checking services: the method and assignment, adjusted scores, decisions, the member's
one answer and finalising, each refusal with its own code and nothing stored."""

from decimal import Decimal as D

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from cluster_portal.models import AuditEvent
from evaluations import services
from evaluations.audit import EvaluationAction
from evaluations.models import Adjustment, Assessment, Evaluation
from tests.factories import UserFactory
from tests.helpers import (
    assessment_of,
    checking_of,
    codes,
    evaluation_for,
    score_lines,
    score_of,
    set_checker,
    submit_all,
)

# These tests are about who is told what; the mail tasks run at once (the tasks have their
# own tests through the real worker).
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("tasks_run_at_once")]


def actions():
    return list(AuditEvent.objects.order_by("id").values_list("action", flat=True))


@pytest.fixture
def checking(world):
    """Cluster A in checking, everything submitted; Bắc Ninh cross-checks Hải Phòng, which
    scored 7.5 on I.1 and 3 occurrences on I.3."""
    evaluation = checking_of(world.year_a)
    score_lines(assessment_of(evaluation, world.haiphong), I_1="7.5", I_3=("count", 3))
    set_checker(evaluation, world.haiphong, world.bacninh)
    return evaluation


@pytest.fixture
def checker(world):
    return UserFactory(department=world.bacninh)


def haiphong_line(world, evaluation, code="I.1"):
    return score_of(assessment_of(evaluation, world.haiphong), code)


def propose(score, by, to="6", reason="Minh chứng chưa đầy đủ."):
    return services.adjustment_propose(score=score, to_points=D(to), reason=reason, by=by)


# The method and the assignment


def test_cross_checking_gives_every_member_another_checker_and_is_audited(world):
    evaluation = checking_of(world.year_a)
    services.checking_mode_set(evaluation=evaluation, mode="cross", by=world.secretariat, seed=5)
    checkers = dict(evaluation.assessments.values_list("membership_id", "checker_id"))
    assert all(checker and checker != member for member, checker in checkers.items())
    assert all(checkers[checker] != member for member, checker in checkers.items())
    assert sorted(checkers.values()) == sorted(checkers)
    evaluation.refresh_from_db()
    assert evaluation.checking_mode == "cross"
    assert actions()[-2:] == [
        EvaluationAction.EVALUATION_CHECKING_MODE_SET,
        EvaluationAction.CHECKERS_ASSIGNED,
    ]


def test_cross_checking_with_two_members_is_refused_and_nothing_changes(world):
    evaluation = checking_of(world.year_b)
    admin = UserFactory(department=world.quangninh)
    with pytest.raises(ValidationError) as error:
        services.checking_mode_set(evaluation=evaluation, mode="cross", by=admin)
    assert codes(error.value) == {"too_few_members"}
    evaluation.refresh_from_db()
    assert evaluation.checking_mode == "secretariat"
    assert not evaluation.assessments.exclude(checker=None).exists()


def test_choosing_the_secretariat_clears_the_assignment(world, checking):
    services.checking_mode_set(evaluation=checking, mode="secretariat", by=world.secretariat)
    assert not checking.assessments.exclude(checker=None).exists()


@pytest.mark.parametrize("role", ["signatory", "staff", "outsider", "reviewer"])
def test_only_the_secretariat_chooses_the_method(world, role):
    evaluation = checking_of(world.year_a)
    with pytest.raises(PermissionDenied):
        services.checking_mode_set(evaluation=evaluation, mode="cross", by=world.user(role))


def test_the_method_no_longer_changes_once_adjustments_are_proposed(world, checking, checker):
    propose(haiphong_line(world, checking), checker)
    with pytest.raises(ValidationError) as error:
        services.checking_mode_set(evaluation=checking, mode="cross", by=world.secretariat)
    assert codes(error.value) == {"adjustments_exist"}


def cross_checked(world):
    """Cluster A cross-checked round Hà Nội → Vĩnh Phúc → Hải Phòng → Bắc Ninh → Hà Nội
    (each checks the next)."""
    evaluation = checking_of(world.year_a)
    order = [world.hanoi, world.vinhphuc, world.haiphong, world.bacninh]
    for position, department in enumerate(order):
        set_checker(evaluation, department, order[position - 1])
    return evaluation


def membership(evaluation, department):
    return evaluation.cluster_year.memberships.get(department=department)


def test_the_secretariat_changes_one_checker(world):
    evaluation = cross_checked(world)
    assessment = assessment_of(evaluation, world.haiphong)  # checked by Vĩnh Phúc
    services.checker_assign(
        assessment=assessment, checker=membership(evaluation, world.hanoi), by=world.secretariat
    )
    assert assessment_of(evaluation, world.haiphong).checker.department == world.hanoi
    assert actions()[-1] == EvaluationAction.CHECKERS_ASSIGNED


def test_a_member_is_never_assigned_its_own_assessment(world):
    evaluation = cross_checked(world)
    assessment = assessment_of(evaluation, world.haiphong)
    with pytest.raises(ValidationError) as error:
        services.checker_assign(
            assessment=assessment,
            checker=membership(evaluation, world.haiphong),
            by=world.secretariat,
        )
    assert codes(error.value) == {"own"}


def test_two_members_are_never_assigned_to_check_each_other(world):
    evaluation = cross_checked(world)
    assessment = assessment_of(evaluation, world.haiphong)  # Hải Phòng checks Bắc Ninh
    with pytest.raises(ValidationError) as error:
        services.checker_assign(
            assessment=assessment,
            checker=membership(evaluation, world.bacninh),
            by=world.secretariat,
        )
    assert codes(error.value) == {"pair"}
    assert assessment_of(evaluation, world.haiphong).checker.department == world.vinhphuc


def test_changing_a_checker_is_refused_when_the_secretariat_checks_alone(world):
    evaluation = checking_of(world.year_a)
    with pytest.raises(ValidationError) as error:
        services.checker_assign(
            assessment=assessment_of(evaluation, world.haiphong),
            checker=membership(evaluation, world.bacninh),
            by=world.secretariat,
        )
    assert codes(error.value) == {"not_cross"}


# Proposals


def test_the_assigned_checker_proposes_an_adjusted_score_and_the_member_is_told(
    world, checking, checker, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        adjustment = propose(haiphong_line(world, checking), checker)
    assert (adjustment.from_points, adjustment.to_points) == (D("7.50"), D("6.00"))
    assert adjustment.checker.department == world.bacninh
    assert adjustment.proposed_by == checker
    assert adjustment.status == Adjustment.Status.PROPOSED
    assert actions()[-1] == EvaluationAction.ADJUSTMENT_PROPOSED
    assert sorted(m.to[0] for m in mailoutbox) == sorted([world.signatory.email, world.staff.email])
    assert "I.1" in mailoutbox[0].subject
    assert "Minh chứng chưa đầy đủ." in mailoutbox[0].body


def test_a_proposal_by_the_secretariat_names_no_checking_member(world, checking):
    adjustment = propose(haiphong_line(world, checking), world.secretariat)
    assert adjustment.checker is None


def test_a_per_occurrence_line_is_adjusted_from_its_computed_points_in_its_steps(
    world, checking, checker
):
    line = haiphong_line(world, checking, "I.3")
    assert propose(line, checker, to="2").from_points == D("3.00")
    with pytest.raises(ValidationError) as error:
        propose(haiphong_line(world, checking, "I.4"), checker, to="10.01")
    assert codes(error.value) == {"above_max"}


@pytest.mark.parametrize(
    ("code", "to", "reason", "expected"),
    [
        ("I.1", "6", "  ", "reason_required"),
        ("I.1", "11", "Quá điểm tối đa.", "above_max"),
        ("I.1", "-1", "Âm.", "below_zero"),
        ("I.1", "6.1", "Lệch bước.", "off_step"),
        ("I.2", "2", "Có hoặc không.", "not_yes_no"),
        ("I.1", "7.5", "Như cũ.", "unchanged"),
    ],
)
def test_a_bad_proposal_is_refused_with_its_own_code_and_nothing_stored(
    world, checking, checker, code, to, reason, expected
):
    with pytest.raises(ValidationError) as error:
        propose(haiphong_line(world, checking, code), checker, to=to, reason=reason)
    assert codes(error.value) == {expected}
    assert not Adjustment.objects.exists()


def test_a_second_proposal_waits_for_the_decision_on_the_first(world, checking, checker):
    propose(haiphong_line(world, checking), checker)
    with pytest.raises(ValidationError) as error:
        propose(haiphong_line(world, checking), world.secretariat, to="5")
    assert codes(error.value) == {"already_proposed"}


def test_a_draft_assessment_is_not_checked(world):
    evaluation = submit_all(
        evaluation_for(world.year_a, phase=Evaluation.Phase.CHECKING), except_=[world.haiphong]
    )
    with pytest.raises(ValidationError) as error:
        propose(score_of(assessment_of(evaluation, world.haiphong), "I.1"), world.secretariat)
    assert codes(error.value) == {"not_submitted"}


def test_nothing_is_proposed_before_checking(world):
    evaluation = submit_all(evaluation_for(world.year_a))
    with pytest.raises(ValidationError) as error:
        propose(score_of(assessment_of(evaluation, world.haiphong), "I.1"), world.secretariat)
    assert codes(error.value) == {"wrong_phase"}


@pytest.mark.parametrize("role", ["staff", "signatory", "outsider", "reviewer", "other_member"])
def test_only_the_checker_and_the_secretariat_propose(world, checking, role):
    user = UserFactory(department=world.vinhphuc) if role == "other_member" else world.user(role)
    with pytest.raises(PermissionDenied):
        propose(haiphong_line(world, checking), user)


# Decisions


@pytest.fixture
def proposal(world, checking, checker):
    return propose(haiphong_line(world, checking), checker)


def test_accepting_gives_the_line_the_proposed_score(world, proposal):
    services.adjustment_decide(adjustment=proposal, decision="accept", by=world.secretariat)
    proposal.refresh_from_db()
    assert (proposal.status, proposal.decided_points) == ("accepted", D("6.00"))
    assert proposal.decided_by == world.secretariat and proposal.decided_at
    assert actions()[-1] == EvaluationAction.ADJUSTMENT_DECIDED


def test_overriding_needs_a_reason(world, proposal):
    with pytest.raises(ValidationError) as error:
        services.adjustment_decide(
            adjustment=proposal, decision="override", points=D("7"), by=world.secretariat
        )
    assert codes(error.value) == {"reason_required"}
    proposal.refresh_from_db()
    assert proposal.status == "proposed"


def test_overriding_sets_the_secretariats_score_within_the_bounds(world, proposal):
    with pytest.raises(ValidationError) as error:
        services.adjustment_decide(
            adjustment=proposal,
            decision="override",
            points=D("12"),
            reason="x",
            by=world.secretariat,
        )
    assert codes(error.value) == {"above_max"}
    services.adjustment_decide(
        adjustment=proposal,
        decision="override",
        points=D("7"),
        reason="Có minh chứng bổ sung.",
        by=world.secretariat,
    )
    proposal.refresh_from_db()
    assert (proposal.status, proposal.decided_points) == ("overridden", D("7.00"))


def test_a_rejected_proposal_leaves_the_score_and_is_kept(world, checking, proposal):
    services.adjustment_decide(adjustment=proposal, decision="reject", by=world.secretariat)
    with pytest.raises(ValidationError) as error:
        services.adjustment_decide(adjustment=proposal, decision="accept", by=world.secretariat)
    assert codes(error.value) == {"already_decided"}
    again = propose(haiphong_line(world, checking), world.secretariat, to="5")
    assert again.from_points == D("7.50")
    assert Adjustment.objects.count() == 2


@pytest.mark.parametrize("role", ["staff", "signatory", "outsider", "reviewer", "checker"])
def test_only_the_secretariat_decides(world, proposal, checker, role):
    user = checker if role == "checker" else world.user(role)
    with pytest.raises(PermissionDenied):
        services.adjustment_decide(adjustment=proposal, decision="accept", by=user)


# The member's answer


def test_the_member_answers_an_adjustment_once(world, proposal):
    services.adjustment_answer(adjustment=proposal, answer="Đã bổ sung minh chứng.", by=world.staff)
    proposal.refresh_from_db()
    assert proposal.answer == "Đã bổ sung minh chứng." and proposal.answered_by == world.staff
    assert actions()[-1] == EvaluationAction.ADJUSTMENT_ANSWERED
    with pytest.raises(ValidationError) as error:
        services.adjustment_answer(adjustment=proposal, answer="Lần hai.", by=world.signatory)
    assert codes(error.value) == {"already_answered"}
    proposal.refresh_from_db()
    assert proposal.answer == "Đã bổ sung minh chứng."


def test_an_empty_answer_is_refused(world, proposal):
    with pytest.raises(ValidationError) as error:
        services.adjustment_answer(adjustment=proposal, answer="  ", by=world.staff)
    assert codes(error.value) == {"answer_required"}


@pytest.mark.parametrize("role", ["secretariat", "outsider", "reviewer", "checker"])
def test_only_the_member_answers(world, proposal, checker, role):
    user = checker if role == "checker" else world.user(role)
    with pytest.raises(PermissionDenied):
        services.adjustment_answer(adjustment=proposal, answer="Không đồng ý.", by=user)


def test_no_answer_after_finalisation(world, checking, proposal):
    services.adjustment_decide(adjustment=proposal, decision="accept", by=world.secretariat)
    services.assessment_finalise(
        assessment=assessment_of(checking, world.haiphong), by=world.secretariat
    )
    proposal.refresh_from_db()
    with pytest.raises(ValidationError) as error:
        services.adjustment_answer(adjustment=proposal, answer="Muộn.", by=world.staff)
    assert codes(error.value) == {"finalised"}


# Finalising


def test_finalising_is_refused_while_a_proposal_is_undecided(world, checking, proposal):
    with pytest.raises(ValidationError) as error:
        services.assessment_finalise(
            assessment=assessment_of(checking, world.haiphong), by=world.secretariat
        )
    assert codes(error.value) == {"undecided"}
    assert assessment_of(checking, world.haiphong).state == Assessment.State.SUBMITTED


def test_finalising_sets_every_final_score_with_the_best_submitted_unit(world, checking, proposal):
    score_lines(assessment_of(checking, world.haiphong), I_4=("actual", "120"), II_1="2")
    score_lines(assessment_of(checking, world.bacninh), I_4=("actual", "150"))
    # A draft does not count for the best unit, however high its actual.
    vinhphuc = score_lines(assessment_of(checking, world.vinhphuc), I_4=("actual", "500"))
    Assessment.objects.filter(pk=vinhphuc.pk).update(state=Assessment.State.DRAFT)
    services.adjustment_decide(adjustment=proposal, decision="accept", by=world.secretariat)
    assessment = services.assessment_finalise(
        assessment=assessment_of(checking, world.haiphong), by=world.secretariat
    )
    finals = dict(assessment.scores.values_list("criterion__code", "final_points"))
    assert finals == {
        "I.1": D("6.00"),  # the accepted adjustment
        "I.2": D("0.00"),  # nothing entered
        "I.3": D("3.00"),  # 3 occurrences × 1
        "I.4": D("7.00"),  # 5 + 5 × (120 − 100) / (150 − 100): Bắc Ninh is the best unit
        "II.1": D("2.00"),
        "II.2": D("0.00"),
        "III.1": D("0.00"),
    }
    assessment.refresh_from_db()
    assert assessment.state == Assessment.State.FINALISED
    assert assessment.finalised_by == world.secretariat and assessment.finalised_at
    assert actions()[-1] == EvaluationAction.ASSESSMENT_FINALISED


def test_a_finalised_assessment_takes_no_more_proposals(world, checking, checker):
    services.assessment_finalise(
        assessment=assessment_of(checking, world.haiphong), by=world.secretariat
    )
    with pytest.raises(ValidationError) as error:
        propose(haiphong_line(world, checking), checker)
    assert codes(error.value) == {"finalised"}
    with pytest.raises(ValidationError) as error:
        services.assessment_finalise(
            assessment=assessment_of(checking, world.haiphong), by=world.secretariat
        )
    assert codes(error.value) == {"finalised"}


@pytest.mark.parametrize("role", ["staff", "signatory", "outsider", "reviewer", "checker"])
def test_only_the_secretariat_finalises(world, checking, checker, role):
    user = checker if role == "checker" else world.user(role)
    with pytest.raises(PermissionDenied):
        services.assessment_finalise(assessment=assessment_of(checking, world.haiphong), by=user)
