"""Publishing the results: stored as ``results_compute`` computes them, once, and then
nothing changes."""

import datetime
from decimal import Decimal as D

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from cluster_portal.models import AuditEvent
from evaluations import services
from evaluations.audit import EvaluationAction
from evaluations.models import Evaluation, Result
from evaluations.selectors import results_compute
from tests.helpers import assessment_of, checking_of, codes, score_lines, score_of

# The phase-change e-mail links to the evaluation hub (ev-table's page): see the module.
# These tests are about who is told what; the mail tasks run at once (the tasks have their
# own tests through the real worker).
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("tasks_run_at_once")]

DATE = datetime.date(2025, 1, 15)


def finalised(world):
    """Cluster A in checking with scores entered and every assessment finalised."""
    evaluation = checking_of(world.year_a)
    score_lines(assessment_of(evaluation, world.hanoi), I_1="10", I_4=("actual", "150"), II_1="3")
    score_lines(assessment_of(evaluation, world.haiphong), I_1="8", I_4=("actual", "120"))
    score_lines(assessment_of(evaluation, world.bacninh), I_1="8", I_3=("count", 4), III_1="2")
    for assessment in evaluation.assessments.all():
        services.assessment_finalise(assessment=assessment, by=world.secretariat)
    evaluation.refresh_from_db()
    return evaluation


def publish(evaluation, by, number="05/BC-CTĐ", date=DATE):
    return services.evaluation_publish(
        evaluation=evaluation, results_number=number, results_date=date, by=by
    )


def test_publishing_stores_one_result_per_member_equal_to_the_computed_table(world):
    evaluation = finalised(world)
    expected = results_compute(evaluation=evaluation, final=True)
    publish(evaluation, world.secretariat)
    stored = list(Result.objects.filter(evaluation=evaluation).order_by("rank", "id"))
    assert [
        (r.membership, r.subtotals, r.base_points, r.bonus, r.penalty, r.total, r.rank)
        for r in stored
    ] == [
        (
            row.membership,
            {code: f"{value:.2f}" for code, value in row.subtotals.items()},
            row.base,
            row.bonus,
            row.penalty,
            row.total,
            row.rank,
        )
        for row in expected
    ]
    by_code = {r.membership.department.code: r for r in stored}
    assert by_code["hanoi"].total == D("23.00")  # 10 + 10 (best unit) + 3 bonus
    assert by_code["hanoi"].subtotals == {"I": "20.00", "II": "3.00", "III": "0.00"}
    assert by_code["bacninh"].penalty == D("2.00")


def test_publishing_moves_the_phase_audits_and_tells_the_members(
    world, mailoutbox, django_capture_on_commit_callbacks
):
    evaluation = finalised(world)
    with django_capture_on_commit_callbacks(execute=True):
        publish(evaluation, world.secretariat)
    evaluation.refresh_from_db()
    assert evaluation.phase == Evaluation.Phase.PUBLISHED
    assert evaluation.published_at is not None
    assert (evaluation.results_number, evaluation.results_date) == ("05/BC-CTĐ", DATE)
    assert list(AuditEvent.objects.order_by("-id").values_list("action", flat=True)[:2]) == [
        EvaluationAction.EVALUATION_PHASE_CHANGED,
        EvaluationAction.EVALUATION_PUBLISHED,
    ]
    assert {world.staff.email, world.signatory.email, world.secretariat.email} <= {
        m.to[0] for m in mailoutbox
    }


def test_publishing_is_refused_until_every_assessment_is_finalised(world):
    evaluation = checking_of(world.year_a)
    services.assessment_finalise(
        assessment=assessment_of(evaluation, world.hanoi), by=world.secretariat
    )
    with pytest.raises(ValidationError) as error:
        publish(evaluation, world.secretariat)
    assert codes(error.value) == {"not_finalised"}
    assert "Hải Phòng" in error.value.messages[0]
    assert not Result.objects.exists()


def test_publishing_needs_the_number_and_date_of_the_table(world):
    evaluation = finalised(world)
    with pytest.raises(ValidationError) as error:
        publish(evaluation, world.secretariat, number=" ", date=None)
    assert codes(error.value) == {"number_required", "date_required"}
    assert not Result.objects.exists()


def test_publishing_is_refused_outside_checking(world):
    evaluation = checking_of(world.year_a)
    Evaluation.objects.filter(pk=evaluation.pk).update(phase=Evaluation.Phase.SELF_ASSESSMENT)
    evaluation.refresh_from_db()
    with pytest.raises(ValidationError) as error:
        publish(evaluation, world.secretariat)
    assert codes(error.value) == {"wrong_phase"}


@pytest.mark.parametrize("role", ["staff", "signatory", "outsider", "reviewer"])
def test_only_the_secretariat_publishes(world, role):
    evaluation = finalised(world)
    with pytest.raises(PermissionDenied):
        publish(evaluation, world.user(role))


def test_once_published_nothing_changes(world):
    evaluation = finalised(world)
    publish(evaluation, world.secretariat)
    with pytest.raises(ValidationError) as error:
        publish(evaluation, world.secretariat)
    assert codes(error.value) == {"published"}
    with pytest.raises(ValidationError) as error:
        services.checking_mode_set(evaluation=evaluation, mode="cross", by=world.secretariat)
    assert codes(error.value) == {"published"}
    line = score_of(assessment_of(evaluation, world.haiphong), "I.1")
    with pytest.raises(ValidationError) as error:
        services.adjustment_propose(score=line, to_points=D("1"), reason="x", by=world.secretariat)
    assert codes(error.value) == {"published"}
    assert Result.objects.count() == 4
