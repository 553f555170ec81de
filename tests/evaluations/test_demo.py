"""The demo data of the year-end evaluation: 2019 published, 2026 open for self-assessment,
every invented figure flagged, the cross-check rules kept, loading idempotent."""

import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from django.utils import timezone

from cluster_portal.audit import audit_verify
from cluster_portal.models import AuditEvent
from evaluations import demo, permissions, scoring
from evaluations.audit import EvaluationAction
from evaluations.models import (
    Adjustment,
    Assessment,
    Classification,
    Criterion,
    Evaluation,
    Evidence,
    Result,
    Score,
)
from evaluations.selectors import evaluation_lines, results_compute
from members.models import User

pytestmark = pytest.mark.django_db

EVALUATION_MODELS = (
    Evaluation,
    Criterion,
    Classification,
    Assessment,
    Score,
    Evidence,
    Adjustment,
    Result,
)


def snapshot():
    return [list(model.objects.order_by("pk").values()) for model in EVALUATION_MODELS]


@pytest.fixture(scope="module")
def loaded(django_db_setup, django_db_blocker, tmp_path_factory):
    """``load_demo`` once for the module (then the evaluations' demo a second time, to
    compare), rolled back at the end. Returns the two snapshots."""
    with (
        django_db_blocker.unblock(),
        override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("demo-media")),
        transaction.atomic(),
    ):
        call_command("load_demo", force=True, stdout=io.StringIO())
        first = snapshot()
        demo.load()
        yield first, snapshot()
        transaction.set_rollback(True)


def evaluation(year: int) -> Evaluation:
    return Evaluation.objects.select_related("cluster_year__cluster").get(
        cluster_year__cluster__code="bac-bo", cluster_year__year=year
    )


def assessment(year: int, department: str) -> Assessment:
    return Assessment.objects.select_related(
        "evaluation__cluster_year", "membership__department"
    ).get(evaluation=evaluation(year), membership__department__code=department)


def test_2019_has_eleven_published_results_equal_to_the_computed_ones(loaded):
    published = list(
        Result.objects.filter(evaluation=evaluation(2019)).order_by("rank", "membership_id")
    )
    computed = results_compute(evaluation=evaluation(2019), final=True)
    assert len(published) == 11
    assert sorted(
        (r.membership_id, r.rank, r.total, r.base_points, r.bonus, r.penalty, r.classification)
        for r in published
    ) == sorted(
        (r.membership.pk, r.rank, r.total, r.base, r.bonus, r.penalty, r.classification)
        for r in computed
    )
    assert {r.membership_id: r.subtotals for r in published} == {
        r.membership.pk: {code: f"{value:.2f}" for code, value in r.subtotals.items()}
        for r in computed
    }


def test_2019_results_are_ranked_from_1_with_a_number_and_a_december_2019_date(loaded):
    evaluation_2019 = evaluation(2019)
    ranks = sorted(evaluation_2019.results.values_list("rank", flat=True))
    assert ranks[0] == 1 and ranks == sorted(ranks) and max(ranks) <= 11
    assert evaluation_2019.phase == Evaluation.Phase.PUBLISHED
    assert evaluation_2019.results_number == "15/BC-CTĐ"
    assert (evaluation_2019.results_date.year, evaluation_2019.results_date.month) == (2019, 12)
    assert evaluation_2019.published_at.year == 2019


def test_the_2019_table_is_base_100_with_every_kind_and_a_bonus_capped_at_10(loaded):
    lines = evaluation_lines(evaluation=evaluation(2019))
    maxima = scoring.section_maxima(lines)
    by_code = {line.code: maxima[line.id] for line in lines}
    assert (by_code["I"], by_code["II"], by_code["III"], by_code["IV"]) == (
        Decimal("60"),
        Decimal("20"),
        Decimal("20"),
        Decimal("10"),
    )
    assert {line.kind for line in lines} == {"section", *scoring.LEAF_KINDS}
    assert scoring.table_problems(lines) == []
    labels = dict(evaluation(2019).classifications.values_list("min_total", "label"))
    assert labels[Decimal("95")].startswith("Hoàn thành xuất sắc")


def test_every_2019_assessment_was_submitted_checked_and_finalised(loaded):
    assessments = evaluation(2019).assessments.all()
    assert assessments.count() == 11
    assert {a.state for a in assessments} == {Assessment.State.FINALISED}
    assert all(a.submitted_at and a.submitted_by_id and a.finalised_at for a in assessments)
    assert not Score.objects.filter(
        assessment__evaluation=evaluation(2019), final_points__isnull=True
    ).exists()


def test_the_2019_cross_check_is_balanced_never_own_and_never_a_pair(loaded):
    assessments = list(evaluation(2019).assessments.all())
    checker_of = {a.membership_id: a.checker_id for a in assessments}
    assert evaluation(2019).checking_mode == Evaluation.CheckingMode.CROSS
    assert all(checker is not None for checker in checker_of.values())
    assert all(member != checker for member, checker in checker_of.items())
    assert all(checker_of[checker] != member for member, checker in checker_of.items())
    assert sorted(checker_of.values()) == sorted(checker_of)  # each member checks one


def test_2019_adjustments_carry_reasons_decisions_and_some_answers(loaded):
    adjustments = list(
        Adjustment.objects.filter(score__assessment__evaluation=evaluation(2019)).select_related(
            "score__assessment", "checker"
        )
    )
    assert len(adjustments) == len(demo.ADJUSTMENTS_2019)
    assert {a.status for a in adjustments} == {"accepted", "overridden", "rejected"}
    assert any(a.answer for a in adjustments) and not all(a.answer for a in adjustments)
    for adjustment in adjustments:
        assert "minh họa" in adjustment.reason
        assert adjustment.checker_id == adjustment.score.assessment.checker_id
        assert adjustment.score.final_points == adjustment.decided_points


def test_2026_is_in_self_assessment_with_its_table_adopted_and_a_deadline_ahead(loaded):
    evaluation_2026 = evaluation(2026)
    assert evaluation_2026.phase == Evaluation.Phase.SELF_ASSESSMENT
    assert evaluation_2026.table_is_frozen
    assert evaluation_2026.self_assessment_deadline > timezone.now()
    assert evaluation_2026.criteria.count() == len(demo.TABLE)


def test_2026_has_some_members_submitted_and_others_with_partial_drafts(loaded):
    states = dict(evaluation(2026).assessments.values_list("membership__department__code", "state"))
    submitted = sorted(code for code, state in states.items() if state == "submitted")
    assert submitted == sorted(demo.SUBMITTED_2026)
    filled = {
        code: assessment(2026, code).scores.filter(explanation__gt="").count()
        for code in demo.DRAFTS_2026
    }
    leaves = evaluation(2026).criteria.exclude(kind="section").count()
    assert all(0 < count < leaves for count in filled.values())


def test_hungyen_draft_is_empty_and_editable_by_its_staff(loaded):
    hungyen = assessment(2026, "hungyen")
    assert hungyen.state == Assessment.State.DRAFT
    assert not hungyen.scores.exclude(self_points=None, count=None, actual=None).exists()
    assert permissions.can_edit_assessment(User.objects.get(username="hungyen.staff"), hungyen)


def test_hungyen_signer_may_submit_and_its_staff_may_not(loaded):
    hungyen = assessment(2026, "hungyen")
    signer = User.objects.get(username="hungyen.signer")
    staff = User.objects.get(username="hungyen.staff")
    assert permissions.can_submit_assessment(signer, hungyen)
    assert not permissions.can_submit_assessment(staff, hungyen)


def test_the_demo_evaluations_are_flagged_illustrative_where_a_reader_sees_them(loaded):
    assert set(Evaluation.objects.values_list("is_illustrative", flat=True)) == {True}
    leaves = Criterion.objects.exclude(kind="section")
    assert all("minh họa" in guidance for guidance in leaves.values_list("guidance", flat=True))
    explanations = Score.objects.exclude(explanation="").values_list("explanation", flat=True)
    assert explanations and all("minh họa" in text for text in explanations)
    assert all(
        "minh họa" in label for label in Classification.objects.values_list("label", flat=True)
    )


def test_the_vietnamese_texts_keep_their_diacritics(loaded):
    texts = dict(evaluation(2019).criteria.values_list("code", "text"))
    assert texts["I"] == "Thực hiện nhiệm vụ chuyên môn của Sở Nội vụ"
    assert texts["II"] == "Thực hiện phong trào thi đua và hoạt động của Cụm"
    assert texts["III"] == "Xây dựng cơ quan, đơn vị"
    assert (texts["IV"], texts["V"]) == ("Điểm thưởng", "Điểm trừ")
    every_text = [
        *texts.values(),
        *Score.objects.exclude(explanation="").values_list("explanation", flat=True),
        *Adjustment.objects.values_list("reason", flat=True),
    ]
    assert all(not text.isascii() for text in every_text)


def test_the_demo_is_in_the_audit_trail_and_the_chain_holds(loaded):
    actions = set(
        AuditEvent.objects.filter(target_type__startswith="evaluations.").values_list(
            "action", flat=True
        )
    )
    assert {
        EvaluationAction.TABLE_ADOPTED,
        EvaluationAction.ASSESSMENT_SUBMITTED,
        EvaluationAction.CHECKERS_ASSIGNED,
        EvaluationAction.ADJUSTMENT_DECIDED,
        EvaluationAction.ASSESSMENT_FINALISED,
        EvaluationAction.EVALUATION_PUBLISHED,
    } <= actions
    assert audit_verify()[1] is None


def test_loading_the_evaluations_twice_changes_nothing(loaded):
    first, second = loaded
    assert first == second
