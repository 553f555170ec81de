"""Every predicate of ``members.permissions``, for every role (one test per role)."""

import pytest

from members import permissions, services
from members.models import ClusterYear
from tests.factories import UserFactory
from tests.helpers import WORLD_YEAR, cluster_year_with

pytestmark = pytest.mark.django_db

ROLES = ["secretariat", "signatory", "staff", "outsider", "reviewer", "site_admin", "anonymous"]


def per_role(*allowed: str):
    """One case per role: (role, whether the predicate holds for it)."""
    return pytest.mark.parametrize(
        ("role", "expected"), [pytest.param(role, role in allowed, id=role) for role in ROLES]
    )


@per_role("site_admin")
def test_only_superusers_are_site_admins(world, role, expected):
    assert permissions.is_site_admin(world.user(role)) is expected


@per_role("reviewer")
def test_only_ministry_reviewers_are_reviewers(world, role, expected):
    assert permissions.is_reviewer(world.user(role)) is expected


@per_role("secretariat", "signatory", "staff", "reviewer", "site_admin")
def test_a_cluster_is_visible_to_its_members_reviewers_and_admins(world, role, expected):
    assert permissions.can_view_cluster(world.user(role), world.cluster_a) is expected


@per_role("secretariat", "signatory", "staff", "reviewer", "site_admin")
def test_a_cluster_year_is_visible_to_its_members_reviewers_and_admins(world, role, expected):
    assert permissions.can_view_cluster_year(world.user(role), world.year_a) is expected


@per_role("secretariat")
def test_the_secretariat_is_the_leader_departments_users(world, role, expected):
    assert permissions.is_secretariat(world.user(role), world.year_a) is expected


@per_role("secretariat", "site_admin")
def test_a_year_is_managed_by_its_secretariat_and_admins(world, role, expected):
    assert permissions.can_manage_cluster_year(world.user(role), world.year_a) is expected


@per_role("site_admin")
def test_a_closed_year_is_managed_by_admins_only(world, role, expected):
    world.year_a.phase = ClusterYear.Phase.CLOSED
    assert permissions.can_manage_cluster_year(world.user(role), world.year_a) is expected


@per_role("secretariat", "site_admin")
def test_a_new_year_is_started_by_the_latest_secretariat_and_admins(world, role, expected):
    assert permissions.can_start_year(world.user(role), world.cluster_a) is expected


@per_role("secretariat", "signatory", "staff", "reviewer", "site_admin")
def test_a_department_is_visible_to_those_sharing_a_cluster_with_it(world, role, expected):
    assert permissions.can_view_department(world.user(role), world.bacninh) is expected


@per_role("outsider", "reviewer", "site_admin")
def test_the_other_clusters_department_is_hidden_from_cluster_a(world, role, expected):
    assert permissions.can_view_department(world.user(role), world.langson) is expected


# Beyond the fixed roles


def test_a_department_user_sees_its_own_department_outside_any_cluster(db):
    user = UserFactory()
    assert permissions.can_view_department(user, user.department)


def test_the_deputy_is_not_the_secretariat(world):
    deputy_user = UserFactory(department=world.vinhphuc)
    assert not permissions.is_secretariat(deputy_user, world.year_a)


def test_a_cluster_administrator_is_secretariat_whoever_leads(world):
    world.outsider.administered_clusters.add(world.cluster_a)
    assert permissions.is_secretariat(world.outsider, world.year_a)


def test_a_cluster_administrator_may_start_a_year(world):
    world.outsider.administered_clusters.add(world.cluster_a)
    assert permissions.can_start_year(world.outsider, world.cluster_a)


def test_a_cluster_administrator_may_open_the_departments_of_the_cluster(world):
    # The directory (selectors.departments_visible_to) lists them for the administrator.
    world.outsider.administered_clusters.add(world.cluster_a)
    assert permissions.can_view_department(world.outsider, world.bacninh)


def test_a_reviewer_administering_a_cluster_is_still_not_secretariat(world):
    world.reviewer.administered_clusters.add(world.cluster_a)
    assert not permissions.is_secretariat(world.reviewer, world.year_a)


def test_a_year_without_a_leader_has_no_secretariat(world):
    cluster_year = cluster_year_with(world.cluster_a, WORLD_YEAR + 1, members=[world.hanoi])
    assert not permissions.is_secretariat(world.secretariat, cluster_year)


def test_a_former_member_still_sees_the_cluster(world):
    cluster_year_with(world.cluster_a, WORLD_YEAR + 1, leader=world.hanoi)
    assert permissions.can_view_cluster(world.staff, world.cluster_a)


def test_a_former_member_does_not_see_the_years_after_it_left(world):
    later = cluster_year_with(world.cluster_a, WORLD_YEAR + 1, leader=world.hanoi)
    assert permissions.can_view_cluster_year(world.staff, world.year_a)
    assert not permissions.can_view_cluster_year(world.staff, later)


def test_a_member_that_joined_later_does_not_see_the_years_before(world):
    earlier = cluster_year_with(world.cluster_a, WORLD_YEAR - 1, leader=world.hanoi)
    cluster_year_with(world.cluster_b, WORLD_YEAR - 1, leader=world.quangninh)
    assert not permissions.can_view_cluster_year(world.staff, earlier)
    assert permissions.can_view_cluster_year(world.secretariat, earlier)  # Hà Nội leads it


@per_role("secretariat", "reviewer", "site_admin")
def test_a_year_without_the_members_department_is_seen_by_its_members_reviewers_and_admins(
    world, role, expected
):
    later = cluster_year_with(world.cluster_a, WORLD_YEAR + 1, leader=world.hanoi)
    assert permissions.can_view_cluster_year(world.user(role), later) is expected


def test_a_cluster_administrator_sees_every_year_of_the_cluster(world):
    later = cluster_year_with(world.cluster_a, WORLD_YEAR + 1, leader=world.hanoi)
    world.cluster_a.administrators.add(world.outsider)
    assert permissions.can_view_cluster_year(world.outsider, later)


def test_starting_the_next_year_moves_to_its_new_leader(world):
    services.cluster_year_start(
        cluster=world.cluster_a,
        year=WORLD_YEAR + 1,
        members=[world.hanoi, world.haiphong],
        leader=world.haiphong,
        deputy=world.hanoi,
        by=world.secretariat,
    )
    assert permissions.can_start_year(world.staff, world.cluster_a)


def test_the_previous_secretariat_may_not_start_the_year_after_next(world):
    services.cluster_year_start(
        cluster=world.cluster_a,
        year=WORLD_YEAR + 1,
        members=[world.hanoi, world.haiphong],
        leader=world.haiphong,
        deputy=world.hanoi,
        by=world.secretariat,
    )
    assert not permissions.can_start_year(world.secretariat, world.cluster_a)
