"""Invariants the database itself enforces (constraints and the validity triggers), and the
Vietnamese order in which the database lists departments and members."""

import datetime

import pytest
from django.db import IntegrityError, transaction

from members import selectors
from members.models import ClusterYear, Department, Membership, User
from tests.factories import (
    ClusterFactory,
    ClusterYearFactory,
    DepartmentFactory,
    MembershipFactory,
    UserFactory,
)
from tests.helpers import cluster_year_with, department

pytestmark = pytest.mark.django_db


# Cluster years


def test_a_cluster_has_one_year_per_calendar_year():
    cluster = ClusterFactory()
    ClusterYearFactory(cluster=cluster, year=2019)
    with pytest.raises(IntegrityError), transaction.atomic():
        ClusterYear.objects.create(cluster=cluster, year=2019)


def test_two_clusters_may_have_the_same_year():
    ClusterYearFactory(year=2019)
    ClusterYearFactory(year=2019)
    assert ClusterYear.objects.filter(year=2019).count() == 2


@pytest.mark.parametrize("year", [1999, 2101])
def test_a_year_outside_2000_to_2100_is_refused(year):
    with pytest.raises(IntegrityError), transaction.atomic():
        ClusterYearFactory(year=year)


@pytest.mark.parametrize("year", [2000, 2100])
def test_the_bounds_2000_and_2100_are_accepted(year):
    assert ClusterYearFactory(year=year).pk is not None


# Leader and deputy


def test_a_year_has_at_most_one_leader():
    cluster_year = ClusterYearFactory()
    MembershipFactory(cluster_year=cluster_year, role=Membership.Role.LEADER)
    with pytest.raises(IntegrityError), transaction.atomic():
        MembershipFactory(cluster_year=cluster_year, role=Membership.Role.LEADER)


def test_a_year_has_at_most_one_deputy():
    cluster_year = ClusterYearFactory()
    MembershipFactory(cluster_year=cluster_year, role=Membership.Role.DEPUTY)
    with pytest.raises(IntegrityError), transaction.atomic():
        MembershipFactory(cluster_year=cluster_year, role=Membership.Role.DEPUTY)


def test_promoting_a_second_member_to_leader_is_refused():
    cluster_year = ClusterYearFactory()
    MembershipFactory(cluster_year=cluster_year, role=Membership.Role.LEADER)
    member = MembershipFactory(cluster_year=cluster_year)
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.filter(pk=member.pk).update(role=Membership.Role.LEADER)


def test_leaders_of_different_years_do_not_conflict():
    department = DepartmentFactory()
    cluster = ClusterFactory()
    for year in (2019, 2020):
        MembershipFactory(
            cluster_year=ClusterYearFactory(cluster=cluster, year=year),
            department=department,
            role=Membership.Role.LEADER,
        )
    assert Membership.objects.filter(role=Membership.Role.LEADER).count() == 2


def test_leader_and_deputy_properties_read_the_roles_of_the_memberships():
    cluster_year = ClusterYearFactory()
    leader = MembershipFactory(cluster_year=cluster_year, role=Membership.Role.LEADER)
    deputy = MembershipFactory(cluster_year=cluster_year, role=Membership.Role.DEPUTY)
    MembershipFactory(cluster_year=cluster_year)
    assert (cluster_year.leader, cluster_year.deputy) == (leader, deputy)


def test_a_year_without_election_has_no_leader_or_deputy():
    cluster_year = ClusterYearFactory()
    MembershipFactory(cluster_year=cluster_year)
    assert (cluster_year.leader, cluster_year.deputy) == (None, None)


# Memberships


def test_a_department_is_a_member_once_per_year():
    membership = MembershipFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        MembershipFactory(cluster_year=membership.cluster_year, department=membership.department)


def test_a_membership_copies_the_names_of_its_department():
    department = DepartmentFactory(province="Hà Nội", kind="thành phố")
    membership = MembershipFactory(department=department)
    assert (membership.full_name, membership.parent_body) == (
        "Sở Nội vụ thành phố Hà Nội",
        "UBND THÀNH PHỐ HÀ NỘI",
    )


# Departments


def test_a_department_cannot_end_before_it_starts():
    with pytest.raises(IntegrityError), transaction.atomic():
        DepartmentFactory(
            valid_from=datetime.date(2020, 1, 1), valid_to=datetime.date(2019, 12, 31)
        )


def test_a_department_may_exist_for_a_single_day():
    day = datetime.date(2020, 1, 1)
    assert DepartmentFactory(valid_from=day, valid_to=day).pk is not None


def test_a_department_cannot_be_its_own_successor():
    department = DepartmentFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Department.objects.filter(pk=department.pk).update(successor=department)


@pytest.mark.parametrize(
    ("valid_from", "valid_to", "year", "expected"),
    [
        (datetime.date(1945, 8, 28), None, 2019, True),
        (datetime.date(1945, 8, 28), datetime.date(2025, 6, 30), 2025, True),
        (datetime.date(1945, 8, 28), datetime.date(2025, 6, 30), 2026, False),
        (datetime.date(2025, 7, 1), None, 2025, True),
        (datetime.date(2025, 7, 1), None, 2024, False),
        (datetime.date(1945, 8, 28), datetime.date(2024, 12, 31), 2025, False),
    ],
)
def test_a_department_is_valid_in_a_year_when_it_exists_on_one_day_of_it(
    valid_from, valid_to, year, expected
):
    department = Department(valid_from=valid_from, valid_to=valid_to)
    assert department.is_valid_in_year(year) is expected


# The validity triggers (migration 0002)


def test_a_membership_in_a_year_after_the_department_ended_is_refused():
    department = DepartmentFactory(valid_to=datetime.date(2025, 6, 30))
    cluster_year = ClusterYearFactory(year=2026)
    with pytest.raises(IntegrityError), transaction.atomic():
        MembershipFactory(cluster_year=cluster_year, department=department)


def test_a_membership_in_a_year_before_the_department_began_is_refused():
    department = DepartmentFactory(valid_from=datetime.date(2025, 7, 1))
    cluster_year = ClusterYearFactory(year=2024)
    with pytest.raises(IntegrityError), transaction.atomic():
        MembershipFactory(cluster_year=cluster_year, department=department)


def test_a_membership_in_the_year_the_department_ends_is_accepted():
    department = DepartmentFactory(valid_to=datetime.date(2025, 6, 30))
    membership = MembershipFactory(
        cluster_year=ClusterYearFactory(year=2025), department=department
    )
    assert membership.pk is not None


def test_moving_a_membership_to_a_year_outside_the_validity_is_refused():
    department = DepartmentFactory(valid_to=datetime.date(2025, 6, 30))
    cluster = ClusterFactory()
    membership = MembershipFactory(
        cluster_year=ClusterYearFactory(cluster=cluster, year=2025), department=department
    )
    later = ClusterYearFactory(cluster=cluster, year=2026)
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.filter(pk=membership.pk).update(cluster_year=later)


def test_moving_a_membership_to_a_department_not_valid_that_year_is_refused():
    membership = MembershipFactory(cluster_year=ClusterYearFactory(year=2026))
    ended = DepartmentFactory(valid_to=datetime.date(2025, 6, 30))
    membership.department = ended
    with pytest.raises(IntegrityError), transaction.atomic():
        membership.save()


def test_changing_the_year_of_a_cluster_year_outside_a_members_validity_is_refused():
    # Moving the whole year moves each membership into another year, as surely as
    # changing the membership's cluster_year does (and the admin lets one edit the year).
    department = DepartmentFactory(valid_to=datetime.date(2025, 6, 30))
    membership = MembershipFactory(
        cluster_year=ClusterYearFactory(year=2025), department=department
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        ClusterYear.objects.filter(pk=membership.cluster_year_id).update(year=2026)


def test_ending_a_department_before_one_of_its_memberships_is_refused():
    membership = MembershipFactory(cluster_year=ClusterYearFactory(year=2026))
    department = membership.department
    department.valid_to = datetime.date(2025, 6, 30)
    with pytest.raises(IntegrityError), transaction.atomic():
        department.save()


def test_starting_a_department_after_one_of_its_memberships_is_refused():
    membership = MembershipFactory(cluster_year=ClusterYearFactory(year=2019))
    with pytest.raises(IntegrityError), transaction.atomic():
        Department.objects.filter(pk=membership.department_id).update(
            valid_from=datetime.date(2020, 1, 1)
        )


def test_ending_a_department_after_its_last_membership_year_is_accepted():
    membership = MembershipFactory(cluster_year=ClusterYearFactory(year=2025))
    Department.objects.filter(pk=membership.department_id).update(
        valid_to=datetime.date(2025, 6, 30)
    )
    membership.department.refresh_from_db()
    assert membership.department.valid_to == datetime.date(2025, 6, 30)


# Users


def test_a_reviewer_with_a_department_is_refused():
    with pytest.raises(IntegrityError), transaction.atomic():
        UserFactory(role=User.Role.REVIEWER, department=DepartmentFactory())


@pytest.mark.parametrize("role", [User.Role.STAFF, User.Role.SIGNATORY])
def test_a_department_user_without_a_department_is_refused(role):
    with pytest.raises(IntegrityError), transaction.atomic():
        UserFactory(role=role, department=None)


def test_a_reviewer_without_a_department_is_accepted():
    assert UserFactory(reviewer=True).department_id is None


def test_a_superuser_without_a_department_is_accepted():
    assert UserFactory(site_admin=True).department_id is None


def test_a_superuser_with_a_department_is_accepted():
    assert UserFactory(site_admin=True, department=DepartmentFactory()).department_id


def test_a_user_with_the_signatory_role_is_a_signatory():
    assert UserFactory(signatory=True).is_signatory


def test_department_staff_are_not_signatories():
    assert not UserFactory().is_signatory


# Vietnamese order (``cluster_portal.collation``), on SQLite and PostgreSQL alike

# In Vietnamese order; created in another order below.
PROVINCES = [
    ("Dương Kinh", "duongkinh"),
    ("Đà Nẵng", "danang"),
    ("Hà Nội", "hanoi"),
    ("Hải Dương", "haiduong"),
    ("Hưng Yên", "hungyen"),
    ("Óc Eo", "oceo"),
    ("Ô Môn", "omon"),
    ("Ơ Rê", "ore"),
    ("Uông Bí", "uongbi"),
    ("Ứng Hòa", "unghoa"),
]


def departments_shuffled():
    # Byte order and insertion order both differ from the Vietnamese one.
    return [
        department(province, code)
        for province, code in PROVINCES[::3] + PROVINCES[1::3] + PROVINCES[2::3]
    ]


def test_departments_are_listed_in_vietnamese_order():
    departments_shuffled()
    assert [d.province for d in Department.objects.all()] == [p for p, _ in PROVINCES]


def test_the_members_of_a_year_are_listed_in_vietnamese_order():
    cluster_year = cluster_year_with(ClusterFactory(), 2024, members=departments_shuffled())
    loaded = selectors.cluster_year_get(code=cluster_year.cluster.code, year=2024)
    expected = [f"Sở Nội vụ tỉnh {p}" for p, _ in PROVINCES]
    assert [m.full_name for m in loaded.memberships.all()] == expected
    assert [m.full_name for m in Membership.objects.filter(cluster_year=cluster_year)] == expected


def test_a_city_and_a_province_sort_by_their_place_not_by_their_kind():
    department("Hải Phòng", "haiphong", "thành phố")
    department("Hải Dương", "haiduong", "tỉnh")
    department("Hà Nội", "hanoi", "thành phố")
    assert [d.code for d in Department.objects.all()] == ["hanoi", "haiduong", "haiphong"]


def test_renaming_a_department_moves_it_in_the_order():
    hue = department("Thừa Thiên Huế", "hue")
    department("Hà Nội", "hanoi")
    hue.province, hue.full_name = "Huế", "Sở Nội vụ thành phố Huế"
    hue.save(update_fields=["province", "full_name"])
    department("Hưng Yên", "hungyen")
    assert [d.code for d in Department.objects.all()] == ["hanoi", "hue", "hungyen"]


def test_a_year_keeps_the_order_of_its_members_when_a_department_is_renamed_later():
    hue, hanoi = department("Thừa Thiên Huế", "hue"), department("Hà Nội", "hanoi")
    cluster_year = cluster_year_with(ClusterFactory(), 2024, members=[hue, hanoi])
    hue.province, hue.full_name = "A Lưới", "Sở Nội vụ A Lưới"
    hue.save()
    members = Membership.objects.filter(cluster_year=cluster_year)
    assert [m.department.code for m in members] == ["hanoi", "hue"]


def test_a_membership_entered_without_a_key_gets_one_from_its_names():
    cluster_year = ClusterYearFactory(year=2024)
    haiduong, hungyen = department("Hải Dương", "haiduong"), department("Hưng Yên", "hungyen")
    for dept in (hungyen, haiduong):  # as the admin's inline saves it: names typed, no key
        Membership.objects.create(
            cluster_year=cluster_year,
            department=dept,
            full_name=dept.full_name,
            short_name=dept.short_name,
            parent_body=dept.parent_body,
        )
    members = Membership.objects.filter(cluster_year=cluster_year)
    assert [m.department.code for m in members] == ["haiduong", "hungyen"]
