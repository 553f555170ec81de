"""Checking pages through real requests: who may open them, what they do, what a bad
input shows, and their query counts."""

import datetime
from decimal import Decimal as D

import pytest
from django.urls import reverse

from evaluations import services
from evaluations.models import Adjustment, Assessment, Evaluation, Evidence, Result
from tests.factories import UserFactory
from tests.helpers import (
    WORLD_YEAR,
    assessment_of,
    checking_of,
    members_year,
    queries_for,
    score_lines,
    score_of,
    set_checker,
)

pytestmark = pytest.mark.django_db

CODE = "bac-bo"


def url(name, **kwargs):
    return reverse(f"evaluations:{name}", kwargs={"code": CODE, "year": WORLD_YEAR, **kwargs})


@pytest.fixture
def checking(world):
    evaluation = checking_of(world.year_a)
    score_lines(assessment_of(evaluation, world.haiphong), I_1="7.5")
    set_checker(evaluation, world.haiphong, world.bacninh)
    return evaluation


@pytest.fixture
def users(world):
    return {
        "checker": UserFactory(department=world.bacninh),
        "other_member": UserFactory(department=world.vinhphuc),
    }


def status(client, world, users, role, path, method="get", data=None):
    user = users.get(role) or (None if role == "anonymous" else world.user(role))
    if user is not None:
        client.force_login(user)
    response = getattr(client, method)(path, data)
    return response.status_code


def proposal_of(world, evaluation, by, to="6"):
    return services.adjustment_propose(
        score=score_of(assessment_of(evaluation, world.haiphong), "I.1"),
        to_points=D(to),
        reason="Minh chứng chưa đầy đủ.",
        by=by,
    )


# Who may open each page


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("secretariat", 200),
        ("reviewer", 200),
        ("site_admin", 200),
        ("staff", 403),
        ("signatory", 403),
        ("checker", 403),
        ("outsider", 404),
        ("anonymous", 302),
    ],
)
def test_the_checking_page_by_role(client, world, users, checking, role, expected):
    assert status(client, world, users, role, url("checking-detail")) == expected


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("secretariat", 200),
        ("checker", 200),
        ("site_admin", 200),
        ("other_member", 404),
        ("staff", 403),
        ("signatory", 403),
        ("reviewer", 403),
        ("outsider", 404),
        ("anonymous", 302),
    ],
)
def test_the_assessment_checking_page_by_role(client, world, users, checking, role, expected):
    path = url("assessment-check", department="haiphong")
    assert status(client, world, users, role, path) == expected


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("staff", 200),
        ("signatory", 200),
        ("secretariat", 403),
        ("checker", 403),
        ("reviewer", 403),
        ("other_member", 404),
        ("outsider", 404),
        ("anonymous", 302),
    ],
)
def test_the_answer_page_by_role(client, world, users, checking, role, expected):
    adjustment = proposal_of(world, checking, users["checker"])
    path = url("adjustment-answer", pk=adjustment.pk)
    assert status(client, world, users, role, path) == expected


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("secretariat", 200),
        ("checker", 403),
        ("staff", 403),
        ("reviewer", 403),
        ("other_member", 404),
        ("outsider", 404),
        ("anonymous", 302),
    ],
)
def test_the_decision_page_by_role(client, world, users, checking, role, expected):
    adjustment = proposal_of(world, checking, users["checker"])
    path = url("adjustment-decide", pk=adjustment.pk)
    assert status(client, world, users, role, path) == expected


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("secretariat", 200),
        ("checker", 403),
        ("staff", 403),
        ("reviewer", 403),
        ("outsider", 404),
        ("anonymous", 302),
    ],
)
def test_the_finalise_page_by_role(client, world, users, checking, role, expected):
    path = url("checking-finalise", department="haiphong")
    assert status(client, world, users, role, path) == expected


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("secretariat", 200),
        ("staff", 403),
        ("signatory", 403),
        ("reviewer", 403),
        ("outsider", 404),
        ("anonymous", 302),
    ],
)
def test_the_publish_page_by_role(client, world, users, checking, role, expected):
    assert status(client, world, users, role, url("evaluation-publish")) == expected


@pytest.mark.parametrize(
    ("role", "expected"),
    [("secretariat", 200), ("reviewer", 403), ("staff", 403), ("outsider", 404)],
)
def test_the_method_and_assignment_pages_by_role(client, world, users, checking, role, expected):
    assert status(client, world, users, role, url("checking-mode")) == expected
    assert status(client, world, users, role, url("checking-assign")) == expected


# What the pages do


def test_the_checking_page_shows_who_checks_whom(client, world, checking):
    client.force_login(world.secretariat)
    page = client.get(url("checking-detail")).content.decode()
    assert "Bắc Ninh" in page and "<caption>" in page
    assert url("assessment-check", department="haiphong") in page


def test_choosing_cross_checking_through_the_page_assigns_checkers(client, world):
    evaluation = checking_of(world.year_a)
    client.force_login(world.secretariat)
    response = client.post(url("checking-mode"), {"mode": "cross"})
    assert response.status_code == 302
    assert not evaluation.assessments.filter(checker=None).exists()


def test_cross_checking_two_members_shows_why_it_is_refused(client, world):
    evaluation = checking_of(world.year_b)
    client.force_login(UserFactory(department=world.quangninh))
    response = client.post(
        reverse("evaluations:checking-mode", kwargs={"code": "dong-bac", "year": WORLD_YEAR}),
        {"mode": "cross"},
    )
    assert response.status_code == 200
    assert [e.code for e in response.context["form"].non_field_errors().as_data()] == [
        "too_few_members"
    ]
    assert not evaluation.assessments.exclude(checker=None).exists()


def test_an_assignment_that_makes_a_pair_is_refused_on_the_form(client, world, checking):
    set_checker(checking, world.bacninh, world.vinhphuc)
    client.force_login(world.secretariat)
    members = {m.department.code: m.pk for m in world.year_a.memberships.all()}
    # Hải Phòng is checked by Bắc Ninh: Hải Phòng may not check Bắc Ninh.
    response = client.post(
        url("checking-assign"), {"member": members["bacninh"], "checker": members["haiphong"]}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["checker"]
    assert assessment_of(checking, world.bacninh).checker.department == world.vinhphuc


def test_the_checker_sees_the_line_with_its_explanation_and_evidence(
    client, world, users, checking
):
    score = score_of(assessment_of(checking, world.haiphong), "I.1")
    score.explanation = "Hoàn thành 100% nhiệm vụ."
    score.save()
    Evidence.objects.create(score=score, title="Báo cáo tổng kết", link="/plans/bao-cao/")
    client.force_login(users["checker"])
    page = client.get(url("assessment-check", department="haiphong")).content.decode()
    assert "Hoàn thành 100% nhiệm vụ." in page
    assert 'href="/plans/bao-cao/"' in page
    assert "7,50" in page


def test_proposing_through_the_page_stores_the_adjustment(client, world, users, checking):
    score = score_of(assessment_of(checking, world.haiphong), "I.1")
    client.force_login(users["checker"])
    response = client.post(
        url("adjustment-propose", pk=score.pk), {"to_points": "6", "reason": "Thiếu minh chứng."}
    )
    assert response.status_code == 302
    adjustment = Adjustment.objects.get()
    assert (adjustment.from_points, adjustment.to_points) == (D("7.50"), D("6.00"))


def test_a_bad_proposal_is_shown_again_with_what_was_typed(client, world, users, checking):
    score = score_of(assessment_of(checking, world.haiphong), "I.1")
    client.force_login(users["checker"])
    response = client.post(
        url("adjustment-propose", pk=score.pk), {"to_points": "6.1", "reason": "Lý do riêng."}
    )
    assert response.status_code == 200
    assert response.context["form"].errors
    assert "Lý do riêng." in response.content.decode()
    assert not Adjustment.objects.exists()


def test_a_proposal_without_a_reason_is_refused_on_the_form(client, world, users, checking):
    score = score_of(assessment_of(checking, world.haiphong), "I.1")
    client.force_login(users["checker"])
    response = client.post(url("adjustment-propose", pk=score.pk), {"to_points": "6"})
    assert response.status_code == 200
    assert "reason" in response.context["form"].errors
    assert not Adjustment.objects.exists()


def test_the_secretariat_overrides_through_the_page(client, world, users, checking):
    adjustment = proposal_of(world, checking, users["checker"])
    client.force_login(world.secretariat)
    path = url("adjustment-decide", pk=adjustment.pk)
    response = client.post(path, {"decision": "override", "points": "7"})
    assert response.status_code == 200 and "reason" in response.context["form"].errors
    response = client.post(path, {"decision": "override", "points": "7", "reason": "Đủ."})
    assert response.status_code == 302
    adjustment.refresh_from_db()
    assert (adjustment.status, adjustment.decided_points) == ("overridden", D("7.00"))


def test_the_member_answers_through_the_page_and_sees_the_adjustment(
    client, world, users, checking
):
    adjustment = proposal_of(world, checking, users["checker"])
    client.force_login(world.staff)
    path = url("adjustment-answer", pk=adjustment.pk)
    page = client.get(path).content.decode()
    assert "Minh chứng chưa đầy đủ." in page and "7,50" in page and "6,00" in page
    assert client.post(path, {"answer": "Đã bổ sung."}).status_code == 302
    adjustment.refresh_from_db()
    assert adjustment.answer == "Đã bổ sung."
    assert client.post(path, {"answer": "Lần hai."}).status_code == 403


def test_finalising_through_the_page(client, world, checking):
    client.force_login(world.secretariat)
    response = client.post(url("checking-finalise", department="haiphong"))
    assert response.status_code == 302
    assert assessment_of(checking, world.haiphong).state == Assessment.State.FINALISED


def test_finalising_with_an_undecided_proposal_says_why(client, world, users, checking):
    proposal_of(world, checking, users["checker"])
    client.force_login(world.secretariat)
    response = client.post(url("checking-finalise", department="haiphong"), follow=True)
    errors = [m for m in response.context["messages"] if m.level_tag == "error"]
    assert len(errors) == 1 and "I.1" in errors[0].message
    assert assessment_of(checking, world.haiphong).state == Assessment.State.SUBMITTED


def test_the_publish_page_shows_the_provisional_table(client, world, checking):
    client.force_login(world.secretariat)
    response = client.get(url("evaluation-publish"))
    page = response.content.decode()
    assert "<caption>" in page and "Hải Phòng" in page and "7,50" in page


def test_publishing_through_the_page(client, world, checking):
    for assessment in checking.assessments.all():
        services.assessment_finalise(assessment=assessment, by=world.secretariat)
    client.force_login(world.secretariat)
    response = client.post(
        url("evaluation-publish"), {"results_number": "05/BC-CTĐ", "results_date": "2025-01-15"}
    )
    assert response.status_code == 302
    checking.refresh_from_db()
    assert checking.phase == Evaluation.Phase.PUBLISHED
    assert checking.results_date == datetime.date(2025, 1, 15)
    assert Result.objects.filter(evaluation=checking).count() == 4


def test_publishing_before_finalising_says_why(client, world, checking):
    client.force_login(world.secretariat)
    response = client.post(
        url("evaluation-publish"), {"results_number": "05/BC-CTĐ", "results_date": "2025-01-15"}
    )
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert not Result.objects.exists()


# Query counts


def cross_checked_year(members):
    cluster_year, departments, secretariat = members_year(members)
    evaluation = checking_of(cluster_year)
    services.checking_mode_set(evaluation=evaluation, mode="cross", by=secretariat, seed=1)
    return cluster_year, departments, secretariat


def year_url(cluster_year, name, **kwargs):
    return reverse(
        f"evaluations:{name}",
        kwargs={"code": cluster_year.cluster.code, "year": cluster_year.year, **kwargs},
    )


def test_the_checking_page_costs_the_same_with_7_and_60_members(client):
    small_year, _, small_user = cross_checked_year(7)
    small = queries_for(client, small_user, year_url(small_year, "checking-detail"))
    large_year, _, large_user = cross_checked_year(60)
    large = queries_for(client, large_user, year_url(large_year, "checking-detail"))
    assert len(small) == len(large), "\n".join([*small, "", *large])


def test_the_publish_page_costs_the_same_with_7_and_60_members(client):
    small_year, _, small_user = cross_checked_year(7)
    small = queries_for(client, small_user, year_url(small_year, "evaluation-publish"))
    large_year, _, large_user = cross_checked_year(60)
    large = queries_for(client, large_user, year_url(large_year, "evaluation-publish"))
    assert len(small) == len(large), "\n".join([*small, "", *large])


def test_the_checking_page_of_an_assessment_costs_the_same_with_more_adjustments(
    client, world, users, checking
):
    path = url("assessment-check", department="haiphong")
    finalise = url("checking-finalise", department="haiphong")
    few = queries_for(client, world.secretariat, path)
    few_finalise = queries_for(client, world.secretariat, finalise)
    assessment = assessment_of(checking, world.haiphong)
    for code, to in (("I.1", "6"), ("I.2", "5"), ("II.1", "1")):
        adjustment = services.adjustment_propose(
            score=score_of(assessment, code), to_points=D(to), reason="Lý do.", by=users["checker"]
        )
        if code != "II.1":
            services.adjustment_decide(
                adjustment=adjustment, decision="accept", by=world.secretariat
            )
        Evidence.objects.create(score=score_of(assessment, code), link=f"/plans/{code}/")
    many = queries_for(client, world.secretariat, path)
    assert len(few) == len(many), "\n".join([*few, "", *many])
    assert len(few_finalise) == len(queries_for(client, world.secretariat, finalise))


def test_the_answer_and_decision_pages_cost_the_same_with_more_adjustments(
    client, world, users, checking
):
    adjustment = proposal_of(world, checking, users["checker"])
    answer_url = url("adjustment-answer", pk=adjustment.pk)
    decide_url = url("adjustment-decide", pk=adjustment.pk)
    few = [
        queries_for(client, world.staff, answer_url),
        queries_for(client, world.secretariat, decide_url),
    ]
    assessment = assessment_of(checking, world.haiphong)
    for code, to in (("I.2", "5"), ("II.1", "1"), ("III.1", "2")):
        earlier = services.adjustment_propose(
            score=score_of(assessment, code), to_points=D(to), reason="Lý do.", by=users["checker"]
        )
        services.adjustment_decide(adjustment=earlier, decision="reject", by=world.secretariat)
        services.adjustment_answer(adjustment=earlier, answer="Đồng ý.", by=world.signatory)
    many = [
        queries_for(client, world.staff, answer_url),
        queries_for(client, world.secretariat, decide_url),
    ]
    assert [len(q) for q in few] == [len(q) for q in many], "\n".join([*few[0], "", *many[0]])


# Dashboard items


def dashboard_items(client, user):
    client.force_login(user)
    response = client.get(reverse("members:dashboard"))
    assert response.status_code == 200
    return response.content.decode()


def test_the_checker_is_pointed_to_the_assessment_it_checks(client, world, users, checking):
    page = dashboard_items(client, users["checker"])
    assert url("assessment-check", department="haiphong") in page


def test_the_member_is_pointed_to_the_adjustments_it_may_answer(client, world, users, checking):
    adjustment = proposal_of(world, checking, users["checker"])
    assert url("adjustment-answer", pk=adjustment.pk) in dashboard_items(client, world.staff)
    services.adjustment_answer(adjustment=adjustment, answer="Đồng ý.", by=world.staff)
    assert url("adjustment-answer", pk=adjustment.pk) not in dashboard_items(client, world.staff)


def test_the_secretariat_is_pointed_to_the_proposals_to_decide(client, world, users, checking):
    assert url("checking-detail") not in dashboard_items(client, world.secretariat)
    proposal_of(world, checking, users["checker"])
    assert url("checking-detail") in dashboard_items(client, world.secretariat)


def test_other_members_and_reviewers_get_no_checking_items(client, world, users, checking):
    proposal_of(world, checking, users["checker"])
    for user in (users["other_member"], world.reviewer, world.outsider):
        page = dashboard_items(client, user)
        assert "/checking/" not in page and "/check/" not in page


def test_the_adjustments_include_shows_who_when_from_to_why_and_the_answer(
    client, world, users, checking
):
    first = proposal_of(world, checking, users["checker"])
    services.adjustment_decide(adjustment=first, decision="reject", by=world.secretariat)
    services.adjustment_answer(adjustment=first, answer="Cảm ơn đã xem xét.", by=world.signatory)
    second = proposal_of(world, checking, world.secretariat, to="5")
    client.force_login(world.staff)
    page = client.get(url("adjustment-answer", pk=second.pk)).content.decode()
    assert page.count('class="card mb-2" id="adjustment-') == 2
    assert "Cảm ơn đã xem xét." in page
    assert "Bắc Ninh" in page  # who proposed the first: the checking member
    assert "GMT+7" in page
