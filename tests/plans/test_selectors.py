"""Reads of the plans app: what each user sees, the calendar grid, the charter comparison."""

import datetime

import pytest

from plans import selectors
from plans.models import CharterArticle, NewsPost
from tests.factories import (
    ActivityFactory,
    CharterArticleFactory,
    CharterVersionFactory,
    NewsPostFactory,
    UserFactory,
    WorkPlanFactory,
)
from tests.helpers import WORLD_YEAR, cluster_year_with

pytestmark = pytest.mark.django_db

D = datetime.date


# Plans overview


def test_the_overview_lists_the_years_of_the_users_clusters_only(world, plan):
    years = selectors.cluster_year_list_with_plans(user=world.staff)
    assert [(cy.cluster.code, cy.year, cy.work_plan) for cy in years] == [
        ("bac-bo", WORLD_YEAR, plan)
    ]


def test_reviewers_see_the_years_of_every_cluster(world, plan):
    years = selectors.cluster_year_list_with_plans(user=world.reviewer)
    assert {cy.cluster.code for cy in years} == {"bac-bo", "dong-bac"}


# Calendar


def test_the_month_grid_starts_on_monday_and_covers_whole_weeks(world):
    month = selectors.calendar_month_get(cluster=world.cluster_a, year=2024, month=5)
    days = [day.day for week in month.weeks for day in week]
    assert (days[0], days[-1]) == (D(2024, 4, 29), D(2024, 6, 2))
    assert all(len(week) == 7 for week in month.weeks)
    assert (month.previous, month.next) == (D(2024, 4, 1), D(2024, 6, 1))


def test_an_activity_shows_on_every_day_it_runs(world, plan):
    activity = ActivityFactory(work_plan=plan, starts_on=D(2024, 5, 30), ends_on=D(2024, 6, 2))
    month = selectors.calendar_month_get(cluster=world.cluster_a, year=2024, month=5)
    shown_on = [day.day for week in month.weeks for day in week if activity in day.activities]
    assert shown_on == [D(2024, 5, 30), D(2024, 5, 31), D(2024, 6, 1), D(2024, 6, 2)]
    assert month.activities == [activity]


def test_the_month_filtered_by_department_shows_what_it_hosts(world, plan):
    ActivityFactory(
        work_plan=plan, host=world.hanoi, starts_on=D(2024, 5, 3), ends_on=D(2024, 5, 3)
    )
    hosted = ActivityFactory(
        work_plan=plan, host=world.vinhphuc, starts_on=D(2024, 5, 9), ends_on=D(2024, 5, 9)
    )
    month = selectors.calendar_month_get(
        cluster=world.cluster_a, year=2024, month=5, department=world.vinhphuc
    )
    assert month.activities == [hosted]


def test_another_clusters_activities_are_not_in_the_calendar(world, plan):
    ActivityFactory(
        work_plan__cluster_year=world.year_b, starts_on=D(2024, 5, 3), ends_on=D(2024, 5, 3)
    )
    assert (
        selectors.calendar_month_get(cluster=world.cluster_a, year=2024, month=5).activities == []
    )


def test_today_is_marked(world):
    month = selectors.calendar_month_get(
        cluster=world.cluster_a, year=2024, month=5, today=D(2024, 5, 24)
    )
    assert [day.day for week in month.weeks for day in week if day.is_today] == [D(2024, 5, 24)]


def test_the_calendar_link_opens_this_month_in_the_current_year(world):
    found = selectors.calendar_month_get_default(user=world.staff, today=D(WORLD_YEAR, 9, 14))
    assert found == (world.cluster_a, WORLD_YEAR, 9)


def test_the_calendar_link_opens_the_first_activitys_month_of_a_past_year(world, plan):
    ActivityFactory(work_plan=plan, starts_on=D(WORLD_YEAR, 4, 2), ends_on=D(WORLD_YEAR, 4, 2))
    found = selectors.calendar_month_get_default(user=world.staff, today=D(WORLD_YEAR + 2, 1, 5))
    assert found == (world.cluster_a, WORLD_YEAR, 4)


def test_the_calendar_filter_offers_the_members_of_that_year(world):
    departments = selectors.calendar_department_list(cluster=world.cluster_a, year=WORLD_YEAR)
    assert {d.code for d in departments} == {"hanoi", "vinhphuc", "haiphong", "bacninh"}


# Feeds


def test_the_cluster_feed_has_every_year_of_the_cluster(world, plan):
    next_year = cluster_year_with(world.cluster_a, WORLD_YEAR + 1, leader=world.hanoi)
    later = ActivityFactory(work_plan=WorkPlanFactory(cluster_year=next_year))
    now = ActivityFactory(work_plan=plan)
    assert selectors.activity_list_for_cluster_feed(cluster=world.cluster_a) == [now, later]


# Charter


def adopted(world, number, on):
    return CharterVersionFactory(
        cluster_year=world.year_a, number=number, state="adopted", adopted_on=on
    )


def test_the_version_in_force_is_the_latest_adopted_one(world):
    first = adopted(world, 1, D(2019, 5, 24))
    second = adopted(world, 2, D(2023, 3, 1))
    draft = CharterVersionFactory(cluster_year=world.year_a, number=3)
    versions = selectors.charter_version_list(cluster=world.cluster_a)
    assert selectors.charter_version_get_in_force(versions, on=D(2024, 1, 1)) == second
    assert selectors.charter_version_get_in_force(versions, on=D(2020, 1, 1)) == first
    assert selectors.charter_version_get_in_force(versions, on=D(2018, 1, 1)) is None
    assert draft in versions


def test_a_version_stays_in_force_across_years_until_a_new_one(world):
    first = adopted(world, 1, D(2019, 5, 24))
    versions = selectors.charter_version_list(cluster=world.cluster_a)
    assert selectors.charter_version_get_in_force(versions, on=D(2026, 11, 29)) == first


def test_the_version_list_counts_articles_and_comments(world):
    version = CharterVersionFactory(cluster_year=world.year_a)
    article = CharterArticleFactory(version=version)
    CharterArticleFactory(version=version)
    article.comments.create(author=world.staff, body="Góp ý 1")
    article.comments.create(author=world.signatory, body="Góp ý 2")
    [loaded] = selectors.charter_version_list(cluster=world.cluster_a)
    assert (loaded.article_count, loaded.comment_count) == (2, 2)


def test_the_word_diff_marks_what_was_removed_and_added():
    pieces = selectors.text_diff("Cụm gồm 11 thành viên.", "Cụm gồm 7 thành viên.")
    assert [(p.op, p.text) for p in pieces] == [
        ("equal", "Cụm gồm "),
        ("delete", "11"),
        ("insert", "7"),
        ("equal", " thành viên."),
    ]


def pair(world):
    old = adopted(world, 1, D(2019, 5, 24))
    kept = CharterArticleFactory(version=old, number=1, heading="Phạm vi", body="Giữ nguyên.")
    changed = CharterArticleFactory(
        version=old, number=2, heading="Thành viên", body="11 thành viên."
    )
    removed = CharterArticleFactory(version=old, number=3, heading="Điều cũ", body="Bỏ đi.")
    new = CharterVersionFactory(cluster_year=world.year_a, number=2, based_on=old)
    for article, number, body in [(kept, 1, kept.body), (changed, 3, "7 thành viên.")]:
        CharterArticle.objects.create(
            version=new, key=article.key, number=number, heading=article.heading, body=body
        )
    CharterArticleFactory(version=new, number=2, heading="Công nghệ thông tin", body="Mới.")
    return (
        selectors.charter_version_get(pk=old.pk),
        selectors.charter_version_get(pk=new.pk),
        removed,
    )


def test_the_comparison_pairs_articles_by_identity_and_finds_each_kind_of_change(world):
    old, new, removed = pair(world)
    changes = selectors.charter_diff(old=old, new=new)
    assert [(c.status, c.number, c.renumbered) for c in changes] == [
        ("unchanged", 1, False),
        ("added", 2, False),
        ("changed", 3, True),
        ("removed", 3, False),
    ]
    assert changes[-1].old == removed


def test_a_changed_article_shows_its_word_changes(world):
    old, new, _ = pair(world)
    changed = next(c for c in selectors.charter_diff(old=old, new=new) if c.status == "changed")
    assert [(p.op, p.text) for p in changed.body if p.op != "equal"] == [
        ("delete", "11"),
        ("insert", "7"),
    ]


def test_the_next_article_number_follows_the_last(world):
    version = CharterVersionFactory(cluster_year=world.year_a)
    CharterArticleFactory(version=version, number=4)
    assert selectors.charter_article_next_number(version=version) == 5


# News


def test_only_published_news_is_listed_publicly(world):
    published = NewsPostFactory(
        cluster_year=world.year_a, status=NewsPost.Status.PUBLISHED, published_on=D(2024, 5, 29)
    )
    NewsPostFactory(cluster_year=world.year_a)
    assert list(selectors.news_post_list_published()) == [published]


def test_drafts_are_listed_for_their_department_and_the_secretariat(world):
    draft = NewsPostFactory(cluster_year=world.year_a, author_department=world.haiphong)
    assert selectors.news_post_list_drafts(user=world.staff) == [draft]
    assert selectors.news_post_list_drafts(user=world.secretariat) == [draft]
    assert selectors.news_post_list_drafts(user=world.outsider) == []
    assert selectors.news_post_list_drafts(user=UserFactory(department=world.bacninh)) == []


def test_members_may_write_news_in_their_open_years(world):
    assert [cy.pk for cy in selectors.cluster_year_list_for_news(user=world.staff)] == [
        world.year_a.pk
    ]
    assert selectors.cluster_year_list_for_news(user=world.reviewer) == []
