"""Services of the phases and dates: the deadlines, opening self-assessment, moving to
checking, a department's extension, and the reminders before the deadline (through the
existing ``send_reminders`` command): each refusal with its own code, audit and e-mail."""

import datetime
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command

from cluster_portal.models import AuditEvent
from evaluations import services
from evaluations.audit import EvaluationAction
from evaluations.models import Assessment, Evaluation, EvaluationReminder
from tests.factories import UserFactory
from tests.helpers import (
    ROLES,
    assessment_of,
    clock,
    codes,
    evaluation_for,
    utc,
)

# These tests are about who is told what; the mail tasks run at once (the tasks have their
# own tests through the real worker).
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("tasks_run_at_once")]

NOW = utc(2024, 11, 1, 2, 0)
DEADLINE = utc(2024, 11, 20, 10, 0)  # 17:00 in Hà Nội


@pytest.fixture
def adopted(world):
    """Cluster A's evaluation in draft with its table adopted and the deadline set."""
    return evaluation_for(
        world.year_a, phase=Evaluation.Phase.DRAFT, self_assessment_deadline=DEADLINE
    )


@pytest.fixture
def open_evaluation(world, adopted):
    with clock(NOW):
        services.evaluation_open_self_assessment(evaluation=adopted, by=world.secretariat)
    adopted.refresh_from_db()
    return adopted


@pytest.fixture
def member_users(world):
    """Users of every member department of cluster A, with addresses."""
    return {
        "hanoi": world.secretariat,
        "vinhphuc": UserFactory(department=world.vinhphuc),
        "haiphong": world.staff,
        "haiphong.signer": world.signatory,
        "bacninh": UserFactory(department=world.bacninh),
    }


def phase_events():
    return list(
        AuditEvent.objects.filter(action=EvaluationAction.EVALUATION_PHASE_CHANGED)
        .order_by("id")
        .values_list("details", flat=True)
    )


# Dates


def set_dates(evaluation, by, **dates):
    arguments = {
        "self_assessment_deadline": DEADLINE,
        "checking_deadline": DEADLINE + datetime.timedelta(days=10),
        "publication_date": datetime.date(2024, 12, 15),
    }
    arguments.update(dates)
    with clock(NOW):
        return services.evaluation_dates_set(evaluation=evaluation, by=by, **arguments)


def test_the_dates_are_saved(world, adopted):
    set_dates(adopted, world.secretariat)
    adopted.refresh_from_db()
    assert (
        adopted.self_assessment_deadline,
        adopted.checking_deadline,
        adopted.publication_date,
    ) == (DEADLINE, DEADLINE + datetime.timedelta(days=10), datetime.date(2024, 12, 15))


def test_setting_the_dates_is_recorded_with_before_and_after(world, adopted):
    set_dates(adopted, world.secretariat)
    event = AuditEvent.objects.get(action=EvaluationAction.EVALUATION_DATES_CHANGED)
    assert event.details["to"]["publication_date"] == "2024-12-15"


def test_a_checking_deadline_before_the_self_assessment_deadline_is_refused(world, adopted):
    with pytest.raises(ValidationError) as error:
        set_dates(adopted, world.secretariat, checking_deadline=DEADLINE)
    assert codes(error.value) == {"checking_before_deadline"}


def test_a_publication_before_the_checking_deadline_is_refused(world, adopted):
    with pytest.raises(ValidationError) as error:
        set_dates(adopted, world.secretariat, publication_date=datetime.date(2024, 11, 25))
    assert codes(error.value) == {"publication_before_checking"}


def test_a_past_deadline_is_refused_while_self_assessment_is_open(world, open_evaluation):
    with pytest.raises(ValidationError) as error:
        set_dates(open_evaluation, world.secretariat, self_assessment_deadline=utc(2024, 10, 1))
    assert codes(error.value) == {"deadline_past"}


def test_the_dates_are_refused_once_published(world):
    evaluation = evaluation_for(world.year_a, phase=Evaluation.Phase.PUBLISHED)
    with pytest.raises(ValidationError) as error:
        set_dates(evaluation, world.secretariat)
    assert codes(error.value) == {"already_published"}


# Opening self-assessment


def test_opening_self_assessment_gives_every_member_its_assessment(world, open_evaluation):
    assert (
        open_evaluation.phase,
        sorted(open_evaluation.assessments.values_list("membership__department__code", flat=True)),
    ) == (Evaluation.Phase.SELF_ASSESSMENT, ["bacninh", "haiphong", "hanoi", "vinhphuc"])


def test_opening_self_assessment_is_recorded_from_draft_to_self_assessment(world, open_evaluation):
    assert [(d["from"], d["to"]) for d in phase_events()] == [("draft", "self_assessment")]


def test_opening_self_assessment_tells_every_member_by_email_after_commit(
    world, adopted, member_users, mailoutbox, django_capture_on_commit_callbacks
):
    with clock(NOW), django_capture_on_commit_callbacks(execute=True):
        services.evaluation_open_self_assessment(evaluation=adopted, by=world.secretariat)
    assert sorted(m.to[0] for m in mailoutbox) == sorted(u.email for u in member_users.values())


def test_the_opening_email_gives_the_deadline_in_vietnam_time(
    world, adopted, member_users, mailoutbox, django_capture_on_commit_callbacks
):
    with clock(NOW), django_capture_on_commit_callbacks(execute=True):
        services.evaluation_open_self_assessment(evaluation=adopted, by=world.secretariat)
    assert "17:00 ngày 20/11/2024" in mailoutbox[0].body


def test_self_assessment_does_not_open_before_the_table_is_adopted(world):
    evaluation = evaluation_for(world.year_a, adopted=False, self_assessment_deadline=DEADLINE)
    with clock(NOW), pytest.raises(ValidationError) as error:
        services.evaluation_open_self_assessment(evaluation=evaluation, by=world.secretariat)
    assert codes(error.value) == {"table_not_adopted"}


def test_self_assessment_does_not_open_without_a_deadline(world):
    evaluation = evaluation_for(world.year_a, phase=Evaluation.Phase.DRAFT)
    with clock(NOW), pytest.raises(ValidationError) as error:
        services.evaluation_open_self_assessment(evaluation=evaluation, by=world.secretariat)
    assert codes(error.value) == {"deadline_required"}


def test_self_assessment_does_not_open_with_a_past_deadline(world, adopted):
    with clock(DEADLINE + datetime.timedelta(hours=1)), pytest.raises(ValidationError) as error:
        services.evaluation_open_self_assessment(evaluation=adopted, by=world.secretariat)
    adopted.refresh_from_db()
    assert (codes(error.value), adopted.phase) == ({"deadline_past"}, Evaluation.Phase.DRAFT)


def test_self_assessment_opens_only_once(world, open_evaluation):
    with clock(NOW), pytest.raises(ValidationError) as error:
        services.evaluation_open_self_assessment(evaluation=open_evaluation, by=world.secretariat)
    assert codes(error.value) == {"wrong_phase"}


@pytest.mark.parametrize(
    "role", [r for r in [*ROLES, "anonymous"] if r not in ("secretariat", "site_admin")]
)
def test_only_the_secretariat_opens_self_assessment(world, adopted, role):
    with clock(NOW), pytest.raises(PermissionDenied):
        services.evaluation_open_self_assessment(evaluation=adopted, by=world.user(role))


# Moving to checking


def test_moving_to_checking_is_recorded_from_self_assessment_to_checking(world, open_evaluation):
    services.evaluation_start_checking(evaluation=open_evaluation, by=world.secretariat)
    assert [(d["from"], d["to"]) for d in phase_events()][-1] == ("self_assessment", "checking")


def test_moving_to_checking_tells_the_members(
    world, open_evaluation, member_users, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.evaluation_start_checking(evaluation=open_evaluation, by=world.secretariat)
    assert len(mailoutbox) == len(member_users)


def test_checking_does_not_start_from_draft(world, adopted):
    with pytest.raises(ValidationError) as error:
        services.evaluation_start_checking(evaluation=adopted, by=world.secretariat)
    assert codes(error.value) == {"wrong_phase"}


@pytest.mark.parametrize(
    "role", [r for r in [*ROLES, "anonymous"] if r not in ("secretariat", "site_admin")]
)
def test_only_the_secretariat_moves_to_checking(world, open_evaluation, role):
    with pytest.raises(PermissionDenied):
        services.evaluation_start_checking(evaluation=open_evaluation, by=world.user(role))


# Extending one department's deadline


def extend(
    evaluation,
    by,
    *,
    department,
    until=DEADLINE + datetime.timedelta(days=3),
    reason="Đơn vị đang hợp nhất",
):
    with clock(NOW):
        return services.assessment_deadline_extend(
            assessment=assessment_of(evaluation, department), until=until, reason=reason, by=by
        )


def test_an_extension_sets_the_departments_deadline(world, open_evaluation):
    extend(open_evaluation, world.secretariat, department=world.haiphong)
    assert assessment_of(open_evaluation, world.haiphong).deadline_extended_to == (
        DEADLINE + datetime.timedelta(days=3)
    )


def test_an_extension_is_recorded_with_its_reason(world, open_evaluation):
    extend(open_evaluation, world.secretariat, department=world.haiphong)
    event = AuditEvent.objects.get(action=EvaluationAction.ASSESSMENT_DEADLINE_EXTENDED)
    assert (event.details["department"], event.details["reason"]) == (
        "haiphong",
        "Đơn vị đang hợp nhất",
    )


def test_an_extension_is_mailed_to_that_department_only(
    world, open_evaluation, member_users, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        extend(open_evaluation, world.secretariat, department=world.haiphong)
    assert sorted(m.to[0] for m in mailoutbox) == sorted([world.staff.email, world.signatory.email])


def test_an_extension_without_a_reason_is_refused(world, open_evaluation):
    with pytest.raises(ValidationError) as error:
        extend(open_evaluation, world.secretariat, department=world.haiphong, reason=" ")
    assert codes(error.value) == {"reason_required"}


def test_an_extension_that_shortens_the_deadline_is_refused(world, open_evaluation):
    with pytest.raises(ValidationError) as error:
        extend(
            open_evaluation,
            world.secretariat,
            department=world.haiphong,
            until=DEADLINE - datetime.timedelta(days=1),
        )
    assert codes(error.value) == {"extension_before_deadline"}


def test_an_extension_in_the_past_is_refused(world, open_evaluation):
    with pytest.raises(ValidationError) as error:
        extend(
            open_evaluation, world.secretariat, department=world.haiphong, until=utc(2024, 10, 1)
        )
    assert codes(error.value) == {"extension_past"}


def test_a_submitted_assessment_gets_no_extension(world, open_evaluation):
    Assessment.objects.filter(membership__department=world.haiphong).update(
        state=Assessment.State.SUBMITTED, submitted_at=NOW
    )
    with pytest.raises(ValidationError) as error:
        extend(open_evaluation, world.secretariat, department=world.haiphong)
    assert codes(error.value) == {"already_submitted"}


def test_no_extension_outside_self_assessment(world):
    evaluation = evaluation_for(world.year_a, phase=Evaluation.Phase.CHECKING)
    with pytest.raises(ValidationError) as error:
        extend(evaluation, world.secretariat, department=world.haiphong)
    assert codes(error.value) == {"wrong_phase"}


@pytest.mark.parametrize(
    "role", [r for r in [*ROLES, "anonymous"] if r not in ("secretariat", "site_admin")]
)
def test_only_the_secretariat_extends_a_deadline(world, open_evaluation, role):
    with pytest.raises(PermissionDenied):
        extend(open_evaluation, world.user(role), department=world.haiphong)


# Reminders through the daily command


def send_reminders(at) -> str:
    out = io.StringIO()
    with clock(at):
        call_command("send_reminders", stdout=out)
    return out.getvalue()


def reminded_departments(mailoutbox) -> list[str]:
    from members.models import User

    return sorted(User.objects.get(email=m.to[0]).department.code for m in mailoutbox)


WEEK_BEFORE = DEADLINE - datetime.timedelta(days=6)


def test_the_daily_command_reminds_every_department_that_has_not_submitted(
    world, open_evaluation, member_users, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        send_reminders(WEEK_BEFORE)
    assert reminded_departments(mailoutbox) == [
        "bacninh",
        "haiphong",
        "haiphong",
        "hanoi",
        "vinhphuc",
    ]


def test_a_department_gets_at_most_one_reminder_a_day(
    world, open_evaluation, member_users, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        send_reminders(WEEK_BEFORE)
        send_reminders(WEEK_BEFORE + datetime.timedelta(hours=2))
    assert EvaluationReminder.objects.count() == 4


def test_a_department_is_reminded_again_the_next_day(world, open_evaluation, member_users):
    send_reminders(WEEK_BEFORE)
    send_reminders(WEEK_BEFORE + datetime.timedelta(days=1))
    assert EvaluationReminder.objects.count() == 8


def test_a_department_that_has_submitted_is_not_reminded(world, open_evaluation, member_users):
    Assessment.objects.filter(membership__department=world.haiphong).update(
        state=Assessment.State.SUBMITTED, submitted_at=NOW
    )
    send_reminders(WEEK_BEFORE)
    assert sorted(
        EvaluationReminder.objects.values_list(
            "assessment__membership__department__code", flat=True
        )
    ) == ["bacninh", "hanoi", "vinhphuc"]


def test_no_reminder_long_before_the_deadline(world, open_evaluation, member_users, settings):
    settings.EVALUATION_REMINDER_DAYS = 3
    send_reminders(WEEK_BEFORE)
    assert not EvaluationReminder.objects.exists()


def test_no_reminder_after_the_deadline(world, open_evaluation, member_users):
    send_reminders(DEADLINE + datetime.timedelta(hours=1))
    assert not EvaluationReminder.objects.exists()


def test_an_extended_department_is_reminded_before_its_own_deadline(
    world, open_evaluation, member_users
):
    extend(
        open_evaluation,
        world.secretariat,
        department=world.haiphong,
        until=DEADLINE + datetime.timedelta(days=5),
    )
    send_reminders(DEADLINE + datetime.timedelta(days=1))
    assert list(
        EvaluationReminder.objects.values_list(
            "assessment__membership__department__code", flat=True
        )
    ) == ["haiphong"]


def test_the_daily_job_reports_the_self_assessment_reminders(world, open_evaluation, member_users):
    from evaluations.services.phases import evaluation_reminders_job

    with clock(WEEK_BEFORE):
        assert list(evaluation_reminders_job()) == [(f"{open_evaluation} (self-assessment)", 4)]


def test_the_reminder_names_the_deadline_in_vietnam_time(
    world, open_evaluation, member_users, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        send_reminders(WEEK_BEFORE)
    assert "Hạn nộp: 17:00 ngày 20/11/2024 (GMT+7)" in mailoutbox[0].body
