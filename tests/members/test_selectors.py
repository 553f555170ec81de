"""Reads of the members app: scoping to the user, current years, search, proposals."""

import datetime

import pytest

from members import selectors
from members.models import ClusterYear
from tests.factories import ClusterFactory, DepartmentFactory, UserFactory
from tests.helpers import WORLD_YEAR, cluster_year_with, department

pytestmark = pytest.mark.django_db


def codes_of(departments) -> set[str]:
    return {d.code for d in departments}


# clusters_visible_to


@pytest.mark.parametrize("role", ["secretariat", "signatory", "staff"])
def test_members_see_their_own_cluster_only(world, role):
    assert list(selectors.clusters_visible_to(user=world.user(role))) == [world.cluster_a]


def test_an_outsider_sees_only_the_other_cluster(world):
    assert list(selectors.clusters_visible_to(user=world.outsider)) == [world.cluster_b]


@pytest.mark.parametrize("role", ["reviewer", "site_admin"])
def test_reviewers_and_admins_see_every_cluster(world, role):
    assert set(selectors.clusters_visible_to(user=world.user(role))) == {
        world.cluster_a,
        world.cluster_b,
    }


def test_a_cluster_administrator_sees_the_cluster_without_being_a_member(world):
    world.outsider.administered_clusters.add(world.cluster_a)
    assert set(selectors.clusters_visible_to(user=world.outsider)) == {
        world.cluster_a,
        world.cluster_b,
    }


def test_a_cluster_is_listed_once_however_many_years_the_department_was_member(world):
    cluster_year_with(world.cluster_a, WORLD_YEAR + 1, leader=world.haiphong)
    assert list(selectors.clusters_visible_to(user=world.staff)) == [world.cluster_a]


# current_cluster_years_for


def test_the_current_year_is_this_calendar_year_when_the_cluster_has_it(world):
    cluster_year_with(world.cluster_a, WORLD_YEAR + 1, leader=world.haiphong)
    today = datetime.date(WORLD_YEAR, 6, 1)
    [current] = selectors.current_cluster_years_for(user=world.staff, today=today)
    assert current.year == WORLD_YEAR


def test_the_current_year_is_the_latest_past_year_when_this_year_is_missing(world):
    cluster_year_with(world.cluster_a, WORLD_YEAR - 1, leader=world.haiphong)
    today = datetime.date(WORLD_YEAR + 2, 6, 1)
    [current] = selectors.current_cluster_years_for(user=world.staff, today=today)
    assert current.year == WORLD_YEAR


def test_the_current_year_is_the_earliest_future_year_when_there_is_no_past(world):
    cluster_year_with(world.cluster_a, WORLD_YEAR + 1, leader=world.haiphong)
    today = datetime.date(WORLD_YEAR - 3, 6, 1)
    [current] = selectors.current_cluster_years_for(user=world.staff, today=today)
    assert current.year == WORLD_YEAR


def test_a_merged_away_department_sees_its_last_year(world):
    haiduong = department("Hải Dương", "haiduong")
    cluster_year_with(world.cluster_a, 2023, leader=world.hanoi, members=[haiduong])
    cluster_year_with(world.cluster_a, 2026, leader=world.hanoi)
    user = UserFactory(department=haiduong)
    [current] = selectors.current_cluster_years_for(user=user, today=datetime.date(2026, 3, 1))
    assert current.year == 2023


def test_reviewers_get_one_current_year_per_cluster(world):
    cluster_year_with(world.cluster_a, WORLD_YEAR - 1, leader=world.hanoi)
    today = datetime.date(WORLD_YEAR, 6, 1)
    years = selectors.current_cluster_years_for(user=world.reviewer, today=today)
    assert {(cy.cluster, cy.year) for cy in years} == {
        (world.cluster_a, WORLD_YEAR),
        (world.cluster_b, WORLD_YEAR),
    }


def test_current_years_come_with_their_leader(world, django_assert_num_queries):
    [current] = selectors.current_cluster_years_for(
        user=world.staff, today=datetime.date(WORLD_YEAR, 6, 1)
    )
    with django_assert_num_queries(0):
        assert current.leader.department.code == "hanoi"


# cluster_years_with_members and membership_table


def test_cluster_years_are_listed_newest_first(world):
    cluster_year_with(world.cluster_a, WORLD_YEAR - 1, leader=world.hanoi)
    years = selectors.cluster_years_with_members(cluster=world.cluster_a)
    assert [cy.year for cy in years] == [WORLD_YEAR, WORLD_YEAR - 1]


def test_membership_table_has_a_gap_where_a_department_was_not_member(world):
    cluster_year_with(world.cluster_a, WORLD_YEAR + 1, leader=world.hanoi, members=[world.bacninh])
    years = list(reversed(selectors.cluster_years_with_members(cluster=world.cluster_a)))
    rows = {row.department.code: row.cells for row in selectors.membership_table(years=years)}
    assert [cell is not None for cell in rows["haiphong"]] == [True, False]


def test_membership_table_lists_each_department_once(world):
    cluster_year_with(world.cluster_a, WORLD_YEAR + 1, leader=world.hanoi, members=[world.bacninh])
    years = selectors.cluster_years_with_members(cluster=world.cluster_a)
    rows = selectors.membership_table(years=years)
    assert sorted(row.department.code for row in rows) == [
        "bacninh",
        "haiphong",
        "hanoi",
        "vinhphuc",
    ]


# Department directory


@pytest.mark.parametrize("text", ["Đà Nẵng", "ĐÀ NẴNG", "đà nẵng"])
def test_fold_strips_case_and_diacritics_including_d_with_stroke(text):
    assert selectors.fold(text) == "da nang"


@pytest.mark.parametrize("query", ["ha noi", "HÀ NỘI", "Hà Nội", "hanoi", "  ha noi  "])
def test_directory_search_ignores_case_and_diacritics(world, query):
    found = selectors.departments_visible_to(user=world.reviewer, query=query)
    assert codes_of(found) == {"hanoi"}


def test_directory_search_matches_d_with_stroke(world):
    department("Điện Biên", "dienbien")
    found = selectors.departments_visible_to(user=world.reviewer, query="dien bien")
    assert codes_of(found) == {"dienbien"}


def test_directory_search_without_a_match_finds_nothing(world):
    assert selectors.departments_visible_to(user=world.reviewer, query="Cà Mau") == []


def test_a_member_sees_the_departments_of_its_clusters(world):
    found = selectors.departments_visible_to(user=world.staff)
    assert codes_of(found) == {"hanoi", "vinhphuc", "haiphong", "bacninh"}


def test_a_department_user_sees_its_own_department_even_outside_any_cluster(db):
    user = UserFactory()
    assert codes_of(selectors.departments_visible_to(user=user)) == {user.department.code}


def test_a_member_sees_each_department_once(world):
    cluster_year_with(world.cluster_a, WORLD_YEAR + 1, leader=world.hanoi, members=[world.haiphong])
    found = selectors.departments_visible_to(user=world.staff)
    assert len(found) == len(codes_of(found))


@pytest.mark.parametrize("role", ["reviewer", "site_admin"])
def test_reviewers_and_admins_see_every_department(world, role):
    DepartmentFactory()
    assert len(selectors.departments_visible_to(user=world.user(role))) == 7


def test_department_record_lists_memberships_newest_first(world):
    cluster_year_with(world.cluster_a, WORLD_YEAR - 1, leader=world.haiphong)
    record = selectors.department_record(department=world.haiphong, user=world.user("reviewer"))
    assert [(m.cluster_year.year, m.role) for m in record] == [
        (WORLD_YEAR, "member"),
        (WORLD_YEAR - 1, "leader"),
    ]


def test_department_record_leaves_out_clusters_the_user_cannot_see(world):
    other = cluster_year_with(
        world.cluster_b, WORLD_YEAR - 1, leader=world.haiphong, members=[world.quangninh]
    )
    assert other.cluster != world.cluster_a
    outsider_record = selectors.department_record(
        department=world.haiphong, user=world.user("outsider")
    )
    member_record = selectors.department_record(
        department=world.haiphong, user=world.user("secretariat")
    )
    assert [m.cluster_year.cluster for m in outsider_record] == [world.cluster_b]
    assert [m.cluster_year.cluster for m in member_record] == [world.cluster_a]


# proposed_members_for


def proposed(cluster, year):
    return {
        p.department.code: (p.predecessor.code if p.predecessor else None)
        for p in selectors.proposed_members_for(cluster=cluster, year=year)
    }


def test_members_still_valid_are_proposed_for_next_year(world):
    assert proposed(world.cluster_a, WORLD_YEAR + 1) == {
        "hanoi": None,
        "vinhphuc": None,
        "haiphong": None,
        "bacninh": None,
    }


def test_a_cluster_without_an_earlier_year_has_no_proposal(world):
    assert proposed(world.cluster_a, WORLD_YEAR) == {}


def test_a_merged_away_department_is_left_out_and_its_successor_offered(world):
    phutho = department("Phú Thọ", "phutho")
    world.vinhphuc.valid_to = datetime.date(2025, 6, 30)
    world.vinhphuc.successor = phutho
    world.vinhphuc.save()
    assert proposed(world.cluster_a, 2026) == {
        "hanoi": None,
        "phutho": "vinhphuc",
        "haiphong": None,
        "bacninh": None,
    }


def test_a_successor_already_member_is_proposed_once(world):
    world.bacninh.valid_to = datetime.date(2025, 6, 30)
    world.bacninh.successor = world.haiphong
    world.bacninh.save()
    assert proposed(world.cluster_a, 2026) == {"hanoi": None, "vinhphuc": None, "haiphong": None}


def test_a_chain_of_two_mergers_offers_the_last_successor(db):
    cluster = ClusterFactory()
    first = DepartmentFactory(valid_to=datetime.date(2020, 12, 31))
    cluster_year_with(cluster, 2019, leader=first)
    second = DepartmentFactory(
        valid_from=datetime.date(2021, 1, 1), valid_to=datetime.date(2022, 12, 31)
    )
    last = DepartmentFactory(valid_from=datetime.date(2023, 1, 1))
    first.successor = second
    first.save()
    second.successor = last
    second.save()
    assert proposed(cluster, 2024) == {last.code: first.code}


def test_a_department_that_ended_without_successor_is_left_out(world):
    world.bacninh.valid_to = datetime.date(2025, 6, 30)
    world.bacninh.save()
    assert "bacninh" not in proposed(world.cluster_a, 2026)


def test_proposals_come_from_the_latest_earlier_year(world):
    cluster_year_with(world.cluster_a, WORLD_YEAR - 1, leader=world.quangninh)
    assert set(proposed(world.cluster_a, WORLD_YEAR + 1)) == {
        "hanoi",
        "vinhphuc",
        "haiphong",
        "bacninh",
    }


# attention_items_for


def items_for(user, cluster_year):
    """The members app's own items (leadership, next year); other apps' are tested there."""
    items = selectors.attention_items_for(user=user, cluster_years=[cluster_year])
    return [item for item in items[cluster_year.pk] if item.kind == selectors.YEAR_KIND]


def test_the_secretariat_is_asked_to_record_a_missing_deputy(world):
    cluster_year = cluster_year_with(world.cluster_a, WORLD_YEAR + 1, leader=world.hanoi)
    items = items_for(world.secretariat, cluster_year)
    assert [item.url for item in items] == [
        f"/clusters/{world.cluster_a.code}/{WORLD_YEAR + 1}/leadership/"
    ]


def test_a_year_in_evaluation_asks_the_secretariat_to_start_next_year(world):
    world.year_a.phase = ClusterYear.Phase.EVALUATION
    items = items_for(world.secretariat, world.year_a)
    assert [item.url for item in items] == [f"/clusters/{world.cluster_a.code}/years/new/"]


def test_a_year_followed_by_a_started_year_does_not_ask_to_start_next_year(world):
    world.year_a.phase = ClusterYear.Phase.EVALUATION
    world.year_a.save()
    cluster_year_with(world.cluster_a, WORLD_YEAR + 1, leader=world.hanoi, deputy=world.vinhphuc)
    assert items_for(world.secretariat, world.year_a) == []


@pytest.mark.parametrize("role", ["signatory", "staff", "reviewer"])
def test_only_the_secretariat_gets_attention_items(world, role):
    cluster_year = cluster_year_with(world.cluster_a, WORLD_YEAR + 1)
    assert items_for(world.user(role), cluster_year) == []
