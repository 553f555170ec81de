"""Writes of the members app: permission, validation, the change itself, the audit trail."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from cluster_portal.models import AuditEvent
from members import permissions, selectors, services
from members.models import ClusterYear, Department, Membership
from tests.factories import ClusterFactory, DepartmentFactory, UserFactory
from tests.helpers import WORLD_YEAR, cluster_year_with, department

pytestmark = pytest.mark.django_db

NEXT_YEAR = WORLD_YEAR + 1


def codes(error: ValidationError) -> set[str]:
    """The codes of every message in ``error``, whether it names fields or not."""
    if hasattr(error, "error_dict"):
        return {e.code for errors in error.error_dict.values() for e in errors}
    return {e.code for e in error.error_list}


def roles_of(cluster_year: ClusterYear) -> dict[str, str]:
    return dict(cluster_year.memberships.values_list("department__code", "role"))


def start_next_year(world, **overrides):
    arguments = {
        "cluster": world.cluster_a,
        "year": NEXT_YEAR,
        "members": [world.hanoi, world.vinhphuc, world.haiphong, world.bacninh],
        "leader": world.haiphong,
        "deputy": world.hanoi,
        "by": world.secretariat,
    }
    arguments.update(overrides)
    return services.cluster_year_start(**arguments)


# cluster_year_start


def test_start_year_creates_one_membership_per_member(world):
    cluster_year = start_next_year(world)
    assert set(roles_of(cluster_year)) == {"hanoi", "vinhphuc", "haiphong", "bacninh"}


def test_start_year_records_the_leader_and_deputy(world):
    cluster_year = start_next_year(world)
    assert roles_of(cluster_year) == {
        "haiphong": Membership.Role.LEADER,
        "hanoi": Membership.Role.DEPUTY,
        "vinhphuc": Membership.Role.MEMBER,
        "bacninh": Membership.Role.MEMBER,
    }


def test_start_year_snapshots_the_department_names_of_that_moment(world):
    world.bacninh.head_name = "Trần Thị Mai"
    world.bacninh.save()
    cluster_year = start_next_year(world)
    membership = cluster_year.memberships.get(department=world.bacninh)
    assert (
        membership.full_name,
        membership.short_name,
        membership.parent_body,
        membership.head_name,
        membership.head_title,
    ) == (
        "Sở Nội vụ tỉnh Bắc Ninh",
        "SNV Bắc Ninh",
        "UBND TỈNH BẮC NINH",
        "Trần Thị Mai",
        "Giám đốc Sở Nội vụ",
    )


def test_start_year_keeps_theme_and_motto(world):
    cluster_year = start_next_year(world, theme="Đổi mới, sáng tạo", motto="Tăng tốc, bứt phá")
    cluster_year.refresh_from_db()
    assert (cluster_year.theme, cluster_year.motto) == ("Đổi mới, sáng tạo", "Tăng tốc, bứt phá")


def test_start_year_begins_in_the_planning_phase(world):
    assert start_next_year(world).phase == ClusterYear.Phase.PLANNING


def test_start_year_writes_an_audit_event(world):
    cluster_year = start_next_year(world)
    event = AuditEvent.objects.get(action="cluster_year.started")
    assert (event.actor, event.target_id, event.details["leader"], event.details["deputy"]) == (
        world.secretariat,
        str(cluster_year.pk),
        "haiphong",
        "hanoi",
    )


def test_start_year_refuses_a_year_the_cluster_already_has(world):
    with pytest.raises(ValidationError) as excinfo:
        start_next_year(world, year=WORLD_YEAR)
    assert codes(excinfo.value) == {"year_exists"}


def test_start_year_refuses_a_department_not_valid_that_year(world):
    world.bacninh.valid_to = datetime.date(WORLD_YEAR, 12, 31)
    world.bacninh.save()
    with pytest.raises(ValidationError) as excinfo:
        start_next_year(world)
    assert codes(excinfo.value) == {"department_not_valid"}


def test_start_year_refused_for_an_invalid_department_creates_nothing(world):
    world.bacninh.valid_to = datetime.date(WORLD_YEAR, 12, 31)
    world.bacninh.save()
    with pytest.raises(ValidationError):
        start_next_year(world)
    assert not world.cluster_a.years.filter(year=NEXT_YEAR).exists()


def test_start_year_refuses_a_leader_who_is_not_a_member(world):
    with pytest.raises(ValidationError) as excinfo:
        start_next_year(world, leader=world.quangninh)
    assert codes(excinfo.value) == {"leader_not_member"}


def test_start_year_refuses_a_deputy_who_is_not_a_member(world):
    with pytest.raises(ValidationError) as excinfo:
        start_next_year(world, deputy=world.quangninh)
    assert codes(excinfo.value) == {"deputy_not_member"}


def test_start_year_refuses_the_same_department_as_leader_and_deputy(world):
    with pytest.raises(ValidationError) as excinfo:
        start_next_year(world, leader=world.haiphong, deputy=world.haiphong)
    assert codes(excinfo.value) == {"leader_is_deputy"}


def test_start_year_refuses_no_members(world):
    with pytest.raises(ValidationError) as excinfo:
        start_next_year(world, members=[], leader=None, deputy=None)
    assert codes(excinfo.value) == {"no_members"}


def test_start_year_allows_no_leader_yet(world):
    cluster_year = start_next_year(world, leader=None, deputy=None)
    assert cluster_year.leader is None


@pytest.mark.parametrize("role", ["signatory", "staff", "outsider", "reviewer"])
def test_start_year_refuses_anyone_but_the_secretariat(world, role):
    with pytest.raises(PermissionDenied):
        start_next_year(world, by=world.user(role))


def test_start_year_refused_creates_no_year(world):
    with pytest.raises(PermissionDenied):
        start_next_year(world, by=world.staff)
    assert not world.cluster_a.years.filter(year=NEXT_YEAR).exists()


def test_start_year_is_allowed_to_the_site_admin(world):
    assert start_next_year(world, by=world.site_admin).year == NEXT_YEAR


def test_start_year_is_allowed_to_a_cluster_administrator(world):
    administrator = UserFactory(department=world.bacninh)
    administrator.administered_clusters.add(world.cluster_a)
    assert start_next_year(world, by=administrator).year == NEXT_YEAR


def test_start_year_of_an_empty_cluster_is_left_to_the_site_admin(world):
    cluster = ClusterFactory()
    with pytest.raises(PermissionDenied):
        start_next_year(world, cluster=cluster, by=world.secretariat)


# cluster_year_set_leadership


def test_set_leadership_moves_the_leader(world):
    services.cluster_year_set_leadership(
        cluster_year=world.year_a,
        leader=world.haiphong,
        deputy=world.vinhphuc,
        by=world.secretariat,
    )
    assert roles_of(world.year_a) == {
        "haiphong": Membership.Role.LEADER,
        "vinhphuc": Membership.Role.DEPUTY,
        "hanoi": Membership.Role.MEMBER,
        "bacninh": Membership.Role.MEMBER,
    }


def test_set_leadership_may_swap_leader_and_deputy(world):
    services.cluster_year_set_leadership(
        cluster_year=world.year_a, leader=world.vinhphuc, deputy=world.hanoi, by=world.secretariat
    )
    assert (roles_of(world.year_a)["vinhphuc"], roles_of(world.year_a)["hanoi"]) == (
        Membership.Role.LEADER,
        Membership.Role.DEPUTY,
    )


def test_set_leadership_gives_secretariat_rights_to_the_new_leader(world):
    services.cluster_year_set_leadership(
        cluster_year=world.year_a, leader=world.haiphong, deputy=None, by=world.secretariat
    )
    reloaded = selectors.cluster_year_get(code=world.cluster_a.code, year=WORLD_YEAR)
    assert permissions.is_secretariat(world.staff, reloaded)


def test_set_leadership_takes_secretariat_rights_from_the_old_leader(world):
    services.cluster_year_set_leadership(
        cluster_year=world.year_a, leader=world.haiphong, deputy=None, by=world.secretariat
    )
    reloaded = selectors.cluster_year_get(code=world.cluster_a.code, year=WORLD_YEAR)
    assert not permissions.is_secretariat(world.secretariat, reloaded)


def test_set_leadership_updates_the_year_object_it_was_given(world):
    cluster_year = selectors.cluster_year_get(code=world.cluster_a.code, year=WORLD_YEAR)
    services.cluster_year_set_leadership(
        cluster_year=cluster_year, leader=world.haiphong, deputy=None, by=world.secretariat
    )
    assert cluster_year.leader.department == world.haiphong


def test_the_old_leader_can_no_longer_edit_the_year(world):
    services.cluster_year_set_leadership(
        cluster_year=world.year_a, leader=world.haiphong, deputy=None, by=world.secretariat
    )
    cluster_year = ClusterYear.objects.get(pk=world.year_a.pk)
    with pytest.raises(PermissionDenied):
        services.cluster_year_update(
            cluster_year=cluster_year, theme="", motto="", phase="planning", by=world.secretariat
        )


def test_set_leadership_refuses_the_same_department_twice_and_changes_nothing(world):
    with pytest.raises(ValidationError) as excinfo:
        services.cluster_year_set_leadership(
            cluster_year=world.year_a,
            leader=world.haiphong,
            deputy=world.haiphong,
            by=world.secretariat,
        )
    assert codes(excinfo.value) == {"leader_is_deputy"}
    assert roles_of(world.year_a)["hanoi"] == Membership.Role.LEADER


def test_set_leadership_refuses_a_leader_from_outside_the_year(world):
    with pytest.raises(ValidationError) as excinfo:
        services.cluster_year_set_leadership(
            cluster_year=world.year_a, leader=world.quangninh, deputy=None, by=world.secretariat
        )
    assert codes(excinfo.value) == {"leader_not_member"}


@pytest.mark.parametrize("role", ["signatory", "staff", "outsider", "reviewer"])
def test_set_leadership_refuses_anyone_but_the_secretariat(world, role):
    with pytest.raises(PermissionDenied):
        services.cluster_year_set_leadership(
            cluster_year=world.year_a, leader=world.haiphong, deputy=None, by=world.user(role)
        )


def test_set_leadership_refuses_a_closed_year(world):
    world.year_a.phase = ClusterYear.Phase.CLOSED
    world.year_a.save()
    with pytest.raises(PermissionDenied):
        services.cluster_year_set_leadership(
            cluster_year=world.year_a, leader=world.haiphong, deputy=None, by=world.secretariat
        )


def test_set_leadership_writes_an_audit_event(world):
    services.cluster_year_set_leadership(
        cluster_year=world.year_a, leader=world.haiphong, deputy=None, by=world.secretariat
    )
    event = AuditEvent.objects.get(action="cluster_year.leadership_set")
    assert event.details == {"leader": "haiphong", "deputy": None}


# cluster_year_update


def test_update_changes_theme_motto_and_phase(world):
    services.cluster_year_update(
        cluster_year=world.year_a,
        theme="Chủ đề mới",
        motto="Khẩu hiệu mới",
        phase=ClusterYear.Phase.SIGNING,
        by=world.secretariat,
    )
    world.year_a.refresh_from_db()
    assert (world.year_a.theme, world.year_a.motto, world.year_a.phase) == (
        "Chủ đề mới",
        "Khẩu hiệu mới",
        ClusterYear.Phase.SIGNING,
    )


def test_update_refuses_an_unknown_phase_and_changes_nothing(world):
    before = (world.year_a.theme, world.year_a.motto, world.year_a.phase)
    cluster_year = ClusterYear.objects.get(pk=world.year_a.pk)
    with pytest.raises(ValidationError):
        services.cluster_year_update(
            cluster_year=cluster_year, theme="X", motto="Y", phase="party", by=world.secretariat
        )
    world.year_a.refresh_from_db()
    assert (world.year_a.theme, world.year_a.motto, world.year_a.phase) == before


def test_update_records_before_and_after_in_the_audit_trail(world):
    before = world.year_a.theme
    services.cluster_year_update(
        cluster_year=world.year_a, theme="Mới", motto="", phase="planning", by=world.secretariat
    )
    event = AuditEvent.objects.get(action="cluster_year.updated")
    assert (event.details["before"]["theme"], event.details["after"]["theme"]) == (before, "Mới")


@pytest.mark.parametrize("role", ["signatory", "staff", "outsider", "reviewer"])
def test_update_refuses_anyone_but_the_secretariat(world, role):
    with pytest.raises(PermissionDenied):
        services.cluster_year_update(
            cluster_year=world.year_a, theme="", motto="", phase="planning", by=world.user(role)
        )


def test_the_secretariat_may_close_the_year(world):
    services.cluster_year_update(
        cluster_year=world.year_a, theme="", motto="", phase="closed", by=world.secretariat
    )
    world.year_a.refresh_from_db()
    assert world.year_a.phase == ClusterYear.Phase.CLOSED


def test_update_of_a_closed_year_is_refused_to_the_secretariat(world):
    world.year_a.phase = ClusterYear.Phase.CLOSED
    world.year_a.save()
    with pytest.raises(PermissionDenied):
        services.cluster_year_update(
            cluster_year=world.year_a, theme="", motto="", phase="closed", by=world.secretariat
        )


def test_update_of_a_closed_year_is_allowed_to_the_site_admin(world):
    world.year_a.phase = ClusterYear.Phase.CLOSED
    world.year_a.save()
    services.cluster_year_update(
        cluster_year=world.year_a, theme="Sửa", motto="", phase="closed", by=world.site_admin
    )
    world.year_a.refresh_from_db()
    assert world.year_a.theme == "Sửa"


# membership_add / membership_remove


def test_add_member_snapshots_the_department(world):
    hungyen = department("Hưng Yên", "hungyen")
    membership = services.membership_add(
        cluster_year=world.year_a, department=hungyen, by=world.secretariat
    )
    assert (membership.role, membership.full_name, membership.parent_body) == (
        Membership.Role.MEMBER,
        "Sở Nội vụ tỉnh Hưng Yên",
        "UBND TỈNH HƯNG YÊN",
    )


def test_add_member_refuses_a_department_already_member(world):
    with pytest.raises(ValidationError) as excinfo:
        services.membership_add(
            cluster_year=world.year_a, department=world.bacninh, by=world.secretariat
        )
    assert codes(excinfo.value) == {"already_member"}


def test_add_member_refuses_a_department_not_valid_that_year(world):
    ended = DepartmentFactory(valid_to=datetime.date(WORLD_YEAR - 1, 12, 31))
    with pytest.raises(ValidationError) as excinfo:
        services.membership_add(cluster_year=world.year_a, department=ended, by=world.secretariat)
    assert codes(excinfo.value) == {"department_not_valid"}


def test_add_member_refuses_a_member_of_the_year(world):
    with pytest.raises(PermissionDenied):
        services.membership_add(
            cluster_year=world.year_a, department=DepartmentFactory(), by=world.staff
        )


def test_add_member_writes_an_audit_event(world):
    hungyen = department("Hưng Yên", "hungyen")
    services.membership_add(cluster_year=world.year_a, department=hungyen, by=world.secretariat)
    assert AuditEvent.objects.get(action="membership.added").details == {"department": "hungyen"}


def test_remove_member_deletes_the_membership(world):
    membership = world.year_a.memberships.get(department=world.bacninh)
    services.membership_remove(membership=membership, by=world.secretariat)
    assert not world.year_a.memberships.filter(department=world.bacninh).exists()


def test_remove_member_keeps_the_department(world):
    membership = world.year_a.memberships.get(department=world.bacninh)
    services.membership_remove(membership=membership, by=world.secretariat)
    assert Department.objects.filter(pk=world.bacninh.pk).exists()


@pytest.mark.parametrize("code", ["hanoi", "vinhphuc"])
def test_the_leader_or_deputy_cannot_be_removed(world, code):
    membership = world.year_a.memberships.get(department__code=code)
    with pytest.raises(ValidationError) as excinfo:
        services.membership_remove(membership=membership, by=world.secretariat)
    assert codes(excinfo.value) == {"remove_leadership"}
    assert world.year_a.memberships.filter(department__code=code).exists()


def test_remove_member_is_refused_to_staff(world):
    membership = world.year_a.memberships.get(department=world.bacninh)
    with pytest.raises(PermissionDenied):
        services.membership_remove(membership=membership, by=world.staff)


def test_remove_member_writes_an_audit_event(world):
    membership = world.year_a.memberships.get(department=world.bacninh)
    services.membership_remove(membership=membership, by=world.secretariat)
    assert AuditEvent.objects.get(action="membership.removed").details == {"department": "bacninh"}


# department_merge

MERGER_DAY = datetime.date(2025, 7, 1)


@pytest.fixture
def haiduong_2019(world):
    """Hải Dương as a member of cluster A in 2019, before it merged into Hải Phòng."""
    haiduong = department("Hải Dương", "haiduong")
    cluster_year_with(world.cluster_a, 2019, leader=world.hanoi, members=[haiduong])
    return haiduong


def test_past_membership_is_unchanged_when_department_is_merged_away(world, haiduong_2019):
    services.department_merge(
        department=haiduong_2019,
        successor=world.haiphong,
        effective=MERGER_DAY,
        by=world.site_admin,
    )
    haiduong_2019.full_name = "Sở Nội vụ tỉnh Hải Dương (đã hợp nhất)"
    haiduong_2019.parent_body = "UBND TỈNH HẢI DƯƠNG (CŨ)"
    haiduong_2019.save()
    world.haiphong.full_name = "Sở Nội vụ thành phố Hải Phòng (mới)"
    world.haiphong.save()
    membership = Membership.objects.get(cluster_year__year=2019, department=haiduong_2019)
    assert (membership.full_name, membership.parent_body) == (
        "Sở Nội vụ tỉnh Hải Dương",
        "UBND TỈNH HẢI DƯƠNG",
    )


def test_merge_ends_the_department_the_day_before(world, haiduong_2019):
    services.department_merge(
        department=haiduong_2019,
        successor=world.haiphong,
        effective=MERGER_DAY,
        by=world.site_admin,
    )
    haiduong_2019.refresh_from_db()
    assert (haiduong_2019.valid_to, haiduong_2019.successor) == (
        datetime.date(2025, 6, 30),
        world.haiphong,
    )


def test_merge_keeps_a_membership_in_the_year_of_the_merger(world):
    haiduong = department("Hải Dương", "haiduong")
    cluster_year_with(world.cluster_a, 2025, leader=world.hanoi, members=[haiduong])
    services.department_merge(
        department=haiduong, successor=world.haiphong, effective=MERGER_DAY, by=world.site_admin
    )
    assert haiduong.memberships.filter(cluster_year__year=2025).exists()


def test_merge_refuses_a_department_still_member_in_a_later_year(world, haiduong_2019):
    cluster_year_with(world.cluster_a, 2026, leader=world.hanoi, members=[haiduong_2019])
    with pytest.raises(ValidationError) as excinfo:
        services.department_merge(
            department=haiduong_2019,
            successor=world.haiphong,
            effective=MERGER_DAY,
            by=world.site_admin,
        )
    assert codes(excinfo.value) == {"member_after_merger"}


def test_merge_refused_leaves_the_department_valid(world, haiduong_2019):
    cluster_year_with(world.cluster_a, 2026, leader=world.hanoi, members=[haiduong_2019])
    with pytest.raises(ValidationError):
        services.department_merge(
            department=haiduong_2019,
            successor=world.haiphong,
            effective=MERGER_DAY,
            by=world.site_admin,
        )
    haiduong_2019.refresh_from_db()
    assert (haiduong_2019.valid_to, haiduong_2019.successor) == (None, None)


def test_merge_on_new_year_day_refuses_a_member_of_that_year(world):
    haiduong = department("Hải Dương", "haiduong")
    cluster_year_with(world.cluster_a, 2026, leader=world.hanoi, members=[haiduong])
    with pytest.raises(ValidationError) as excinfo:
        services.department_merge(
            department=haiduong,
            successor=world.haiphong,
            effective=datetime.date(2026, 1, 1),
            by=world.site_admin,
        )
    assert codes(excinfo.value) == {"member_after_merger"}


def test_merge_into_itself_is_refused(world):
    with pytest.raises(ValidationError) as excinfo:
        services.department_merge(
            department=world.bacninh,
            successor=world.bacninh,
            effective=MERGER_DAY,
            by=world.site_admin,
        )
    assert codes(excinfo.value) == {"self"}


@pytest.mark.parametrize("role", ["secretariat", "signatory", "staff", "outsider", "reviewer"])
def test_merge_is_refused_to_everyone_but_the_site_admin(world, haiduong_2019, role):
    with pytest.raises(PermissionDenied):
        services.department_merge(
            department=haiduong_2019,
            successor=world.haiphong,
            effective=MERGER_DAY,
            by=world.user(role),
        )


def test_merge_writes_an_audit_event(world, haiduong_2019):
    services.department_merge(
        department=haiduong_2019,
        successor=world.haiphong,
        effective=MERGER_DAY,
        by=world.site_admin,
    )
    event = AuditEvent.objects.get(action="department.merged")
    assert event.details == {"successor": "haiphong", "effective": "2025-07-01"}


# cluster_year_set_leadership by the year before's secretariat (the election, issue 15)


def test_the_year_befores_secretariat_records_the_leader_of_a_year_started_without_one(world):
    next_year = cluster_year_with(world.cluster_a, WORLD_YEAR + 1, members=[world.haiphong])

    services.cluster_year_set_leadership(
        cluster_year=next_year, leader=world.haiphong, deputy=None, by=world.secretariat
    )

    assert roles_of(next_year) == {"haiphong": Membership.Role.LEADER}


@pytest.mark.parametrize("role", ["staff", "signatory", "outsider", "reviewer"])
def test_only_the_year_befores_secretariat_records_next_years_leadership(world, role):
    next_year = cluster_year_with(world.cluster_a, WORLD_YEAR + 1, members=[world.haiphong])

    with pytest.raises(PermissionDenied):
        services.cluster_year_set_leadership(
            cluster_year=next_year, leader=world.haiphong, deputy=None, by=world.user(role)
        )


def test_the_secretariat_of_a_year_two_years_back_does_not_record_the_leadership(world):
    cluster_year_with(world.cluster_a, WORLD_YEAR + 1, leader=world.bacninh)
    later = cluster_year_with(world.cluster_a, WORLD_YEAR + 2, members=[world.haiphong])

    with pytest.raises(PermissionDenied):
        services.cluster_year_set_leadership(
            cluster_year=later, leader=world.haiphong, deputy=None, by=world.secretariat
        )
