"""The self-assessment services: saving drafts, evidence, submitting and returning, with
each refusal's code and nothing stored when refused."""

import datetime
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from cluster_portal.models import AuditEvent
from evaluations import services
from evaluations.models import Assessment, Evaluation, Evidence, Score
from tests.factories import ActivityFactory, UserFactory, WorkPlanFactory
from tests.helpers import (
    FULL_ENTRIES,
    assessment_of,
    clock,
    codes,
    docx_bytes,
    evaluation_for,
    jpeg,
    line_entries,
    open_self_assessment,
    pdf,
    return_assessment,
    save_lines,
    submit_assessment,
    upload,
)

# These tests are about who is told what; the mail tasks run at once (the tasks have their
# own tests through the real worker).
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("tasks_run_at_once")]


@pytest.fixture
def assessment(world):
    return open_self_assessment(world)


def fresh(assessment) -> Assessment:
    return Assessment.objects.get(pk=assessment.pk)


def points_of(assessment) -> dict:
    return {
        s.criterion.code: s.self_points
        for s in Score.objects.filter(assessment=assessment).select_related("criterion")
    }


def refusal(call) -> set[str]:
    with pytest.raises(ValidationError) as error:
        call()
    return codes(error.value)


def add_evidence(assessment, user, code="I.1", **kwargs):
    score = Score.objects.select_related("criterion", "assessment").get(
        assessment=assessment, criterion__code=code
    )
    return services.evidence_add(score=score, by=user, **kwargs)


# Saving drafts


def test_staff_save_points_counts_and_actuals_of_their_own_assessment(world, assessment):
    save_lines(assessment, world.staff, I_1="7.5", I_2="5", I_3=("count", 3), I_4=("actual", "80"))
    assert {k: v for k, v in points_of(assessment).items() if v is not None} == {
        "I.1": Decimal("7.50"),
        "I.2": Decimal("5.00"),
        "I.3": Decimal("3.00"),
        "I.4": Decimal("4.00"),
    }


def test_a_quantitative_line_above_its_target_is_provisionally_the_maximum(world, assessment):
    save_lines(assessment, world.staff, I_4=("actual", "150"))
    assert points_of(assessment)["I.4"] == Decimal("10.00")


def test_the_signatory_may_save_a_draft_too(world, assessment):
    save_lines(assessment, world.signatory, I_1="2")
    assert points_of(assessment)["I.1"] == Decimal("2.00")


def test_a_save_bumps_the_version_by_one(world, assessment):
    save_lines(assessment, world.staff, I_1="2")
    assert fresh(assessment).version == 2


def test_a_save_stores_the_explanation_and_the_report(world, assessment):
    save_lines(assessment, world.staff, report="Hoàn thành 100% chỉ tiêu.", I_1="2")
    score = Score.objects.get(assessment=assessment, criterion__code="I.1")
    assert (score.explanation, fresh(assessment).report) == (
        "Giải trình tiêu chí I.1",
        "Hoàn thành 100% chỉ tiêu.",
    )


def test_a_save_is_audited_with_the_lines_it_changed(world, assessment):
    save_lines(assessment, world.staff, I_1="2", I_2="0")
    event = AuditEvent.objects.get(action="assessment.saved")
    assert (event.actor, event.details["lines"], event.details["version"]) == (
        world.staff,
        ["I.1", "I.2"],
        2,
    )


def test_a_line_left_empty_is_stored_as_no_entry(world, assessment):
    save_lines(assessment, world.staff, I_1="2")
    save_lines(assessment, world.staff, I_1=None)
    assert points_of(assessment)["I.1"] is None


@pytest.mark.parametrize(
    ("entry", "code"),
    [
        ({"I_1": "-1"}, "below_zero"),
        ({"I_1": "10.25"}, "above_max"),
        ({"I_1": "7.3"}, "off_step"),
        ({"I_2": "2.5"}, "not_yes_no"),
        ({"I_3": ("count", -1)}, "below_zero"),
        ({"I_3": ("count", 10**6)}, "too_large"),
        ({"I_4": ("actual", "-5")}, "below_zero"),
        ({"II_1": "3.5"}, "above_max"),
        ({"III_1": "-0.25"}, "below_zero"),
    ],
)
def test_a_score_out_of_bounds_is_refused_with_its_code(world, assessment, entry, code):
    assert refusal(lambda: save_lines(assessment, world.staff, **entry)) == {code}


def test_each_refused_line_is_named_by_its_field(world, assessment):
    with pytest.raises(ValidationError) as error:
        save_lines(assessment, world.staff, I_1="11", I_2="1", II_1="1")
    scores = {s.criterion.code: s.pk for s in Score.objects.filter(assessment=assessment)}
    assert set(error.value.error_dict) == {f"value_{scores['I.1']}", f"value_{scores['I.2']}"}


def test_a_refused_line_stores_nothing_of_the_whole_save(world, assessment):
    with pytest.raises(ValidationError):
        save_lines(assessment, world.staff, report="Báo cáo", I_1="5", I_2="3")
    assert (points_of(assessment)["I.1"], fresh(assessment).report, fresh(assessment).version) == (
        None,
        "",
        1,
    )


def test_a_save_from_an_older_version_is_refused_as_a_conflict(world, assessment):
    save_lines(assessment, world.staff, I_1="5")
    assert refusal(lambda: save_lines(assessment, world.signatory, version=1, I_1="9")) == {
        "conflict"
    }


def test_a_conflicting_save_overwrites_nothing(world, assessment):
    save_lines(assessment, world.staff, I_1="5")
    with pytest.raises(ValidationError):
        save_lines(assessment, world.signatory, version=1, I_1="9", report="Bản khác")
    assert (points_of(assessment)["I.1"], fresh(assessment).report, fresh(assessment).version) == (
        Decimal("5.00"),
        "",
        2,
    )


def test_the_conflict_message_says_when_the_other_save_happened(world, assessment):
    with clock(datetime.datetime(2024, 11, 20, 2, 5, tzinfo=datetime.UTC)):
        save_lines(assessment, world.staff, I_1="5")
    with pytest.raises(ValidationError) as error:
        save_lines(assessment, world.signatory, version=1, I_1="9")
    assert "09:05 20/11/2024" in error.value.messages[0]


def test_another_department_cannot_save(world, assessment):
    other = UserFactory(department=world.bacninh)
    assert refusal(lambda: save_lines(assessment, other, I_1="5")) == {"wrong_department"}


@pytest.mark.parametrize("role", ["secretariat", "outsider", "reviewer", "site_admin"])
def test_nobody_outside_the_department_saves_it(world, assessment, role):
    assert refusal(lambda: save_lines(assessment, world.user(role), I_1="5")) == {
        "wrong_department"
    }
    assert points_of(assessment)["I.1"] is None


@pytest.mark.parametrize("phase", ["checking", "published"])
def test_a_save_after_self_assessment_closed_is_refused(world, assessment, phase):
    Evaluation.objects.filter(pk=assessment.evaluation_id).update(phase=phase)
    assert refusal(lambda: save_lines(assessment, world.staff, I_1="5")) == {"phase_closed"}


def test_a_save_while_the_evaluation_is_back_in_draft_is_refused(world):
    evaluation = evaluation_for(world.year_a, adopted=True, phase=Evaluation.Phase.SELF_ASSESSMENT)
    Evaluation.objects.filter(pk=evaluation.pk).update(phase=Evaluation.Phase.DRAFT)
    assessment = assessment_of(evaluation, world.haiphong)
    assert refusal(lambda: save_lines(assessment, world.staff, I_1="5")) == {"phase_closed"}


def test_a_save_of_a_submitted_assessment_is_refused(world, assessment):
    Assessment.objects.filter(pk=assessment.pk).update(
        state=Assessment.State.SUBMITTED, submitted_at=timezone.now()
    )
    assert refusal(lambda: save_lines(assessment, world.staff, I_1="5")) == {"submitted"}


def test_a_save_after_the_deadline_is_refused(world, assessment):
    Evaluation.objects.filter(pk=assessment.evaluation_id).update(
        self_assessment_deadline=timezone.now() - datetime.timedelta(minutes=1)
    )
    assert refusal(lambda: save_lines(assessment, world.staff, I_1="5")) == {"past_deadline"}


def test_a_department_with_an_extension_saves_after_the_deadline(world, assessment):
    Evaluation.objects.filter(pk=assessment.evaluation_id).update(
        self_assessment_deadline=timezone.now() - datetime.timedelta(days=1)
    )
    Assessment.objects.filter(pk=assessment.pk).update(
        deadline_extended_to=timezone.now() + datetime.timedelta(days=2)
    )
    save_lines(assessment, world.staff, I_1="5")
    assert points_of(assessment)["I.1"] == Decimal("5.00")


# Evidence


def test_a_pdf_is_stored_under_a_random_name_with_its_type(world, assessment):
    evidence = add_evidence(assessment, world.staff, upload=pdf("bao-cao.pdf"))
    assert (evidence.original_name, evidence.content_type) == ("bao-cao.pdf", "application/pdf")
    assert "bao-cao" not in evidence.file.name and evidence.file.name.endswith(".pdf")


@pytest.mark.parametrize("make", [jpeg, lambda: upload("bang.docx", docx_bytes())])
def test_images_and_office_documents_are_accepted_as_evidence(world, assessment, make):
    evidence = add_evidence(assessment, world.staff, upload=make())
    assert Evidence.objects.filter(pk=evidence.pk).exists()


def test_a_polyglot_file_is_refused_and_nothing_stored(world, assessment):
    polyglot = upload("minh-chung.pdf", b"%PDF-1.4\n<html><script>alert(1)</script></html>")
    assert refusal(lambda: add_evidence(assessment, world.staff, upload=polyglot)) == {"wrong_type"}
    assert not Evidence.objects.exists()


def test_an_activity_of_the_years_plan_is_evidence(world, assessment):
    activity = ActivityFactory(work_plan=WorkPlanFactory(cluster_year=world.year_a))
    evidence = add_evidence(assessment, world.staff, activity=activity)
    assert evidence.activity == activity


def test_an_activity_of_another_cluster_year_is_refused(world, assessment):
    activity = ActivityFactory(work_plan=WorkPlanFactory(cluster_year=world.year_b))
    assert refusal(lambda: add_evidence(assessment, world.staff, activity=activity)) == {
        "other_year"
    }


def test_a_path_of_the_portal_is_evidence(world, assessment):
    evidence = add_evidence(assessment, world.staff, link="/plans/calendar/")
    assert evidence.link == "/plans/calendar/"


def test_a_full_address_on_the_portals_own_host_is_kept_as_its_path(world, assessment, settings):
    settings.PORTAL_BASE_URL = "https://thidua.example.gov.vn"
    evidence = add_evidence(
        assessment, world.staff, link="https://thidua.example.gov.vn/plans/calendar/?y=1"
    )
    assert evidence.link == "/plans/calendar/?y=1"


@pytest.mark.parametrize(
    ("link", "code"),
    [
        ("https://evil.example.com/plans/", "other_host"),
        ("//evil.example.com/plans/", "other_host"),
        ("javascript:alert(1)", "other_host"),
        ("plans/calendar/", "not_a_path"),
        ("/\\evil.example.com", "not_a_path"),
        ("/khong-co-trang-nay/", "unknown_page"),
    ],
)
def test_a_link_that_is_not_a_page_of_the_portal_is_refused(world, assessment, link, code):
    assert refusal(lambda: add_evidence(assessment, world.staff, link=link)) == {code}
    assert not Evidence.objects.exists()


def test_evidence_needs_exactly_one_source(world, assessment):
    assert refusal(lambda: add_evidence(assessment, world.staff)) == {"no_source"}
    assert refusal(
        lambda: add_evidence(assessment, world.staff, upload=pdf(), link="/plans/calendar/")
    ) == {"several_sources"}


def test_adding_evidence_is_audited(world, assessment):
    add_evidence(assessment, world.staff, link="/plans/calendar/")
    event = AuditEvent.objects.get(action="evidence.added")
    assert (event.actor, event.details["line"]) == (world.staff, "I.1")


def test_another_department_cannot_add_evidence(world, assessment):
    assert refusal(
        lambda: add_evidence(assessment, world.secretariat, link="/plans/calendar/")
    ) == {"wrong_department"}


def test_evidence_cannot_be_added_to_a_submitted_assessment(world, assessment):
    Assessment.objects.filter(pk=assessment.pk).update(
        state=Assessment.State.SUBMITTED, submitted_at=timezone.now()
    )
    assert refusal(lambda: add_evidence(assessment, world.staff, link="/plans/calendar/")) == {
        "submitted"
    }


def test_removing_evidence_deletes_the_row_and_the_file_and_is_audited(
    world, assessment, django_capture_on_commit_callbacks
):
    evidence = add_evidence(assessment, world.staff, upload=pdf())
    storage, name = evidence.file.storage, evidence.file.name
    with django_capture_on_commit_callbacks(execute=True):
        services.evidence_remove(evidence=evidence, by=world.signatory)
    assert (Evidence.objects.exists(), storage.exists(name)) == (False, False)
    assert AuditEvent.objects.filter(action="evidence.removed", actor=world.signatory).exists()


def test_evidence_of_a_submitted_assessment_cannot_be_removed(world, assessment):
    evidence = add_evidence(assessment, world.staff, link="/plans/calendar/")
    Assessment.objects.filter(pk=assessment.pk).update(
        state=Assessment.State.SUBMITTED, submitted_at=timezone.now()
    )
    evidence = Evidence.objects.get(pk=evidence.pk)
    assert refusal(lambda: services.evidence_remove(evidence=evidence, by=world.staff)) == {
        "submitted"
    }
    assert Evidence.objects.filter(pk=evidence.pk).exists()


# Submitting


@pytest.fixture
def complete(world, assessment):
    save_lines(assessment, world.staff, **FULL_ENTRIES)
    return fresh(assessment)


def test_the_signatory_submits_a_complete_assessment(world, complete):
    submitted = submit_assessment(complete, world.signatory)
    assert (submitted.state, submitted.submitted_by, submitted.submitted_at is not None) == (
        Assessment.State.SUBMITTED,
        world.signatory,
        True,
    )


def test_a_submission_is_audited_with_the_provisional_total(world, complete):
    submit_assessment(complete, world.signatory)
    event = AuditEvent.objects.get(action="assessment.submitted")
    # 7.5 + 5 + 3 + 4 (80 of 100: 10 × 0.5 × 0.8) = 19.5; bonus 5.5 capped at 5; no penalty.
    assert (event.actor, event.details["provisional_total"]) == (world.signatory, "24.50")


def test_a_submission_tells_the_secretariat_by_email(
    world, complete, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        submit_assessment(complete, world.signatory)
    assert [m.to for m in mail.outbox] == [[world.secretariat.email]]
    assert complete.membership.short_name in mail.outbox[0].subject


def test_staff_cannot_submit(world, complete):
    assert refusal(lambda: submit_assessment(complete, world.staff)) == {"not_signatory"}
    assert fresh(complete).state == Assessment.State.DRAFT


def test_another_departments_signatory_cannot_submit(world, complete):
    other = UserFactory(department=world.bacninh, signatory=True)
    assert refusal(lambda: submit_assessment(complete, other)) == {"wrong_department"}


def test_a_submission_with_empty_lines_is_refused_naming_them(world, assessment):
    save_lines(assessment, world.staff, **{**FULL_ENTRIES, "I_2": None, "I_3": ("count", None)})
    with pytest.raises(ValidationError) as error:
        submit_assessment(assessment, world.signatory)
    assert codes(error.value) == {"incomplete"}
    assert "I.2, I.3" in error.value.messages[0]
    assert fresh(assessment).state == Assessment.State.DRAFT


def test_a_submission_without_required_evidence_is_refused_naming_the_lines(world):
    assessment = open_self_assessment(world, evidence_required=["I.1", "II.1"])
    save_lines(assessment, world.staff, **FULL_ENTRIES)
    with pytest.raises(ValidationError) as error:
        submit_assessment(assessment, world.signatory)
    assert codes(error.value) == {"evidence_missing"}
    assert "I.1, II.1" in error.value.messages[0]


def test_a_submission_with_the_required_evidence_goes_through(world):
    assessment = open_self_assessment(world, evidence_required=["I.1"])
    save_lines(assessment, world.staff, **FULL_ENTRIES)
    add_evidence(assessment, world.staff, upload=pdf())
    assert submit_assessment(assessment, world.signatory).state == Assessment.State.SUBMITTED


def test_a_submission_after_the_deadline_is_refused(world, complete):
    Evaluation.objects.filter(pk=complete.evaluation_id).update(
        self_assessment_deadline=timezone.now() - datetime.timedelta(minutes=1)
    )
    assert refusal(lambda: submit_assessment(complete, world.signatory)) == {"past_deadline"}


def test_a_submission_after_the_deadline_goes_through_with_an_extension(world, complete):
    Evaluation.objects.filter(pk=complete.evaluation_id).update(
        self_assessment_deadline=timezone.now() - datetime.timedelta(days=1)
    )
    Assessment.objects.filter(pk=complete.pk).update(
        deadline_extended_to=timezone.now() + datetime.timedelta(days=1)
    )
    assert submit_assessment(complete, world.signatory).state == Assessment.State.SUBMITTED


def test_a_submission_needs_the_confirmation(world, complete):
    assert refusal(lambda: submit_assessment(complete, world.signatory, confirmed=False)) == {
        "not_confirmed"
    }


def test_a_wrong_password_is_refused_and_recorded(world, complete):
    assert refusal(lambda: submit_assessment(complete, world.signatory, password="sai")) == {
        "wrong_password"
    }
    assert fresh(complete).state == Assessment.State.DRAFT
    assert AuditEvent.objects.filter(
        action="assessment.submit_refused", actor=world.signatory
    ).exists()


def test_too_many_wrong_passwords_lock_the_submission(world, complete, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        with pytest.raises(ValidationError):
            submit_assessment(complete, world.signatory, password="sai")
    assert refusal(lambda: submit_assessment(complete, world.signatory)) == {"too_many_attempts"}


def test_a_second_submission_is_refused_as_submitted(world, complete):
    submit_assessment(complete, world.signatory)
    assert refusal(lambda: submit_assessment(complete, world.signatory)) == {"submitted"}


# Returning


@pytest.fixture
def submitted(world, complete):
    return submit_assessment(complete, world.signatory)


def test_the_secretariat_returns_a_submitted_assessment_with_a_reason(world, submitted):
    returned = return_assessment(submitted, world.secretariat, reason="Bổ sung minh chứng I.1.")
    assert (returned.state, returned.returned_by, returned.return_reason) == (
        Assessment.State.DRAFT,
        world.secretariat,
        "Bổ sung minh chứng I.1.",
    )


def test_a_return_is_audited_and_tells_the_department(
    world, submitted, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        return_assessment(submitted, world.secretariat)
    assert AuditEvent.objects.filter(action="assessment.returned", actor=world.secretariat).exists()
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [world.staff.email, world.signatory.email]
    )


def test_a_returned_assessment_can_be_edited_and_resubmitted(world, submitted):
    return_assessment(submitted, world.secretariat)
    save_lines(submitted, world.staff, I_1="10")
    assert submit_assessment(submitted, world.signatory).state == Assessment.State.SUBMITTED


def test_an_assessment_returned_during_checking_reopens_for_its_department(world, submitted):
    Evaluation.objects.filter(pk=submitted.evaluation_id).update(phase=Evaluation.Phase.CHECKING)
    return_assessment(submitted, world.secretariat)
    save_lines(submitted, world.staff, I_1="10")
    assert submit_assessment(submitted, world.signatory).state == Assessment.State.SUBMITTED


def test_during_checking_an_assessment_never_returned_stays_closed(world, complete):
    Evaluation.objects.filter(pk=complete.evaluation_id).update(phase=Evaluation.Phase.CHECKING)
    assert refusal(lambda: save_lines(complete, world.staff, I_1="10")) == {"phase_closed"}


def test_a_second_return_is_refused(world, submitted):
    return_assessment(submitted, world.secretariat)
    submit_assessment(submitted, world.signatory)
    assert refusal(lambda: return_assessment(submitted, world.secretariat)) == {"already_returned"}
    assert fresh(submitted).state == Assessment.State.SUBMITTED


def test_a_return_needs_a_reason(world, submitted):
    assert refusal(lambda: return_assessment(submitted, world.secretariat, reason="  ")) == {
        "no_reason"
    }
    assert fresh(submitted).state == Assessment.State.SUBMITTED


def test_a_draft_cannot_be_returned(world, complete):
    assert refusal(lambda: return_assessment(complete, world.secretariat)) == {"not_submitted"}


@pytest.mark.parametrize("role", ["signatory", "staff", "outsider", "reviewer"])
def test_only_the_secretariat_returns(world, submitted, role):
    assert refusal(lambda: return_assessment(submitted, world.user(role))) == {"not_secretariat"}


def test_a_return_after_publication_is_refused(world, submitted):
    Evaluation.objects.filter(pk=submitted.evaluation_id).update(phase=Evaluation.Phase.PUBLISHED)
    assert refusal(lambda: return_assessment(submitted, world.secretariat)) == {"phase_closed"}


def test_the_entries_helper_builds_one_entry_per_named_line(world, assessment):
    assert len(line_entries(assessment, I_1="1", I_3=("count", 2))) == 2
