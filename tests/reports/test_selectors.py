"""Reads of the reports: scope per role, figures, warnings, membership changes."""

import datetime

import pytest
from django.utils import translation

from agreements.models import Covenant
from members.models import ClusterYear, Membership
from plans.models import Activity
from reports import selectors
from tests.helpers import WORLD_YEAR, cluster_year_with, covenant_for, plan_for

pytestmark = pytest.mark.django_db

TODAY = datetime.date(WORLD_YEAR, 6, 1)


def clusters_in(overview):
    return sorted(row.cluster.code for row in overview.rows)


def row_a(world):
    with translation.override("en"):
        overview = selectors.overview(user=world.reviewer, year=WORLD_YEAR, today=TODAY)
    return next(row for row in overview.rows if row.cluster == world.cluster_a)


def test_a_reviewer_sees_every_cluster_of_the_year(world):
    overview = selectors.overview(user=world.reviewer, year=WORLD_YEAR, today=TODAY)
    assert clusters_in(overview) == ["bac-bo", "dong-bac"]


def test_a_site_admin_sees_every_cluster_of_the_year(world):
    overview = selectors.overview(user=world.site_admin, year=WORLD_YEAR, today=TODAY)
    assert clusters_in(overview) == ["bac-bo", "dong-bac"]


def test_the_secretariat_sees_only_its_own_cluster(world):
    overview = selectors.overview(user=world.secretariat, year=WORLD_YEAR, today=TODAY)
    assert clusters_in(overview) == ["bac-bo"]


def test_a_member_of_another_cluster_sees_only_that_cluster(world):
    overview = selectors.overview(user=world.outsider, year=WORLD_YEAR, today=TODAY)
    assert clusters_in(overview) == ["dong-bac"]


def test_the_year_defaults_to_the_latest_year_not_after_today(world):
    cluster_year_with(world.cluster_a, WORLD_YEAR + 1, leader=world.hanoi)
    overview = selectors.overview(user=world.reviewer, today=TODAY)
    assert overview.year == WORLD_YEAR
    assert overview.years == [WORLD_YEAR + 1, WORLD_YEAR]


def test_the_overview_shows_leader_deputy_and_member_count(world):
    row = row_a(world)
    assert row.leader.full_name == world.hanoi.full_name
    assert row.deputy.full_name == world.vinhphuc.full_name
    assert row.members == 4


def test_the_share_signed_counts_current_signatures_against_the_members(world):
    covenant_for(world.year_a, signed=[world.hanoi, world.haiphong, world.bacninh])
    row = row_a(world)
    assert (row.signed, row.share_signed, row.covenant_state) == (3, 75, Covenant.State.OPEN)


def test_a_passed_deadline_with_signatures_missing_is_a_warning(world, past):
    covenant_for(world.year_a, deadline=past, signed=[world.hanoi])
    row = row_a(world)
    assert any("3 of 4" in warning for warning in row.warnings)


def test_a_passed_deadline_with_every_signature_is_no_warning(world, past):
    everyone = [world.hanoi, world.vinhphuc, world.haiphong, world.bacninh]
    covenant_for(world.year_a, deadline=past, signed=everyone)
    row = row_a(world)
    assert row.warnings == []


def test_an_unfinished_activity_that_ended_before_today_is_overdue(world):
    plan_for(
        world.year_a,
        (Activity.Status.PLANNED, 0, datetime.date(WORLD_YEAR, 3, 1)),
        (Activity.Status.DONE, 100, datetime.date(WORLD_YEAR, 3, 2)),
        (Activity.Status.PLANNED, 0, datetime.date(WORLD_YEAR, 9, 1)),
    )
    row = row_a(world)
    assert row.overdue_count == 1
    assert [a.ends_on.month for a in row.next_activities] == [9]
    assert row.plan_progress == 33


def test_the_state_filter_keeps_clusters_without_covenant_when_asked(world):
    covenant_for(world.year_a)
    overview = selectors.overview(
        user=world.reviewer, year=WORLD_YEAR, state=selectors.NO_COVENANT, today=TODAY
    )
    assert clusters_in(overview) == ["dong-bac"]


def test_the_cluster_filter_keeps_one_cluster(world):
    overview = selectors.overview(
        user=world.reviewer, year=WORLD_YEAR, cluster_code="dong-bac", today=TODAY
    )
    assert clusters_in(overview) == ["dong-bac"]


def test_the_monthly_chart_counts_done_activities_by_month(world):
    plan_for(
        world.year_a,
        (Activity.Status.DONE, 100, datetime.date(WORLD_YEAR, 3, 2)),
        (Activity.Status.DONE, 100, datetime.date(WORLD_YEAR, 3, 20)),
        (Activity.Status.PLANNED, 0, datetime.date(WORLD_YEAR, 4, 1)),
    )
    chart = selectors.overview(user=world.reviewer, year=WORLD_YEAR, today=TODAY).monthly_chart
    assert [bar.value for bar in chart.bars] == [0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0]


def test_a_merger_is_shown_as_a_merger_not_as_a_leaving_and_a_joining(world):
    world.bacninh.valid_to = datetime.date(WORLD_YEAR, 12, 31)
    world.bacninh.successor = world.langson
    world.bacninh.save()
    current = cluster_year_with(
        world.cluster_a,
        WORLD_YEAR + 1,
        leader=world.hanoi,
        members=[world.haiphong, world.langson],
    )
    report = selectors.cluster_year_report(
        cluster_year=selectors.cluster_year_get(code="bac-bo", year=WORLD_YEAR + 1)
    )
    changes = {(c.kind, c.department.code) for c in report.changes}
    assert changes == {("merged", "bacninh"), ("left", "vinhphuc")}
    assert current.pk == report.cluster_year.pk


def test_the_report_lists_every_member_on_the_signing_board(world):
    covenant_for(world.year_a, signed=[world.haiphong])
    report = selectors.cluster_year_report(
        cluster_year=selectors.cluster_year_get(code="bac-bo", year=WORLD_YEAR)
    )
    statuses = {row.membership.department.code: row.status for row in report.board.rows}
    assert statuses == {
        "hanoi": "pending",
        "vinhphuc": "pending",
        "haiphong": "signed",
        "bacninh": "pending",
    }


def test_the_cluster_history_has_every_year_oldest_first(world):
    cluster_year_with(world.cluster_a, WORLD_YEAR - 1, leader=world.vinhphuc)
    history = selectors.cluster_history(cluster=world.cluster_a)
    assert [f.cluster_year.year for f in history.years] == [WORLD_YEAR - 1, WORLD_YEAR]
    assert [f.leader.department.code for f in history.years] == ["vinhphuc", "hanoi"]


def test_a_departments_history_shows_its_covenant_response(world):
    covenant_for(world.year_a, signed=[world.haiphong])
    record = selectors.department_history(department=world.haiphong, user=world.reviewer)
    assert [(item.membership.cluster_year.year, item.signature is not None) for item in record] == [
        (WORLD_YEAR, True)
    ]


def test_a_departments_history_leaves_out_clusters_the_user_cannot_see(world):
    cluster_year = ClusterYear.objects.create(cluster=world.cluster_b, year=WORLD_YEAR - 1)
    Membership.objects.create(
        cluster_year=cluster_year,
        department=world.haiphong,
        **Membership.snapshot_of(world.haiphong),
    )
    record = selectors.department_history(department=world.haiphong, user=world.secretariat)
    assert [item.membership.cluster_year.cluster.code for item in record] == ["bac-bo"]
