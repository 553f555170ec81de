"""Query-count guards: each page costs the same number of queries whatever the data size."""

import datetime

import pytest
from django.urls import reverse

from members.models import Membership
from tests.factories import ClusterFactory, DepartmentFactory, MembershipFactory, UserFactory
from tests.helpers import assert_same_count, cluster_year_with, queries_for

pytestmark = pytest.mark.django_db

FIRST_YEAR = 2019


def cluster_of(*, members: int, years: int = 1):
    """A cluster with ``years`` years of the same ``members`` departments, and a member user.

    The first department leads, the second is deputy: the user of the first is the
    secretariat, so pages show everything they can.
    """
    cluster = ClusterFactory()
    departments = [DepartmentFactory() for _ in range(members)]
    for year in range(FIRST_YEAR, FIRST_YEAR + years):
        cluster_year_with(
            cluster, year, leader=departments[0], deputy=departments[1], members=departments[2:]
        )
    return cluster, departments, UserFactory(department=departments[0])


def test_the_dashboard_costs_the_same_with_11_and_60_members(client):
    _, _, small_user = cluster_of(members=11)
    small = queries_for(client, small_user, reverse("members:dashboard"))
    _, _, large_user = cluster_of(members=60)
    large = queries_for(client, large_user, reverse("members:dashboard"))
    assert_same_count(small, large)


def test_the_dashboard_of_a_reviewer_costs_the_same_with_1_and_5_clusters(client):
    reviewer = UserFactory(reviewer=True)
    cluster_of(members=3)
    small = queries_for(client, reviewer, reverse("members:dashboard"))
    for _ in range(4):
        cluster_of(members=3)
    large = queries_for(client, reviewer, reverse("members:dashboard"))
    assert_same_count(small, large)


def test_the_department_directory_costs_the_same_with_11_and_60_departments(client):
    _, _, small_user = cluster_of(members=11)
    small = queries_for(client, small_user, reverse("members:department-list"))
    _, _, large_user = cluster_of(members=60)
    large = queries_for(client, large_user, reverse("members:department-list"))
    assert_same_count(small, large)


def test_a_search_of_the_directory_costs_the_same_with_11_and_60_departments(client):
    url = reverse("members:department-list") + "?q=ha+noi"
    _, _, small_user = cluster_of(members=11)
    small = queries_for(client, small_user, url)
    _, _, large_user = cluster_of(members=60)
    large = queries_for(client, large_user, url)
    assert_same_count(small, large)


def test_the_cluster_list_costs_the_same_with_1_and_8_clusters(client):
    _, departments, user = cluster_of(members=3)
    url = reverse("members:cluster-list")
    small = queries_for(client, user, url)
    for _ in range(7):
        cluster_year_with(ClusterFactory(), FIRST_YEAR, leader=departments[0])
    large = queries_for(client, user, url)
    assert_same_count(small, large)


@pytest.mark.parametrize("name", ["members:cluster-history", "members:cluster-detail"])
def test_the_cluster_pages_cost_the_same_with_2_and_8_years(client, name):
    small_cluster, _, small_user = cluster_of(members=11, years=2)
    small = queries_for(client, small_user, reverse(name, kwargs={"code": small_cluster.code}))
    large_cluster, _, large_user = cluster_of(members=11, years=8)
    large = queries_for(client, large_user, reverse(name, kwargs={"code": large_cluster.code}))
    assert_same_count(small, large)


@pytest.mark.parametrize(
    "name",
    ["members:clusteryear-detail", "members:clusteryear-update", "members:clusteryear-leadership"],
)
def test_the_year_pages_cost_the_same_with_11_and_60_members(client, name):
    def url(cluster):
        return reverse(name, kwargs={"code": cluster.code, "year": FIRST_YEAR})

    small_cluster, _, small_user = cluster_of(members=11)
    small = queries_for(client, small_user, url(small_cluster))
    large_cluster, _, large_user = cluster_of(members=60)
    large = queries_for(client, large_user, url(large_cluster))
    assert_same_count(small, large)


def test_the_start_page_costs_the_same_with_11_and_60_members(client):
    small_cluster, _, small_user = cluster_of(members=11)
    small = queries_for(
        client,
        small_user,
        reverse("members:clusteryear-start", kwargs={"code": small_cluster.code}),
    )
    large_cluster, _, large_user = cluster_of(members=60)
    large = queries_for(
        client,
        large_user,
        reverse("members:clusteryear-start", kwargs={"code": large_cluster.code}),
    )
    assert_same_count(small, large)


def test_the_department_page_costs_the_same_with_2_and_8_years_of_membership(client):
    _, small_departments, small_user = cluster_of(members=3, years=2)
    small = queries_for(client, small_user, small_departments[2].get_absolute_url())
    _, large_departments, large_user = cluster_of(members=3, years=8)
    large = queries_for(client, large_user, large_departments[2].get_absolute_url())
    assert_same_count(small, large)


def test_the_department_page_costs_the_same_with_1_and_3_predecessors(client):
    _, departments, user = cluster_of(members=3)
    successor = departments[2]

    def merged_into(department):
        predecessor = DepartmentFactory(successor=department, valid_to="2018-12-31")
        MembershipFactory(
            cluster_year=cluster_year_with(ClusterFactory(), 2018), department=predecessor
        )

    merged_into(successor)
    small = queries_for(client, user, successor.get_absolute_url())
    merged_into(successor)
    merged_into(successor)
    large = queries_for(client, user, successor.get_absolute_url())
    assert Membership.objects.filter(department__successor=successor).count() == 3
    assert_same_count(small, large)


def test_my_todo_costs_the_same_with_1_and_4_years_and_their_items(client):
    from django.utils import timezone

    from plans.models import Activity
    from tests.helpers import covenant_for, plan_for

    this_year = timezone.localdate().year
    cluster = ClusterFactory()
    departments = [DepartmentFactory() for _ in range(4)]
    user = UserFactory(department=departments[0])
    first = cluster_year_with(
        cluster, this_year, leader=departments[0], deputy=departments[1], members=departments[2:]
    )
    covenant_for(first)
    small = queries_for(client, user, reverse("members:dashboard"))
    overdue = timezone.localdate() - datetime.timedelta(days=1)
    for year in range(this_year + 1, this_year + 4):  # later years already started
        later = cluster_year_with(
            cluster, year, leader=departments[0], deputy=departments[1], members=departments[2:]
        )
        covenant_for(later, signed=departments[:2])
        plan_for(
            later, (Activity.Status.PLANNED, 0, overdue), (Activity.Status.PLANNED, 0, overdue)
        )
    large = queries_for(client, user, reverse("members:dashboard"))
    assert_same_count(small, large)


def test_the_notification_page_costs_the_same_with_1_and_30_notifications(client):
    from members.models import Notification

    user = UserFactory(department=DepartmentFactory())
    Notification.objects.create(user=user, key="k0", kind="year", message="Việc", url="/")
    small = queries_for(client, user, reverse("members:notification-list"))
    Notification.objects.bulk_create(
        Notification(user=user, key=f"k{i}", kind="year", message="Việc", url="/")
        for i in range(1, 30)
    )
    large = queries_for(client, user, reverse("members:notification-list"))
    assert_same_count(small, large)
