"""History stays true: the department and cluster history pages show each year's published
rank and total, and a department merged away keeps them under its name of that year."""

import datetime
import re

import pytest
from django.urls import reverse

from evaluations.selectors import result_facts_for
from members.models import Membership
from tests.helpers import (
    assert_same_count,
    assessment_of,
    cluster_year_with,
    department,
    evaluation_for,
    queries_for,
    results_published,
    results_url,
    score_lines,
)

pytestmark = pytest.mark.django_db

OLD, NEW = 2019, 2026
OLD_NAME = "Sở Nội vụ tỉnh Hải Dương"


@pytest.fixture
def merger(world):
    """As in the demo: Hải Dương, a member of cluster A in 2019 (published results: second
    of three with 12,50), merged into Hải Phòng from 1 July 2025; not a member in 2026."""
    haiduong = department(
        "Hải Dương", "haiduong", valid_to=datetime.date(2025, 6, 30), successor=world.haiphong
    )
    old = cluster_year_with(
        world.cluster_a, OLD, leader=world.hanoi, members=[world.haiphong, haiduong]
    )
    cluster_year_with(world.cluster_a, NEW, leader=world.hanoi, members=[world.haiphong])
    evaluation = evaluation_for(old, phase="checking")
    score_lines(assessment_of(evaluation, world.hanoi), I_1="10", I_2="5")
    score_lines(assessment_of(evaluation, haiduong), I_1="7.5", I_2="5")
    score_lines(assessment_of(evaluation, world.haiphong), I_1="2.25")
    return haiduong, results_published(evaluation)


def row_of(page: str, marker: str) -> str:
    """The table row of ``page`` that contains ``marker``."""
    for row in re.findall(r"<tr>.*?</tr>", page, flags=re.S):
        if marker in row:
            return row
    raise AssertionError(f"no row with {marker!r}")


@pytest.mark.parametrize("role", ["secretariat", "staff", "reviewer", "site_admin"])
def test_a_merged_department_s_page_shows_its_rank_and_total_under_its_name_that_year(
    client, world, merger, role
):
    haiduong, evaluation = merger
    client.force_login(world.user(role))
    page = client.get(reverse("members:department-detail", kwargs={"code": "haiduong"}))
    row = row_of(page.content.decode(), f">{OLD}<")
    assert Membership.objects.get(department=haiduong).full_name == OLD_NAME
    assert OLD_NAME in row
    assert "12,50" in row and re.search(r"\b2\b.*\b3\b", row)  # second of three
    assert results_url(evaluation) in row


def test_the_successor_s_page_does_not_take_over_the_merged_department_s_result(
    client, world, merger
):
    client.force_login(world.reviewer)
    page = client.get(reverse("members:department-detail", kwargs={"code": "haiphong"}))
    row = row_of(page.content.decode(), f">{OLD}<")
    assert "2,25" in row and "12,50" not in row


def test_the_cluster_history_shows_each_member_s_rank_and_total_in_its_year(client, world, merger):
    _haiduong, evaluation = merger
    client.force_login(world.staff)
    page = client.get(reverse("members:cluster-history", kwargs={"code": "bac-bo"}))
    row = row_of(page.content.decode(), OLD_NAME)
    cells = re.findall(r"<td.*?</td>", row, flags=re.S)
    years = [OLD, 2024, NEW]  # oldest first, as the page lists them
    old_cell = cells[years.index(OLD)]
    assert "12,50" in old_cell and results_url(evaluation) in old_cell
    assert "not-member" in cells[years.index(NEW)]


def test_a_year_whose_results_are_not_published_shows_no_rank(client, world, merger):
    _haiduong, evaluation = merger
    evaluation.phase = "checking"
    evaluation.save(update_fields=["phase"])
    client.force_login(world.reviewer)
    page = client.get(reverse("members:department-detail", kwargs={"code": "haiduong"}))
    assert "12,50" not in page.content.decode()


def test_the_history_facts_cost_two_queries_whatever_the_number_of_years(
    world, merger, django_assert_num_queries
):
    memberships = list(Membership.objects.all())
    with django_assert_num_queries(2):
        facts = result_facts_for(user=world.reviewer, memberships=memberships)
    assert len(facts) == 3


def test_the_history_pages_cost_the_same_with_one_and_two_published_years(client, world, merger):
    urls = [
        reverse("members:department-detail", kwargs={"code": "haiphong"}),
        reverse("members:cluster-history", kwargs={"code": "bac-bo"}),
    ]
    one = [queries_for(client, world.reviewer, url) for url in urls]
    evaluation = evaluation_for(world.year_a, phase="checking")
    score_lines(assessment_of(evaluation, world.haiphong), I_1="5")
    results_published(evaluation)
    two = [queries_for(client, world.reviewer, url) for url in urls]
    for small, large in zip(one, two, strict=True):
        assert_same_count(small, large)
