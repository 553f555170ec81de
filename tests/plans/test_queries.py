"""Query-count guards: each plans page costs the same number of queries whatever the data size."""

import datetime

import pytest
from django.urls import reverse

from plans.models import Activity, Attendee, CharterArticle, CharterComment, NewsPost
from tests.factories import (
    CharterVersionFactory,
    ClusterFactory,
    DepartmentFactory,
    NewsPostFactory,
    UserFactory,
    WorkPlanFactory,
)
from tests.helpers import WORLD_YEAR, assert_same_count, cluster_year_with, queries_for

pytestmark = pytest.mark.django_db


def cluster_with_plan(*, activities: int, members: int = 4):
    """A cluster year with a plan of ``activities`` activities in March (hosted in turn by
    its members, some conferences, some done), and its secretariat user."""
    cluster = ClusterFactory()
    departments = [DepartmentFactory() for _ in range(members)]
    year = cluster_year_with(
        cluster, WORLD_YEAR, leader=departments[0], deputy=departments[1], members=departments[2:]
    )
    plan = WorkPlanFactory(cluster_year=year)
    kinds = Activity.Kind.values
    Activity.objects.bulk_create(
        Activity(
            work_plan=plan,
            title=f"Hoạt động số {n}",
            kind=kinds[n % len(kinds)],
            host=departments[n % members],
            starts_on=datetime.date(WORLD_YEAR, 3, 1 + n % 28),
            ends_on=datetime.date(WORLD_YEAR, 3, 1 + n % 28),
            status="done" if n % 3 == 0 else "planned",
            progress=100 if n % 3 == 0 else 0,
        )
        for n in range(activities)
    )
    return cluster, plan, UserFactory(department=departments[0]), departments


def plan_url(cluster):
    return reverse("plans:workplan-detail", kwargs={"code": cluster.code, "year": WORLD_YEAR})


def month_url(cluster, query=""):
    url = reverse(
        "plans:calendar-month", kwargs={"code": cluster.code, "year": WORLD_YEAR, "month": 3}
    )
    return url + query


@pytest.mark.parametrize("role", ["secretariat", "host"])
def test_the_plan_page_costs_the_same_with_5_and_200_activities(client, role):
    small_cluster, _, small_user, small_departments = cluster_with_plan(activities=5)
    large_cluster, _, large_user, large_departments = cluster_with_plan(activities=200)
    if role == "host":
        small_user = UserFactory(department=small_departments[2])
        large_user = UserFactory(department=large_departments[2])
    small = queries_for(client, small_user, plan_url(small_cluster))
    large = queries_for(client, large_user, plan_url(large_cluster))
    assert_same_count(small, large)


def test_the_calendar_costs_the_same_with_5_and_200_activities(client):
    small_cluster, _, small_user, _ = cluster_with_plan(activities=5)
    large_cluster, _, large_user, _ = cluster_with_plan(activities=200)
    small = queries_for(client, small_user, month_url(small_cluster))
    large = queries_for(client, large_user, month_url(large_cluster))
    assert_same_count(small, large)


def test_the_filtered_calendar_costs_the_same_with_5_and_200_activities(client):
    small_cluster, _, small_user, small_departments = cluster_with_plan(activities=5)
    large_cluster, _, large_user, large_departments = cluster_with_plan(activities=200)
    small = queries_for(
        client, small_user, month_url(small_cluster, f"?department={small_departments[1].code}")
    )
    large = queries_for(
        client, large_user, month_url(large_cluster, f"?department={large_departments[1].code}")
    )
    assert_same_count(small, large)


@pytest.mark.parametrize("name", ["activity-export-csv", "activity-export-xlsx"])
def test_the_exports_cost_the_same_with_5_and_200_activities(client, name):
    small_cluster, _, small_user, _ = cluster_with_plan(activities=5)
    large_cluster, _, large_user, _ = cluster_with_plan(activities=200)

    def url(cluster):
        return reverse(f"plans:{name}", kwargs={"code": cluster.code, "year": WORLD_YEAR})

    assert_same_count(
        queries_for(client, small_user, url(small_cluster)),
        queries_for(client, large_user, url(large_cluster)),
    )


def test_the_plans_overview_costs_the_same_with_1_and_6_years(client):
    cluster, _, user, departments = cluster_with_plan(activities=5)
    small = queries_for(client, user, reverse("plans:index"))
    for year in range(WORLD_YEAR + 1, WORLD_YEAR + 6):
        WorkPlanFactory(
            cluster_year=cluster_year_with(
                cluster, year, leader=departments[0], members=departments[1:]
            )
        )
    large = queries_for(client, user, reverse("plans:index"))
    assert_same_count(small, large)


def conference_with(*, attendees: int):
    _cluster, plan, user, departments = cluster_with_plan(activities=1, members=max(attendees, 2))
    conference = plan.activities.get()
    Activity.objects.filter(pk=conference.pk).update(kind=Activity.Kind.CONFERENCE)
    Attendee.objects.bulk_create(
        Attendee(activity=conference, kind="member", department=d, title="Lãnh đạo đại diện")
        for d in departments[:attendees]
    )
    return conference, user


def test_a_conference_page_costs_the_same_with_2_and_30_attendees(client):
    small, small_user = conference_with(attendees=2)
    large, large_user = conference_with(attendees=30)
    assert_same_count(
        queries_for(client, small_user, small.get_absolute_url()),
        queries_for(client, large_user, large.get_absolute_url()),
    )


def charter_with(*, articles: int):
    cluster, _, user, departments = cluster_with_plan(activities=0)
    version = CharterVersionFactory(cluster_year=cluster.years.get(), state="open")
    created = CharterArticle.objects.bulk_create(
        CharterArticle(version=version, number=n + 1, heading=f"Điều khoản {n}", body="Nội dung")
        for n in range(articles)
    )
    author = UserFactory(department=departments[2])
    CharterComment.objects.bulk_create(
        CharterComment(article=article, author=author, department=departments[2], body="Góp ý")
        for article in created
    )
    return version, user


def test_a_charter_version_costs_the_same_with_3_and_40_commented_articles(client):
    small, small_user = charter_with(articles=3)
    large, large_user = charter_with(articles=40)
    assert_same_count(
        queries_for(client, small_user, small.get_absolute_url()),
        queries_for(client, large_user, large.get_absolute_url()),
    )


def test_the_news_list_costs_the_same_with_2_and_20_posts(client):
    _cluster, plan, user, departments = cluster_with_plan(activities=0)

    def publish(count):
        for _ in range(count):
            NewsPostFactory(
                cluster_year=plan.cluster_year,
                author_department=departments[1],
                status=NewsPost.Status.PUBLISHED,
                published_on=datetime.date(WORLD_YEAR, 5, 29),
            )

    publish(2)
    small = queries_for(client, user, reverse("plans:news-public-list"))
    publish(18)
    large = queries_for(client, user, reverse("plans:news-public-list"))
    assert_same_count(small, large)
