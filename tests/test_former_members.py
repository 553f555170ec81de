"""A department that left or merged away reads the years it was a member of, not later ones.

As in the demo: Hải Dương, a member of cluster A in 2019, merged into Hải Phòng from
1 July 2025 and is not a member in 2026. Its users may still read 2019, never 2026: not
the year page, the covenant, its signing board and audit page (signatories' addresses and
browsers), the plan, the calendar, the charter drafts nor the reports.
"""

import datetime

import pytest
from django.urls import reverse

from members.models import Department, User
from plans import selectors as plan_selectors
from plans.models import WorkPlan
from reports import selectors as report_selectors
from tests.factories import ActivityFactory, CharterVersionFactory, UserFactory, WorkPlanFactory
from tests.helpers import cluster_year_with, department, draft_covenant, open_covenant

OLD, NEW = 2019, 2026


@pytest.fixture
def merger(world):
    """Cluster A in 2019 (with Hải Dương) and 2026 (without), each with a plan, an
    activity, a charter draft and an open covenant; a staff user of Hải Dương."""
    haiduong = department(
        "Hải Dương", "haiduong", valid_to=datetime.date(2025, 6, 30), successor=world.haiphong
    )
    years = {
        OLD: cluster_year_with(
            world.cluster_a, OLD, leader=world.hanoi, members=[world.haiphong, haiduong]
        ),
        NEW: cluster_year_with(world.cluster_a, NEW, leader=world.hanoi, members=[world.haiphong]),
    }
    for year, cluster_year in years.items():
        plan = WorkPlanFactory(cluster_year=cluster_year, title=f"Kế hoạch năm {year}")
        ActivityFactory(
            work_plan=plan,
            host=world.haiphong,
            title=f"Hội nghị năm {year}",
            starts_on=datetime.date(year, 3, 10),
            ends_on=datetime.date(year, 3, 10),
        )
        CharterVersionFactory(
            cluster_year=cluster_year,
            number=year,
            title=f"Quy chế {year}",
            state="adopted",
            adopted_on=datetime.date(year, 3, 10),
        )
        open_covenant(
            draft_covenant(world, cluster_year=cluster_year, title=f"Giao ước năm {year}"),
            world.secretariat,
        )
    former = UserFactory(username="chuyenvien.haiduong", department=haiduong)
    return years, former


def year_pages(year: int) -> list[str]:
    kwargs = {"code": "bac-bo", "year": year}
    return [
        reverse("members:clusteryear-detail", kwargs=kwargs),
        reverse("agreements:covenant-detail", kwargs=kwargs),
        reverse("agreements:covenant-board", kwargs=kwargs),
        reverse("agreements:covenant-audit", kwargs=kwargs),
        reverse("plans:workplan-detail", kwargs=kwargs),
        reverse("reports:clusteryear-report", kwargs=kwargs),
        reverse("reports:clusteryear-export-csv", kwargs={**kwargs, "table": "signatures"}),
    ]


def test_a_former_member_reading_a_later_year_gets_404(client, world, merger):
    _years, former = merger
    client.force_login(former)
    for url in year_pages(NEW):
        assert client.get(url).status_code == 404, url


def test_a_former_member_still_reads_the_years_it_was_a_member(client, world, merger):
    _years, former = merger
    client.force_login(former)
    for url in year_pages(OLD):
        assert client.get(url).status_code == 200, url


def test_a_department_that_joined_later_does_not_read_earlier_years(client, world, merger):
    newcomer = department("Hưng Yên", "hungyen")
    cluster_year_with(world.cluster_a, 2027, leader=world.hanoi, members=[newcomer])
    client.force_login(UserFactory(username="chuyenvien.hungyen", department=newcomer))
    for url in year_pages(NEW):
        assert client.get(url).status_code == 404, url


def test_a_continuing_member_reads_both_years(client, world, merger):
    client.force_login(world.staff)  # Hải Phòng: a member in 2019 and 2026
    for url in year_pages(OLD) + year_pages(NEW):
        assert client.get(url).status_code == 200, url


def test_the_cluster_pages_list_only_the_former_members_years(client, world, merger):
    _years, former = merger
    client.force_login(former)
    for name in ("members:cluster-detail", "members:cluster-history"):
        years = [
            cy.year for cy in client.get(reverse(name, kwargs={"code": "bac-bo"})).context["years"]
        ]
        assert OLD in years and NEW not in years and 2024 not in years, name


def test_the_charter_list_hides_drafts_of_later_years(client, world, merger):
    _years, former = merger
    client.force_login(former)
    response = client.get(reverse("plans:charterversion-list", kwargs={"code": "bac-bo"}))
    assert [v.title for v in response.context["versions"]] == [f"Quy chế {OLD}"]


def test_the_calendar_shows_no_activity_of_a_later_year(client, world, merger):
    _years, former = merger
    client.force_login(former)
    for year, expected in ((NEW, []), (OLD, [f"Hội nghị năm {OLD}"])):
        url = reverse("plans:calendar-month", kwargs={"code": "bac-bo", "year": year, "month": 3})
        month = client.get(url).context["month"]
        assert [a.title for a in month.activities] == expected, year


def test_reports_for_a_former_member_cover_only_its_years(world, merger):
    _years, former = merger
    overview = report_selectors.overview(user=former)
    assert NEW not in overview.years and OLD in overview.years
    assert report_selectors.overview(user=former, year=NEW).rows == []
    history = report_selectors.cluster_history(cluster=world.cluster_a, user=former)
    assert [figures.cluster_year.year for figures in history.years] == [OLD]


def test_the_plans_overview_and_feeds_leave_out_later_years(world, merger):
    _years, former = merger
    years = plan_selectors.cluster_year_list_with_plans(user=former)
    assert [cy.year for cy in years] == [OLD]
    feed = plan_selectors.activity_list_for_cluster_feed(cluster=world.cluster_a, user=former)
    assert [a.title for a in feed] == [f"Hội nghị năm {OLD}"]
    assert Department.objects.get(code="haiduong").successor == world.haiphong


def test_in_the_demo_hai_duong_reads_2019_but_not_2026(client, db):
    from members import demo as members_demo
    from plans import demo as plans_demo

    members_demo.load()
    plans_demo.load()
    client.force_login(User.objects.get(username="haiduong.staff"))  # the demo's account
    plans = WorkPlan.objects.filter(cluster_year__cluster__code="bac-bo")
    assert set(plans.values_list("cluster_year__year", flat=True)) >= {2019, 2026}
    names = ["members:clusteryear-detail", "plans:workplan-detail", "reports:clusteryear-report"]
    for year, status in ((2019, 200), (2026, 404)):
        for name in names:
            url = reverse(name, kwargs={"code": "bac-bo", "year": year})
            assert client.get(url).status_code == status, (name, year)
