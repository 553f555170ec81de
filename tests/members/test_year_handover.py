"""The year handover: a new year may start from last year's covenant text and work plan as
drafts; the incoming leader gets the set-up to-do; the outgoing leader still reads its year."""

import datetime

import pytest
from django.urls import reverse

from agreements.models import Covenant
from members import permissions, services
from plans.models import Activity, WorkPlan
from tests.factories import ActivityFactory, WorkPlanFactory
from tests.helpers import COMMITMENTS, WORLD_YEAR, draft_covenant, todo_of

pytestmark = pytest.mark.django_db

NEW_YEAR = WORLD_YEAR + 1


def start_next_year(world, *, copy=()):
    """World's cluster A starts next year with Hải Phòng as its new leader."""
    return services.cluster_year_start(
        cluster=world.cluster_a,
        year=NEW_YEAR,
        members=[world.hanoi, world.vinhphuc, world.haiphong, world.bacninh],
        leader=world.haiphong,
        deputy=world.bacninh,
        copy=copy,
        by=world.secretariat,
    )


def last_years_plan(world):
    plan = WorkPlanFactory(cluster_year=world.year_a, title=f"Kế hoạch công tác năm {WORLD_YEAR}")
    ActivityFactory(
        work_plan=plan,
        host=world.vinhphuc,
        starts_on=datetime.date(WORLD_YEAR, 5, 24),
        status=Activity.Status.DONE,
        progress=100,
    )
    return plan


def test_the_start_form_offers_to_copy_the_covenant_and_the_plan(client, world):
    client.force_login(world.secretariat)
    page = client.get(reverse("members:clusteryear-start", kwargs={"code": "bac-bo"}))
    html = page.content.decode()
    assert 'name="copy_covenant"' in html and 'name="copy_work_plan"' in html


def test_starting_a_year_from_the_form_copies_what_is_ticked(client, world):
    draft_covenant(world)
    last_years_plan(world)
    client.force_login(world.secretariat)
    response = client.post(
        reverse("members:clusteryear-start", kwargs={"code": "bac-bo"}),
        {
            "year": NEW_YEAR,
            "members": [d.pk for d in (world.hanoi, world.haiphong)],
            "leader": world.haiphong.pk,
            "copy_covenant": "on",
        },
    )
    assert response.status_code == 302
    assert Covenant.objects.filter(cluster_year__year=NEW_YEAR).exists()
    assert not WorkPlan.objects.filter(cluster_year__year=NEW_YEAR).exists()


def test_the_copied_covenant_is_a_draft_with_last_years_text(world):
    draft_covenant(world)
    cluster_year = start_next_year(world, copy=["covenant"])
    covenant = Covenant.objects.get(cluster_year=cluster_year)
    assert covenant.state == Covenant.State.DRAFT
    assert covenant.title == f"Giao ước thi đua năm {NEW_YEAR}"
    assert [c.text for c in covenant.commitments.order_by("position")] == COMMITMENTS
    assert covenant.deadline is None and covenant.signing_date is None


def test_the_copied_plan_moves_its_activities_to_the_new_year_as_planned(world):
    last_years_plan(world)
    cluster_year = start_next_year(world, copy=["work_plan"])
    plan = WorkPlan.objects.get(cluster_year=cluster_year)
    assert plan.title == f"Kế hoạch công tác năm {NEW_YEAR}"
    (activity,) = plan.activities.all()
    assert activity.starts_on == datetime.date(NEW_YEAR, 5, 24)
    assert activity.status == Activity.Status.PLANNED and activity.progress == 0
    assert activity.host == world.vinhphuc


def test_nothing_is_copied_unless_asked(world):
    draft_covenant(world)
    last_years_plan(world)
    cluster_year = start_next_year(world)
    assert not Covenant.objects.filter(cluster_year=cluster_year).exists()
    assert not WorkPlan.objects.filter(cluster_year=cluster_year).exists()


def test_the_incoming_leaders_users_get_the_setup_todo(world):
    cluster_year = start_next_year(world)
    keys = {item.key for item in todo_of(world.staff)}
    assert {f"new-year-covenant:{cluster_year.pk}", f"new-year-plan:{cluster_year.pk}"} <= keys


def test_a_copied_covenant_still_waits_on_the_incoming_leader_to_open_it(world):
    draft_covenant(world)
    cluster_year = start_next_year(world, copy=["covenant"])
    covenant = Covenant.objects.get(cluster_year=cluster_year)
    items = [i for i in todo_of(world.staff) if i.key == f"new-year-covenant:{cluster_year.pk}"]
    assert [i.url for i in items] == [covenant.get_absolute_url()]


def test_the_outgoing_leaders_users_do_not_get_the_new_years_setup_todo(world):
    cluster_year = start_next_year(world)
    keys = {item.key for item in todo_of(world.secretariat)}
    assert f"new-year-covenant:{cluster_year.pk}" not in keys


def test_the_outgoing_leader_keeps_read_access_to_the_year_it_led(client, world):
    start_next_year(world)
    assert permissions.can_view_cluster_year(world.secretariat, world.year_a)
    client.force_login(world.secretariat)
    response = client.get(world.year_a.get_absolute_url())
    assert response.status_code == 200


def test_the_outgoing_leader_no_longer_manages_the_new_year(world):
    cluster_year = start_next_year(world)
    cluster_year.refresh_from_db()
    assert not permissions.can_manage_cluster_year(world.secretariat, cluster_year)
    assert permissions.can_manage_cluster_year(world.staff, cluster_year)
