"""The evaluation's dashboard items (``evaluations.selectors.evaluation_attention_items``,
registered with the members app): per role, per phase, and the dashboard's query count."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from evaluations.models import Assessment, Evaluation
from members import selectors as member_selectors
from tests.factories import UserFactory
from tests.helpers import assert_same_count, assessment_of, evaluation_for, queries_for
from tests.members.test_queries import cluster_of

pytestmark = pytest.mark.django_db

OPEN_UNTIL = "Tự chấm điểm mở đến"  # the UI is in Vietnamese by default


def deadline_in(days: int) -> datetime.datetime:
    return timezone.now() + datetime.timedelta(days=days)


def messages(world, role: str, cluster_year=None) -> list[str]:
    """The dashboard items of ``role`` for the world's cluster year A, as the dashboard
    loads that year."""
    cluster_year = cluster_year or world.year_a
    loaded = member_selectors.cluster_year_get(
        code=cluster_year.cluster.code, year=cluster_year.year
    )
    items = member_selectors.attention_items_for(user=world.user(role), cluster_years=[loaded])
    # The year's set-up (draft the covenant and plan) is the leader's to-do, not the evaluation's.
    return [item.message for item in items[loaded.pk] if item.kind != "new-year"]


def zoned(value: datetime.datetime) -> str:
    return f"{timezone.localtime(value):%H:%M %d/%m/%Y} (GMT+7)"


@pytest.fixture
def open_evaluation(world):
    """Cluster A's evaluation in self-assessment, its deadline a week ahead."""
    return evaluation_for(world.year_a, self_assessment_deadline=deadline_in(7))


def submit(evaluation, department):
    Assessment.objects.filter(pk=assessment_of(evaluation, department).pk).update(
        state=Assessment.State.SUBMITTED, submitted_at=timezone.now()
    )


@pytest.mark.parametrize("role", ["staff", "signatory"])
def test_a_member_with_a_draft_is_told_self_assessment_is_open_until_the_deadline(
    world, open_evaluation, role
):
    expected = zoned(open_evaluation.self_assessment_deadline)
    assert [m for m in messages(world, role) if OPEN_UNTIL in m] == [
        f"{OPEN_UNTIL} {expected}: hãy nhập và gửi điểm tự chấm của đơn vị"
    ]


def test_the_secretariat_sees_how_many_members_have_submitted(world, open_evaluation):
    submit(open_evaluation, world.haiphong)
    found = messages(world, "secretariat")
    assert "1/4 thành viên đã gửi bản tự chấm điểm" in found
    assert any(OPEN_UNTIL in m for m in found)  # Hà Nội is a member too, with its draft


@pytest.mark.parametrize("role", ["outsider", "reviewer", "anonymous"])
def test_users_outside_the_year_and_reviewers_get_no_evaluation_item(world, open_evaluation, role):
    assert messages(world, role) == []


def test_the_site_admin_sees_the_submission_count_but_no_draft_of_its_own(world, open_evaluation):
    assert messages(world, "site_admin")[-1:] == ["0/4 thành viên đã gửi bản tự chấm điểm"]
    assert not any(OPEN_UNTIL in m for m in messages(world, "site_admin"))


def test_a_member_that_submitted_is_no_longer_asked(world, open_evaluation):
    submit(open_evaluation, world.haiphong)
    assert not any(OPEN_UNTIL in m for m in messages(world, "staff"))


def test_after_the_deadline_a_member_is_no_longer_asked_unless_its_deadline_is_extended(world):
    evaluation = evaluation_for(world.year_a, self_assessment_deadline=deadline_in(-1))
    assert not any(OPEN_UNTIL in m for m in messages(world, "staff"))
    extended = deadline_in(3)
    Assessment.objects.filter(pk=assessment_of(evaluation, world.haiphong).pk).update(
        deadline_extended_to=extended
    )
    assert any(zoned(extended) in m for m in messages(world, "staff"))


def test_a_draft_evaluation_asks_nothing(world):
    evaluation_for(world.year_a, adopted=False)
    assert messages(world, "staff") == [] and messages(world, "secretariat") == []


def test_during_checking_the_secretariat_sees_the_submitted_assessments_waiting(world):
    evaluation = evaluation_for(world.year_a, phase=Evaluation.Phase.CHECKING)
    submit(evaluation, world.haiphong)
    submit(evaluation, world.bacninh)
    assert "2 bản tự chấm điểm đã gửi đang chờ chấm điểm và chốt kết quả" in messages(
        world, "secretariat"
    )
    assert messages(world, "staff") == []


def test_the_dashboard_shows_the_item_to_the_member(client, world, open_evaluation):
    client.force_login(world.staff)
    response = client.get(reverse("members:dashboard"))
    assert OPEN_UNTIL in response.content.decode()


def test_the_dashboard_of_the_secretariat_costs_the_same_with_3_and_20_members(client):
    cluster, _, small_user = cluster_of(members=3)
    evaluation_for(cluster.years.get(), self_assessment_deadline=deadline_in(7))
    small = queries_for(client, small_user, reverse("members:dashboard"))
    cluster, _, large_user = cluster_of(members=20)
    evaluation_for(cluster.years.get(), self_assessment_deadline=deadline_in(7))
    large = queries_for(client, large_user, reverse("members:dashboard"))
    assert_same_count(small, large)


def test_the_dashboard_of_a_member_costs_the_same_with_3_and_20_members(client):
    cluster, departments, _ = cluster_of(members=3)
    evaluation_for(cluster.years.get(), self_assessment_deadline=deadline_in(7))
    small = queries_for(
        client, UserFactory(department=departments[2]), reverse("members:dashboard")
    )
    cluster, departments, _ = cluster_of(members=20)
    evaluation_for(cluster.years.get(), self_assessment_deadline=deadline_in(7))
    large = queries_for(
        client, UserFactory(department=departments[2]), reverse("members:dashboard")
    )
    assert_same_count(small, large)
