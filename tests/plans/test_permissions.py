"""Every predicate of ``plans.permissions``, for every role (one test per role).

In the world, ``secretariat`` is Hà Nội's (the leader of cluster A in 2024); ``staff`` and
``signatory`` are Hải Phòng's, a member of A; ``outsider`` is Quảng Ninh's (cluster B, which
it leads); ``reviewer`` is the Ministry's.
"""

import datetime

import pytest

from members.models import ClusterYear
from plans import permissions
from plans.models import (
    Activity,
    CharterComment,
    CharterVersion,
    LegalReference,
    NewsPost,
    Photo,
)
from tests.factories import (
    ActivityFactory,
    CharterArticleFactory,
    CharterVersionFactory,
    NewsPostFactory,
)

pytestmark = pytest.mark.django_db

ROLES = ["secretariat", "signatory", "staff", "outsider", "reviewer", "site_admin", "anonymous"]
READERS = ("secretariat", "signatory", "staff", "reviewer", "site_admin")
MANAGERS = ("secretariat", "site_admin")
HOSTS = ("secretariat", "signatory", "staff", "site_admin")


def per_role(*allowed: str):
    """One case per role: (role, whether the predicate holds for it)."""
    return pytest.mark.parametrize(
        ("role", "expected"), [pytest.param(role, role in allowed, id=role) for role in ROLES]
    )


def close(cluster_year):
    cluster_year.phase = ClusterYear.Phase.CLOSED
    cluster_year.save()


def version_in(world, state, **fields):
    if state == CharterVersion.State.ADOPTED:
        fields.setdefault("adopted_on", datetime.date(2024, 5, 24))
    return CharterVersionFactory(cluster_year=world.year_a, state=state, **fields)


# Work plans and activities


@per_role(*READERS)
def test_a_work_plan_is_visible_to_whoever_sees_its_cluster(world, plan, role, expected):
    assert permissions.can_view_work_plan(world.user(role), plan) is expected


@per_role(*MANAGERS)
def test_the_work_plan_is_created_by_the_secretariat(world, role, expected):
    assert permissions.can_create_work_plan(world.user(role), world.year_a) is expected


@per_role(*MANAGERS)
def test_the_work_plan_is_edited_by_the_secretariat(world, plan, role, expected):
    assert permissions.can_edit_work_plan(world.user(role), plan) is expected


@per_role(*MANAGERS)
def test_activities_are_added_by_the_secretariat(world, plan, role, expected):
    assert permissions.can_add_activity(world.user(role), plan) is expected


@per_role(*READERS)
def test_an_activity_is_visible_to_whoever_sees_the_plan(world, hosted, role, expected):
    assert permissions.can_view_activity(world.user(role), hosted) is expected


@per_role(*MANAGERS)
def test_every_field_of_an_activity_is_edited_by_the_secretariat(world, hosted, role, expected):
    assert permissions.can_edit_activity(world.user(role), hosted) is expected


@per_role(*HOSTS)
def test_the_host_department_and_the_secretariat_report_on_an_activity(
    world, hosted, role, expected
):
    assert permissions.can_update_activity(world.user(role), hosted) is expected


@per_role(*MANAGERS)
def test_another_members_activity_is_reported_on_by_its_host_not_by_us(world, plan, role, expected):
    activity = ActivityFactory(work_plan=plan, host=world.bacninh)
    assert permissions.can_update_activity(world.user(role), activity) is expected


@per_role("site_admin")
def test_activities_of_a_closed_year_are_changed_by_admins_only(world, hosted, role, expected):
    close(world.year_a)
    assert permissions.can_update_activity(world.user(role), hosted) is expected


@per_role(*HOSTS)
def test_a_conference_record_is_kept_by_the_host_and_the_secretariat(
    world, conference, role, expected
):
    assert permissions.can_record_conference(world.user(role), conference) is expected


@per_role()
def test_an_activity_that_is_not_a_meeting_has_no_conference_record(world, hosted, role, expected):
    assert permissions.can_record_conference(world.user(role), hosted) is expected


@per_role(*HOSTS)
def test_files_and_photos_are_added_by_whoever_reports_on_the_activity(
    world, hosted, role, expected
):
    assert permissions.can_add_activity_files(world.user(role), hosted) is expected


@per_role(*READERS)
def test_activities_are_exported_by_whoever_sees_the_plan(world, plan, role, expected):
    assert permissions.can_export_activities(world.user(role), plan) is expected


# Calendar and feeds


@per_role(*READERS)
def test_the_cluster_calendar_is_visible_to_whoever_sees_the_cluster(world, role, expected):
    assert permissions.can_view_cluster_calendar(world.user(role), world.cluster_a) is expected


@per_role("secretariat", "signatory", "staff", "outsider", "site_admin")
def test_everyone_but_reviewers_manages_their_own_feed_token(world, role, expected):
    user = world.user(role)
    assert permissions.can_manage_feed_token(user, user) is expected


@per_role("staff")
def test_a_feed_token_is_managed_by_its_owner_only(world, role, expected):
    assert permissions.can_manage_feed_token(world.user(role), world.staff) is expected


# Charter


@per_role(*READERS)
def test_charter_versions_are_visible_to_whoever_sees_the_cluster(world, role, expected):
    version = version_in(world, CharterVersion.State.DRAFT)
    assert permissions.can_view_charter_version(world.user(role), version) is expected


@per_role(*MANAGERS)
def test_a_new_version_is_started_by_the_secretariat(world, role, expected):
    assert permissions.can_create_charter_version(world.user(role), world.year_a) is expected


@per_role(*MANAGERS)
def test_a_draft_is_edited_by_the_secretariat(world, role, expected):
    version = version_in(world, CharterVersion.State.DRAFT)
    assert permissions.can_edit_charter_version(world.user(role), version) is expected


@per_role()
def test_a_version_open_for_comments_is_edited_by_nobody(world, role, expected):
    version = version_in(world, CharterVersion.State.OPEN)
    assert permissions.can_edit_charter_version(world.user(role), version) is expected


@per_role()
def test_an_adopted_version_is_edited_by_nobody_not_even_admins(world, role, expected):
    version = version_in(world, CharterVersion.State.ADOPTED)
    assert permissions.can_edit_charter_version(world.user(role), version) is expected


@per_role(*MANAGERS)
def test_a_draft_is_opened_for_comments_by_the_secretariat(world, role, expected):
    version = version_in(world, CharterVersion.State.DRAFT)
    assert permissions.can_open_charter_version(world.user(role), version) is expected


@per_role(*MANAGERS)
def test_an_open_version_goes_back_to_draft_by_the_secretariat(world, role, expected):
    version = version_in(world, CharterVersion.State.OPEN)
    assert permissions.can_return_charter_version_to_draft(world.user(role), version) is expected


@per_role(*MANAGERS)
def test_an_open_version_is_adopted_by_the_secretariat(world, role, expected):
    version = version_in(world, CharterVersion.State.OPEN)
    assert permissions.can_adopt_charter_version(world.user(role), version) is expected


@per_role(*HOSTS)
def test_members_comment_on_a_version_open_for_comments(world, role, expected):
    version = version_in(world, CharterVersion.State.OPEN)
    assert permissions.can_comment_on_charter_version(world.user(role), version) is expected


@per_role()
def test_nobody_comments_on_a_draft(world, role, expected):
    version = version_in(world, CharterVersion.State.DRAFT)
    assert permissions.can_comment_on_charter_version(world.user(role), version) is expected


@per_role("site_admin")
def test_nobody_but_admins_comments_in_a_closed_year(world, role, expected):
    version = version_in(world, CharterVersion.State.OPEN)
    close(world.year_a)
    assert permissions.can_comment_on_charter_version(world.user(role), version) is expected


def comment_on(version, world):
    article = CharterArticleFactory(version=version)
    return CharterComment.objects.create(article=article, author=world.staff, body="Góp ý")


@per_role(*MANAGERS)
def test_comments_are_answered_by_the_secretariat(world, role, expected):
    comment = comment_on(version_in(world, CharterVersion.State.OPEN), world)
    assert permissions.can_answer_charter_comment(world.user(role), comment) is expected


@per_role()
def test_comments_on_an_adopted_version_are_answered_by_nobody(world, role, expected):
    comment = comment_on(version_in(world, CharterVersion.State.ADOPTED), world)
    assert permissions.can_answer_charter_comment(world.user(role), comment) is expected


# News


def post_of(world, department, **fields):
    return NewsPostFactory(cluster_year=world.year_a, author_department=department, **fields)


def published(world):
    return post_of(
        world, world.haiphong, status=NewsPost.Status.PUBLISHED, published_on=datetime.date.today()
    )


@per_role(*ROLES)
def test_a_published_post_is_readable_by_everyone_even_without_login(world, role, expected):
    assert permissions.can_view_news_post(world.user(role), published(world)) is expected


@per_role(*READERS)
def test_a_draft_is_read_by_its_department_the_secretariat_reviewers_and_admins(
    world, role, expected
):
    draft = post_of(world, world.haiphong)
    assert permissions.can_view_news_post(world.user(role), draft) is expected


@per_role(*HOSTS)
def test_members_and_the_secretariat_write_news(world, role, expected):
    assert permissions.can_create_news_post(world.user(role), world.year_a) is expected


@per_role(*HOSTS)
def test_a_post_is_edited_by_its_department_and_the_secretariat(world, role, expected):
    post = post_of(world, world.haiphong)
    assert permissions.can_edit_news_post(world.user(role), post) is expected


@per_role(*MANAGERS)
def test_another_departments_post_is_edited_by_the_secretariat_only(world, role, expected):
    post = post_of(world, world.bacninh)
    assert permissions.can_edit_news_post(world.user(role), post) is expected


# Photos and legal references


@per_role(*ROLES)
def test_a_published_posts_photo_is_public(world, role, expected):
    photo = Photo(news_post=published(world))
    assert permissions.can_view_news_photo(world.user(role), photo) is expected


@per_role()
def test_an_activity_photo_has_no_public_address(world, hosted, role, expected):
    assert permissions.can_view_news_photo(world.user(role), Photo(activity=hosted)) is expected


@per_role(*READERS)
def test_an_activity_photo_is_seen_by_whoever_sees_the_activity(world, hosted, role, expected):
    assert permissions.can_view_photo(world.user(role), Photo(activity=hosted)) is expected


@per_role("secretariat", "signatory", "staff", "outsider", "reviewer", "site_admin")
def test_legal_references_are_read_by_every_logged_in_user(world, role, expected):
    assert permissions.can_view_legal_references(world.user(role)) is expected


@per_role("secretariat", "outsider", "site_admin")
def test_legal_references_are_managed_by_secretariats_of_open_years_and_admins(
    world, role, expected
):
    assert permissions.can_manage_legal_references(world.user(role)) is expected


def test_an_activity_hosted_by_nobody_is_reported_on_by_the_secretariat_only(world, plan):
    activity = ActivityFactory(work_plan=plan, host=None)
    assert not permissions.can_update_activity(world.staff, activity)
    assert permissions.can_update_activity(world.secretariat, activity)


def test_meetings_of_every_kind_have_a_conference_record(world, plan):
    kinds = [Activity.Kind.MID_YEAR_REVIEW, Activity.Kind.CLOSING_CONFERENCE]
    for kind in kinds:
        activity = ActivityFactory(work_plan=plan, host=world.haiphong, kind=kind)
        assert permissions.can_record_conference(world.staff, activity)


def cluster_a_reference(world, **fields):
    return LegalReference(cluster=world.cluster_a, kind="Công văn", number="1", **fields)


@per_role("secretariat", "signatory", "staff", "reviewer", "site_admin")
def test_a_clusters_legal_reference_is_read_by_whoever_sees_the_cluster(world, role, expected):
    reference = cluster_a_reference(world)
    assert permissions.can_view_legal_reference(world.user(role), reference) is expected


@per_role("secretariat", "signatory", "staff", "outsider", "reviewer", "site_admin")
def test_a_site_wide_legal_reference_is_read_by_every_logged_in_user(world, role, expected):
    reference = LegalReference(kind="Luật", number="1")
    assert permissions.can_view_legal_reference(world.user(role), reference) is expected


@per_role("secretariat", "site_admin")
def test_a_clusters_legal_reference_is_edited_by_its_secretariat_and_admins(world, role, expected):
    reference = cluster_a_reference(world)
    assert permissions.can_edit_legal_reference(world.user(role), reference) is expected


@per_role("site_admin")
def test_a_site_wide_legal_reference_is_edited_by_site_admins_only(world, role, expected):
    reference = LegalReference(kind="Luật", number="1")
    assert permissions.can_edit_legal_reference(world.user(role), reference) is expected


@per_role("secretariat", "site_admin")
def test_references_for_cluster_a_are_added_by_its_secretariat_and_admins(world, role, expected):
    assert permissions.can_create_legal_reference(world.user(role), world.cluster_a) is expected


@per_role("site_admin")
def test_site_wide_references_are_added_by_site_admins_only(world, role, expected):
    assert permissions.can_create_legal_reference(world.user(role), None) is expected


def test_a_cluster_cites_its_own_and_site_wide_references_only(world):
    assert permissions.can_cite_legal_reference(world.cluster_a, cluster_a_reference(world))
    assert permissions.can_cite_legal_reference(world.cluster_b, LegalReference(kind="Luật"))
    assert not permissions.can_cite_legal_reference(world.cluster_b, cluster_a_reference(world))
