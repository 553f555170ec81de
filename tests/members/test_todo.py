""" "Việc của tôi": each role's to-do items appear when the data calls for them and go when
done (computed from the data by the providers the apps register)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from agreements.models import Covenant
from plans import services as plan_services
from plans.models import Activity, CharterComment
from tests.factories import ActivityFactory, WorkPlanFactory
from tests.helpers import (
    WORLD_YEAR,
    charter_open_for_comments,
    covenant_for,
    draft_covenant,
    open_covenant,
    plan_for,
    sign,
    todo_kinds,
    todo_of,
)

pytestmark = pytest.mark.django_db

ROLES = ["secretariat", "signatory", "staff", "outsider", "reviewer"]


def keys(user) -> set[str]:
    return {item.key for item in todo_of(user) if item.key}


def prefixed(user, prefix: str) -> list:
    return [item for item in todo_of(user) if item.key.startswith(prefix)]


# Sign or decline the covenant


def test_an_open_covenant_is_on_the_signatorys_todo_until_signed(world):
    covenant = open_covenant(draft_covenant(world), world.secretariat)
    items = prefixed(world.signatory, "covenant-sign:")
    assert [item.url for item in items] == [covenant.get_absolute_url()]
    sign(Covenant.objects.get(pk=covenant.pk), world.signatory)
    assert prefixed(world.signatory, "covenant-sign:") == []


@pytest.mark.parametrize("role", ["secretariat", "staff", "outsider", "reviewer"])
def test_only_signatories_are_asked_to_sign(world, role):
    open_covenant(draft_covenant(world), world.secretariat)
    assert prefixed(world.user(role), "covenant-sign:") == []


def test_anonymous_users_have_no_todo_page(client):
    response = client.get(reverse("members:dashboard"))
    assert response.status_code == 302


# Lead the new year: set up the covenant and the plan


def test_the_leader_is_asked_to_draft_the_covenant_and_the_plan(world):
    pk = world.year_a.pk
    assert {f"new-year-covenant:{pk}", f"new-year-plan:{pk}"} <= keys(world.secretariat)


def test_a_drafted_covenant_asks_the_leader_to_open_it_and_opening_ends_it(world):
    covenant = draft_covenant(world)
    (item,) = prefixed(world.secretariat, "new-year-covenant:")
    assert item.url == covenant.get_absolute_url()
    open_covenant(covenant, world.secretariat)
    assert prefixed(world.secretariat, "new-year-covenant:") == []


def test_creating_the_work_plan_ends_the_plan_item(world):
    plan_services.work_plan_create(
        cluster_year=world.year_a, title="Kế hoạch công tác năm 2024", by=world.secretariat
    )
    assert prefixed(world.secretariat, "new-year-plan:") == []


@pytest.mark.parametrize("role", ["signatory", "staff", "outsider", "reviewer"])
def test_only_the_leaders_users_are_asked_to_set_up_the_year(world, role):
    pk = world.year_a.pk
    assert not {f"new-year-covenant:{pk}", f"new-year-plan:{pk}"} & keys(world.user(role))


# The charter consultation


def test_an_open_charter_asks_members_for_comments_until_their_department_comments(world):
    version = charter_open_for_comments(world)
    (item,) = prefixed(world.staff, "charter-open:")
    assert item.url == version.get_absolute_url()
    assert prefixed(world.signatory, "charter-open:"), "the same department's other user"
    plan_services.charter_comment_create(
        article=version.articles.get(), body="Đề nghị bổ sung khoản 2.", by=world.staff
    )
    assert prefixed(world.staff, "charter-open:") == []
    assert prefixed(world.signatory, "charter-open:") == []


@pytest.mark.parametrize("role", ["secretariat", "outsider", "reviewer"])
def test_the_consultation_item_is_for_members_only(world, role):
    charter_open_for_comments(world)
    assert prefixed(world.user(role), "charter-open:") == []


def test_comments_awaiting_an_answer_are_on_the_secretariats_todo_until_answered(world):
    version = charter_open_for_comments(world)
    comment = plan_services.charter_comment_create(
        article=version.articles.get(), body="Đề nghị bổ sung khoản 2.", by=world.staff
    )
    (item,) = prefixed(world.secretariat, "charter-comments:")
    assert item.url == version.get_absolute_url()
    plan_services.charter_comment_answer(
        comment=CharterComment.objects.get(pk=comment.pk),
        answer="Tiếp thu.",
        resolve=True,
        by=world.secretariat,
    )
    assert prefixed(world.secretariat, "charter-comments:") == []


@pytest.mark.parametrize("role", ["signatory", "staff", "outsider", "reviewer"])
def test_only_the_secretariat_answers_comments(world, role):
    version = charter_open_for_comments(world)
    plan_services.charter_comment_create(
        article=version.articles.get(), body="Đề nghị bổ sung khoản 2.", by=world.staff
    )
    assert prefixed(world.user(role), "charter-comments:") == []


# Report on an activity your department hosts


def test_an_ended_activity_is_on_the_hosts_todo_until_reported(world):
    plan = WorkPlanFactory(cluster_year=world.year_a)
    ended = timezone.localdate() - datetime.timedelta(days=2)
    activity = ActivityFactory(work_plan=plan, host=world.haiphong, starts_on=ended, ends_on=ended)
    assert [i.key for i in prefixed(world.staff, "activity-report:")] == [
        f"activity-report:{activity.pk}"
    ]
    assert prefixed(world.outsider, "activity-report:") == []
    assert prefixed(world.reviewer, "activity-report:") == []
    Activity.objects.filter(pk=activity.pk).update(status=Activity.Status.DONE, progress=100)
    assert prefixed(world.staff, "activity-report:") == []


# Reviewers: clusters with warnings


def test_a_passed_signing_deadline_with_members_unsigned_is_on_the_reviewers_todo(world):
    past = timezone.now() - datetime.timedelta(days=1)
    covenant = covenant_for(world.year_a, deadline=past, signed=[world.hanoi])
    (item,) = prefixed(world.reviewer, "warning-deadline:")
    assert item.url == reverse(
        "reports:clusteryear-report", kwargs={"code": "bac-bo", "year": WORLD_YEAR}
    )
    assert "3" in item.message
    assert item.key == f"warning-deadline:{covenant.pk}"


def test_a_passed_deadline_with_every_member_signed_is_no_warning(world):
    past = timezone.now() - datetime.timedelta(days=1)
    covenant_for(
        world.year_a,
        deadline=past,
        signed=[world.hanoi, world.vinhphuc, world.haiphong, world.bacninh],
    )
    assert prefixed(world.reviewer, "warning-deadline:") == []


def test_overdue_activities_are_a_warning_for_reviewers_only(world):
    plan_for(
        world.year_a,
        (Activity.Status.PLANNED, 0, timezone.localdate() - datetime.timedelta(days=3)),
    )
    assert [i.key for i in prefixed(world.reviewer, "warning-overdue:")] == [
        f"warning-overdue:{world.year_a.pk}"
    ]
    for role in ["secretariat", "signatory", "staff", "outsider"]:
        assert prefixed(world.user(role), "warning-") == []


# The dashboard


@pytest.mark.parametrize("role", ROLES)
def test_the_dashboard_shows_my_todo_for_every_role(client, world, role):
    client.force_login(world.user(role))
    response = client.get(reverse("members:dashboard"))
    assert response.status_code == 200
    assert 'id="my-todo-heading"' in response.content.decode()


def test_the_dashboard_links_each_todo_item_to_where_it_is_done(client, world):
    covenant = open_covenant(draft_covenant(world), world.secretariat)
    client.force_login(world.signatory)
    page = client.get(reverse("members:dashboard")).content.decode()
    todo = page.split('id="my-todo-heading"', 1)[1].split("</section>", 1)[0]
    assert f'href="{covenant.get_absolute_url()}"' in todo


def test_a_year_started_after_the_current_one_brings_its_setup_items(world):
    from tests.helpers import cluster_year_with

    next_year = cluster_year_with(
        world.cluster_a, WORLD_YEAR + 1, leader=world.haiphong, members=[world.hanoi]
    )
    assert f"new-year-covenant:{next_year.pk}" in keys(world.staff)
    assert f"new-year-plan:{next_year.pk}" in keys(world.staff)


def test_every_kind_on_a_todo_list_is_registered(world):
    from members.selectors import attention_kinds

    open_covenant(draft_covenant(world), world.secretariat)
    registered = {code for code, _label in attention_kinds()}
    for role in ROLES:
        assert set(todo_kinds(world.user(role))) <= registered
