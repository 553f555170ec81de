"""Who may check, decide, answer, finalise and publish: a test per role."""

from decimal import Decimal as D

import pytest
from django.contrib.auth.models import AnonymousUser

from evaluations import permissions
from evaluations.models import Adjustment
from tests.factories import UserFactory
from tests.helpers import assessment_of, checking_of, set_checker

pytestmark = pytest.mark.django_db

ROLES = [
    "secretariat",
    "checker",
    "other_member",
    "staff",
    "signatory",
    "reviewer",
    "outsider",
    "anonymous",
    "site_admin",
]


@pytest.fixture
def picture(world):
    """Cluster A in checking; Bắc Ninh cross-checks Hải Phòng (``staff``, ``signatory``),
    which has one proposed adjustment."""
    evaluation = checking_of(world.year_a)
    assessment = set_checker(evaluation, world.haiphong, world.bacninh)
    checker = UserFactory(department=world.bacninh)
    score = assessment.scores.get(criterion__code="I.1")
    adjustment = Adjustment.objects.create(
        score=score,
        proposed_by=checker,
        checker=assessment.checker,
        proposed_at=assessment.created_at,
        from_points=D("0"),
        to_points=D("1"),
        reason="Lý do.",
    )
    users = {
        "checker": checker,
        "other_member": UserFactory(department=world.vinhphuc),
        "anonymous": AnonymousUser(),
    }
    return evaluation, assessment_of(evaluation, world.haiphong), adjustment, users


def user_of(world, users, role):
    return users.get(role) or world.user(role)


def allowed_roles(world, users, predicate, obj):
    return {role for role in ROLES if predicate(user_of(world, users, role), obj)}


def test_the_checker_and_the_secretariat_check_an_assessment(world, picture):
    _, assessment, _, users = picture
    assert allowed_roles(world, users, permissions.can_check_assessment, assessment) == {
        "secretariat",
        "checker",
        "site_admin",
    }


def test_the_secretariat_alone_decides_an_adjustment(world, picture):
    _, _, adjustment, users = picture
    assert allowed_roles(world, users, permissions.can_decide_adjustment, adjustment) == {
        "secretariat",
        "site_admin",
    }


def test_the_member_itself_answers_an_adjustment(world, picture):
    _, _, adjustment, users = picture
    assert allowed_roles(world, users, permissions.can_answer_adjustment, adjustment) == {
        "staff",
        "signatory",
    }


def test_an_answered_adjustment_takes_no_second_answer(world, picture):
    _, _, adjustment, _ = picture
    adjustment.answered_at = adjustment.proposed_at
    assert not permissions.can_answer_adjustment(world.staff, adjustment)


def test_the_secretariat_alone_finalises(world, picture):
    _, assessment, _, users = picture
    assert allowed_roles(world, users, permissions.can_finalise_assessment, assessment) == {
        "secretariat",
        "site_admin",
    }


def test_the_secretariat_alone_publishes(world, picture):
    evaluation, _, _, users = picture
    assert allowed_roles(world, users, permissions.can_publish, evaluation) == {
        "secretariat",
        "site_admin",
    }


def test_the_checking_overview_is_for_the_secretariat_and_reviewers(world, picture):
    evaluation, _, _, users = picture
    assert allowed_roles(world, users, permissions.can_view_checking, evaluation) == {
        "secretariat",
        "reviewer",
        "site_admin",
    }


def test_the_secretariat_alone_chooses_the_method(world, picture):
    evaluation, _, _, users = picture
    assert allowed_roles(world, users, permissions.can_manage_checking, evaluation) == {
        "secretariat",
        "site_admin",
    }


def test_nobody_checks_outside_the_checking_phase(world, picture):
    evaluation, assessment, adjustment, _ = picture
    evaluation.phase = assessment.evaluation.phase = "published"
    assert not permissions.can_check_assessment(world.secretariat, assessment)
    assert not permissions.can_publish(world.secretariat, evaluation)
    assert not permissions.can_manage_checking(world.secretariat, evaluation)
    adjustment.score.assessment.evaluation.phase = "published"
    assert not permissions.can_decide_adjustment(world.secretariat, adjustment)
    assert not permissions.can_answer_adjustment(world.staff, adjustment)
