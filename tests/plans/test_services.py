"""Writes of the plans app: permission, validation, the change itself, the audit trail."""

import datetime
import threading

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.utils import timezone

from cluster_portal.models import AuditEvent
from members import services as member_services
from members.models import ClusterYear
from plans import services
from plans.models import (
    Activity,
    Attendee,
    CharterArticle,
    CharterComment,
    CharterVersion,
    FeedToken,
    LegalReference,
    NewsPost,
    WorkPlan,
)
from tests.factories import (
    ActivityFactory,
    CharterArticleFactory,
    CharterVersionFactory,
    MembershipFactory,
    NewsPostFactory,
    UserFactory,
)
from tests.helpers import clock, cluster_year_with, codes, department, utc

pytestmark = pytest.mark.django_db

D = datetime.date


def fresh(obj):
    return type(obj).objects.get(pk=obj.pk)


def actions() -> list[str]:
    return list(AuditEvent.objects.order_by("id").values_list("action", flat=True))


# Charter: versions and adoption


def adopted_version(world, *, number=1, articles=("Phạm vi", "Thành viên")):
    version = CharterVersionFactory(
        cluster_year=world.year_a,
        number=number,
        state=CharterVersion.State.ADOPTED,
        adopted_on=D(2023, 5, 24),
    )
    for position, heading in enumerate(articles, start=1):
        CharterArticleFactory(version=version, number=position, heading=heading)
    return version


def draft_version(world, **fields):
    version = CharterVersionFactory(cluster_year=world.year_a, **fields)
    CharterArticleFactory(version=version, number=1, heading="Phạm vi điều chỉnh")
    return version


def open_version(world):
    version = draft_version(world)
    return services.charter_version_open(version=version, by=world.secretariat)


def test_a_new_version_copies_the_articles_of_the_latest_version(world):
    adopted = adopted_version(world)
    draft = services.charter_version_create(cluster_year=world.year_a, by=world.secretariat)
    assert (draft.number, draft.state, draft.based_on) == (2, "draft", adopted)
    assert [(a.number, a.heading, a.key) for a in draft.articles.all()] == [
        (a.number, a.heading, a.key) for a in adopted.articles.all()
    ]


def test_the_first_version_starts_empty_with_a_default_title(world):
    draft = services.charter_version_create(cluster_year=world.year_a, by=world.secretariat)
    assert draft.number == 1
    assert draft.title == "Quy chế tổ chức và hoạt động của Cụm thi đua các tỉnh, thành Bắc Bộ"
    assert not draft.articles.exists()


def test_a_second_draft_is_refused_while_one_is_in_preparation(world):
    services.charter_version_create(cluster_year=world.year_a, by=world.secretariat)
    with pytest.raises(ValidationError) as error:
        services.charter_version_create(cluster_year=world.year_a, by=world.secretariat)
    assert codes(error.value) == {"draft_exists"}


@pytest.mark.parametrize("role", ["staff", "signatory", "outsider", "reviewer"])
def test_only_the_secretariat_starts_a_version(world, role):
    with pytest.raises(PermissionDenied):
        services.charter_version_create(cluster_year=world.year_a, by=world.user(role))
    assert not CharterVersion.objects.exists()


def test_opening_a_draft_makes_it_open_for_comments(world):
    version = open_version(world)
    assert fresh(version).state == CharterVersion.State.OPEN
    assert fresh(version).opened_at is not None
    assert actions()[-1] == "charter_version.opened"


def test_a_draft_without_articles_cannot_be_opened(world):
    version = CharterVersionFactory(cluster_year=world.year_a)
    with pytest.raises(ValidationError) as error:
        services.charter_version_open(version=version, by=world.secretariat)
    assert codes(error.value) == {"no_articles"}


def test_adoption_records_the_date_and_the_conference(world, plan):
    conference = ActivityFactory(
        work_plan=plan, kind=Activity.Kind.CONFERENCE, starts_on=D(2024, 5, 24)
    )
    version = open_version(world)
    services.charter_version_adopt(
        version=version, adopted_on=D(2024, 5, 24), conference=conference, by=world.secretariat
    )
    version = fresh(version)
    assert (version.state, version.adopted_on, version.adopted_at) == (
        "adopted",
        D(2024, 5, 24),
        conference,
    )
    assert list(conference.adopted_charter_versions.all()) == [version]


def test_only_a_version_open_for_comments_can_be_adopted(world):
    version = draft_version(world)
    with pytest.raises(ValidationError) as error:
        services.charter_version_adopt(
            version=version, adopted_on=D(2024, 5, 24), by=world.secretariat
        )
    assert codes(error.value) == {"not_open"}


def test_the_adopting_activity_must_be_a_conference(world, hosted):
    version = open_version(world)
    with pytest.raises(ValidationError) as error:
        services.charter_version_adopt(
            version=version, adopted_on=hosted.starts_on, conference=hosted, by=world.secretariat
        )
    assert codes(error.value) == {"not_a_conference"}


def test_the_adoption_date_must_be_a_day_of_the_conference(world, conference):
    version = open_version(world)
    with pytest.raises(ValidationError) as error:
        services.charter_version_adopt(
            version=version,
            adopted_on=conference.starts_on + datetime.timedelta(days=3),
            conference=conference,
            by=world.secretariat,
        )
    assert codes(error.value) == {"not_conference_day"}
    assert fresh(version).state == CharterVersion.State.OPEN


def test_a_conference_of_another_cluster_cannot_adopt_the_charter(world):
    other = ActivityFactory(kind=Activity.Kind.CONFERENCE, work_plan__cluster_year=world.year_b)
    version = open_version(world)
    with pytest.raises(ValidationError) as error:
        services.charter_version_adopt(
            version=version, adopted_on=other.starts_on, conference=other, by=world.secretariat
        )
    assert codes(error.value) == {"other_cluster"}


def test_adoption_ends_the_preparation_so_a_new_draft_may_start(world):
    version = open_version(world)
    services.charter_version_adopt(version=version, adopted_on=D(2024, 5, 24), by=world.secretariat)
    draft = services.charter_version_create(cluster_year=world.year_a, by=world.secretariat)
    assert draft.number == version.number + 1


@pytest.mark.parametrize(
    "change",
    [
        lambda v, by: services.charter_version_update(version=v, title="Mới", preamble="", by=by),
        lambda v, by: services.charter_article_create(
            version=v, number=9, heading="Mới", body="Mới", by=by
        ),
        lambda v, by: services.charter_article_update(
            article=v.articles.first(), number=1, heading="Mới", body="Mới", by=by
        ),
        lambda v, by: services.charter_article_delete(article=v.articles.first(), by=by),
    ],
    ids=["title", "add-article", "edit-article", "delete-article"],
)
def test_an_adopted_version_is_read_only(world, change):
    version = adopted_version(world)
    before = list(CharterArticle.objects.values_list("number", "heading", "body"))
    with pytest.raises(ValidationError) as error:
        change(version, world.secretariat)
    assert codes(error.value) == {"not_draft"}
    assert list(CharterArticle.objects.values_list("number", "heading", "body")) == before


def test_a_version_open_for_comments_cannot_be_edited(world):
    version = open_version(world)
    with pytest.raises(ValidationError) as error:
        services.charter_article_update(
            article=version.articles.first(),
            number=1,
            heading="Mới",
            body="Mới",
            by=world.secretariat,
        )
    assert codes(error.value) == {"not_draft"}


def test_a_version_back_to_draft_can_be_edited_again(world):
    version = open_version(world)
    services.charter_version_return_to_draft(version=version, by=world.secretariat)
    article = services.charter_article_update(
        article=version.articles.first(),
        number=1,
        heading="Mới",
        body="Nội dung mới",
        by=world.secretariat,
    )
    assert (fresh(version).state, fresh(article).body) == ("draft", "Nội dung mới")


def test_an_article_number_is_unique_within_a_version(world):
    version = draft_version(world)
    with pytest.raises(ValidationError) as error:
        services.charter_article_create(
            version=version, number=1, heading="Trùng", body="x", by=world.secretariat
        )
    assert codes(error.value) == {"number_taken"}


def test_editing_an_illustrative_article_clears_its_flag(world):
    version = CharterVersionFactory(cluster_year=world.year_a)
    article = CharterArticleFactory(version=version, is_illustrative=True)
    services.charter_article_update(
        article=article,
        number=article.number,
        heading="Mới",
        body="Văn bản thật",
        by=world.secretariat,
    )
    assert fresh(article).is_illustrative is False


def test_an_article_with_comments_is_kept(world):
    version = open_version(world)
    article = version.articles.first()
    services.charter_comment_create(article=article, body="Góp ý", by=world.staff)
    services.charter_version_return_to_draft(version=version, by=world.secretariat)
    with pytest.raises(ValidationError) as error:
        services.charter_article_delete(article=article, by=world.secretariat)
    assert codes(error.value) == {"has_comments"}
    assert CharterArticle.objects.filter(pk=article.pk).exists()


# Charter: comments and their resolution


@pytest.mark.parametrize("role", ["staff", "signatory", "secretariat"])
def test_members_comment_on_an_article_of_an_open_version(world, role):
    article = open_version(world).articles.first()
    comment = services.charter_comment_create(
        article=article, body="  Đề nghị bổ sung thời hạn.  ", by=world.user(role)
    )
    assert (comment.body, comment.status, comment.department) == (
        "Đề nghị bổ sung thời hạn.",
        "open",
        world.user(role).department,
    )


@pytest.mark.parametrize("role", ["outsider", "reviewer"])
def test_non_members_cannot_comment(world, role):
    article = open_version(world).articles.first()
    with pytest.raises(PermissionDenied):
        services.charter_comment_create(article=article, body="Góp ý", by=world.user(role))
    assert not CharterComment.objects.exists()


def test_nobody_comments_on_a_draft(world):
    article = draft_version(world).articles.first()
    with pytest.raises(PermissionDenied):
        services.charter_comment_create(article=article, body="Góp ý", by=world.staff)


def test_an_empty_comment_is_refused(world):
    article = open_version(world).articles.first()
    with pytest.raises(ValidationError) as error:
        services.charter_comment_create(article=article, body="   ", by=world.staff)
    assert codes(error.value) == {"empty"}


def comment_on_open_version(world):
    article = open_version(world).articles.first()
    return services.charter_comment_create(article=article, body="Góp ý", by=world.staff)


def test_the_secretariat_answers_a_comment(world):
    comment = comment_on_open_version(world)
    services.charter_comment_answer(
        comment=comment, answer="Đã tiếp thu.", resolve=False, by=world.secretariat
    )
    comment = fresh(comment)
    assert (comment.status, comment.answer, comment.answered_by) == (
        "answered",
        "Đã tiếp thu.",
        world.secretariat,
    )


def test_the_secretariat_resolves_a_comment(world):
    comment = comment_on_open_version(world)
    services.charter_comment_answer(
        comment=comment, answer="Đã sửa Điều 1.", resolve=True, by=world.secretariat
    )
    assert fresh(comment).status == CharterComment.Status.RESOLVED
    assert actions()[-1] == "charter_comment.answered"


def test_resolving_without_an_answer_is_allowed(world):
    comment = comment_on_open_version(world)
    services.charter_comment_answer(comment=comment, answer="", resolve=True, by=world.secretariat)
    assert (fresh(comment).status, fresh(comment).answer) == ("resolved", "")


def test_an_answer_needs_text_or_a_resolution(world):
    comment = comment_on_open_version(world)
    with pytest.raises(ValidationError) as error:
        services.charter_comment_answer(
            comment=comment, answer=" ", resolve=False, by=world.secretariat
        )
    assert codes(error.value) == {"nothing_to_record"}


@pytest.mark.parametrize("role", ["staff", "signatory", "outsider", "reviewer"])
def test_only_the_secretariat_answers(world, role):
    comment = comment_on_open_version(world)
    with pytest.raises(PermissionDenied):
        services.charter_comment_answer(
            comment=comment, answer="Ý kiến", resolve=True, by=world.user(role)
        )
    assert fresh(comment).status == "open"


def test_comments_of_an_adopted_version_are_no_longer_answered(world):
    comment = comment_on_open_version(world)
    services.charter_version_adopt(
        version=comment.article.version, adopted_on=D(2024, 5, 24), by=world.secretariat
    )
    with pytest.raises(PermissionDenied):
        services.charter_comment_answer(
            comment=comment, answer="Muộn", resolve=True, by=world.secretariat
        )


# Work plans


def test_the_secretariat_creates_the_work_plan_of_its_year(world):
    work_plan = services.work_plan_create(
        cluster_year=world.year_a,
        title="Kế hoạch công tác thi đua, khen thưởng năm 2024",
        number="01/KH-CTĐ",
        issued_on=D(2024, 1, 15),
        by=world.secretariat,
    )
    assert fresh(work_plan).number == "01/KH-CTĐ"
    assert actions() == ["work_plan.created"]


def test_a_year_has_one_work_plan(world, plan):
    with pytest.raises(ValidationError) as error:
        services.work_plan_create(
            cluster_year=world.year_a, title="Kế hoạch 2", by=world.secretariat
        )
    assert codes(error.value) == {"plan_exists"}


@pytest.mark.parametrize("role", ["staff", "signatory", "outsider", "reviewer"])
def test_only_the_secretariat_creates_the_work_plan(world, role):
    with pytest.raises(PermissionDenied):
        services.work_plan_create(cluster_year=world.year_a, title="Kế hoạch", by=world.user(role))
    assert not WorkPlan.objects.exists()


def test_the_work_plan_cites_legal_references(world, plan):
    reference = LegalReference.objects.create(kind="Công văn", number="1307/BNV-VP")
    services.work_plan_update(
        work_plan=plan, title=plan.title, legal_references=[reference], by=world.secretariat
    )
    assert list(plan.legal_references.all()) == [reference]


# Activities


def add_activity(world, plan, **overrides):
    arguments = {
        "work_plan": plan,
        "title": "Hội thảo chuyên đề",
        "kind": Activity.Kind.SEMINAR,
        "host": world.vinhphuc,
        "starts_on": D(2024, 6, 12),
        "ends_on": D(2024, 6, 13),
        "by": world.secretariat,
    }
    arguments.update(overrides)
    return services.activity_create(**arguments)


def test_the_secretariat_adds_an_activity_hosted_by_a_member(world, plan):
    activity = add_activity(world, plan)
    assert (activity.host, activity.status, activity.version) == (world.vinhphuc, "planned", 1)
    assert actions() == ["activity.created"]


@pytest.mark.parametrize(
    ("overrides", "field", "code"),
    [
        ({"ends_on": D(2024, 6, 11)}, "ends_on", "end_before_start"),
        ({"starts_on": D(2023, 12, 30)}, "starts_on", "outside_plan_year"),
        ({"ends_on": D(2025, 1, 2)}, "ends_on", "outside_plan_year"),
        ({"end_time": datetime.time(10)}, "start_time", "end_time_without_start"),
        (
            {
                "ends_on": D(2024, 6, 12),
                "start_time": datetime.time(14),
                "end_time": datetime.time(8),
            },
            "end_time",
            "end_before_start",
        ),
        ({"progress": 120}, "progress", "progress_range"),
        ({"title": "  "}, "title", "required"),
    ],
    ids=[
        "end-before-start",
        "starts-last-year",
        "ends-next-year",
        "end-time-alone",
        "end-time-before-start",
        "progress",
        "title",
    ],
)
def test_bad_activity_input_gets_a_message_on_its_field_and_changes_nothing(
    world, plan, overrides, field, code
):
    with pytest.raises(ValidationError) as error:
        add_activity(world, plan, **overrides)
    assert [e.code for e in error.value.error_dict[field]] == [code]
    assert not Activity.objects.exists()


def test_a_host_outside_the_cluster_that_year_is_refused(world, plan):
    with pytest.raises(ValidationError) as error:
        add_activity(world, plan, host=world.quangninh)
    assert codes(error.value) == {"host_not_member"}


def test_an_activity_may_fall_outside_the_plan_year_when_marked(world, plan):
    activity = add_activity(
        world, plan, starts_on=D(2025, 1, 8), ends_on=D(2025, 1, 9), outside_plan_year=True
    )
    assert activity.starts_on.year == 2025


def test_marking_an_activity_done_makes_it_100_percent(world, plan):
    activity = add_activity(world, plan, status=Activity.Status.DONE, progress=30)
    assert activity.progress == 100


# An activity is done only once it has started (1 June 2024, 10:00 in Vietnam, below).
BEFORE_12_JUNE = utc(2024, 6, 1, 3, 0)


def test_an_activity_cannot_be_added_as_done_before_it_starts(world, plan):
    with clock(BEFORE_12_JUNE), pytest.raises(ValidationError) as refused:
        add_activity(world, plan, status=Activity.Status.DONE)
    assert refused.value.message_dict.keys() == {"status"}
    assert codes(refused.value) == {"done_before_start"}
    assert not Activity.objects.exists()


def test_the_refusal_to_mark_done_names_the_day_the_activity_starts(world, plan):
    with clock(BEFORE_12_JUNE), pytest.raises(ValidationError) as refused:
        add_activity(world, plan, status=Activity.Status.DONE)
    assert "12/06/2024" in refused.value.message_dict["status"][0]


def test_the_host_cannot_mark_its_activity_done_before_it_starts(world, plan):
    activity = add_activity(world, plan, host=world.haiphong)
    with clock(BEFORE_12_JUNE), pytest.raises(ValidationError) as refused:
        services.activity_update(
            activity=activity,
            version=1,
            changes={"status": Activity.Status.DONE},
            by=world.staff,
        )
    assert codes(refused.value) == {"done_before_start"}
    assert (fresh(activity).status, fresh(activity).progress) == ("planned", 0)


def test_a_done_activity_cannot_be_moved_to_start_later_than_today(world, plan):
    activity = add_activity(world, plan, status=Activity.Status.DONE)
    with clock(BEFORE_12_JUNE), pytest.raises(ValidationError) as refused:
        services.activity_update(
            activity=activity,
            version=1,
            changes={"starts_on": D(2024, 6, 20), "ends_on": D(2024, 6, 20)},
            by=world.secretariat,
        )
    assert codes(refused.value) == {"done_before_start"}


def test_an_activity_may_be_marked_done_on_the_day_it_starts(world, plan):
    with clock(utc(2024, 6, 11, 17, 0)):  # 00:00 on 12 June in Vietnam
        activity = add_activity(world, plan, status=Activity.Status.DONE)
    assert (activity.status, activity.progress) == ("done", 100)


def test_an_activity_may_be_started_before_its_first_day(world, plan):
    with clock(BEFORE_12_JUNE):
        activity = add_activity(world, plan, status=Activity.Status.IN_PROGRESS, progress=20)
    assert activity.status == "in_progress"


@pytest.mark.parametrize("role", ["staff", "signatory", "outsider", "reviewer"])
def test_only_the_secretariat_adds_activities(world, plan, role):
    with pytest.raises(PermissionDenied):
        add_activity(world, plan, by=world.user(role))
    assert not Activity.objects.exists()


@pytest.mark.parametrize("role", ["staff", "signatory"])
def test_the_host_department_reports_on_its_activity(world, hosted, role):
    services.activity_update(
        activity=hosted,
        version=1,
        changes={"status": Activity.Status.DONE, "outcome_notes": "Hoàn thành tốt."},
        by=world.user(role),
    )
    hosted = fresh(hosted)
    assert (hosted.status, hosted.progress, hosted.outcome_notes, hosted.version) == (
        "done",
        100,
        "Hoàn thành tốt.",
        2,
    )


def test_the_host_cannot_change_the_title_or_the_host(world, hosted):
    with pytest.raises(PermissionDenied):
        services.activity_update(
            activity=hosted, version=1, changes={"title": "Khác"}, by=world.staff
        )
    with pytest.raises(PermissionDenied):
        services.activity_update(
            activity=hosted, version=1, changes={"host": world.bacninh}, by=world.staff
        )
    assert fresh(hosted).title == "Hội thảo tại Hải Phòng"


def test_another_members_staff_cannot_update_the_activity(world, plan):
    activity = ActivityFactory(work_plan=plan, host=world.bacninh)
    with pytest.raises(PermissionDenied):
        services.activity_update(
            activity=activity, version=1, changes={"progress": 50}, by=world.staff
        )


def test_the_secretariat_changes_every_field(world, hosted):
    services.activity_update(
        activity=hosted,
        version=1,
        changes={"title": "Hội thảo mới", "host": world.bacninh, "kind": Activity.Kind.OTHER},
        by=world.secretariat,
    )
    hosted = fresh(hosted)
    assert (hosted.title, hosted.host, hosted.kind) == ("Hội thảo mới", world.bacninh, "other")


def test_an_update_records_what_changed(world, hosted):
    services.activity_update(activity=hosted, version=1, changes={"progress": 40}, by=world.staff)
    event = AuditEvent.objects.get(action="activity.updated")
    assert event.details["before"] == {"progress": 0}
    assert event.details["after"] == {"progress": 40}


def test_updating_an_activity_rolls_up_into_the_plan_progress(world, plan, hosted):
    ActivityFactory(work_plan=plan, progress=0)
    assert fresh(plan).progress == 0
    services.activity_update(
        activity=hosted, version=1, changes={"status": Activity.Status.DONE}, by=world.staff
    )
    assert fresh(plan).progress == 50


def test_cancelling_an_activity_takes_it_out_of_the_plan_progress(world, plan, hosted):
    ActivityFactory(work_plan=plan, progress=100, status=Activity.Status.DONE)
    assert fresh(plan).progress == 50
    services.activity_update(
        activity=hosted,
        version=1,
        changes={"status": Activity.Status.CANCELLED},
        by=world.secretariat,
    )
    assert fresh(plan).progress == 100


def test_a_second_editor_with_a_stale_version_gets_a_conflict_and_overwrites_nothing(world, hosted):
    first_view, second_view = fresh(hosted), fresh(hosted)
    services.activity_update(
        activity=first_view,
        version=1,
        changes={"outcome_notes": "Bản của Hải Phòng"},
        by=world.staff,
    )
    with pytest.raises(ValidationError) as error:
        services.activity_update(
            activity=second_view,
            version=1,
            changes={"outcome_notes": "Bản của Văn phòng Cụm"},
            by=world.secretariat,
        )
    assert codes(error.value) == {"conflict"}
    # Vietnamese, the portal's default language: "... ở phiên bản 2, bạn bắt đầu từ phiên bản 1"
    assert "phiên bản 2" in error.value.messages[0]
    assert (fresh(hosted).outcome_notes, fresh(hosted).version) == ("Bản của Hải Phòng", 2)
    assert actions() == ["activity.updated"]


def test_an_editor_with_the_current_version_saves(world, hosted):
    services.activity_update(activity=hosted, version=1, changes={"progress": 10}, by=world.staff)
    services.activity_update(
        activity=fresh(hosted), version=2, changes={"progress": 20}, by=world.secretariat
    )
    assert (fresh(hosted).progress, fresh(hosted).version) == (20, 3)


def closed(cluster_year: ClusterYear) -> ClusterYear:
    cluster_year.phase = ClusterYear.Phase.CLOSED
    cluster_year.save()
    return cluster_year


@pytest.mark.parametrize("role", ["staff", "secretariat"])
def test_a_closed_year_is_history_for_hosts_and_secretariat(world, hosted, role):
    closed(world.year_a)
    with pytest.raises(PermissionDenied):
        services.activity_update(
            activity=fresh(hosted), version=1, changes={"progress": 50}, by=world.user(role)
        )


def test_a_site_admin_may_correct_a_closed_year(world, hosted):
    closed(world.year_a)
    services.activity_update(
        activity=fresh(hosted), version=1, changes={"progress": 50}, by=world.site_admin
    )
    assert fresh(hosted).progress == 50


# Conference records


def test_a_member_department_attends_with_its_representative(world, conference):
    attendee = services.attendee_add(
        activity=conference,
        kind=Attendee.Kind.MEMBER,
        department=world.vinhphuc,
        name="Nguyễn Văn A",
        title="Phó Giám đốc Sở",
        by=world.staff,
    )
    assert (attendee.department, attendee.title) == (world.vinhphuc, "Phó Giám đốc Sở")


def test_a_guest_attends_with_name_title_and_organisation(world, conference):
    attendee = services.attendee_add(
        activity=conference,
        kind=Attendee.Kind.GUEST,
        name="Ông Vũ Đăng Minh",
        title="Chánh Văn phòng Bộ Nội vụ",
        organisation="Bộ Nội vụ",
        by=world.secretariat,
    )
    assert str(attendee) == "Ông Vũ Đăng Minh – Chánh Văn phòng Bộ Nội vụ"


@pytest.mark.parametrize(
    ("fields", "code"),
    [
        ({"kind": "member", "department": None}, "required"),
        ({"kind": "guest", "name": " "}, "required"),
        ({"kind": "visitor"}, "invalid_choice"),
    ],
)
def test_incomplete_attendees_are_refused(world, conference, fields, code):
    with pytest.raises(ValidationError) as error:
        services.attendee_add(activity=conference, by=world.secretariat, **fields)
    assert codes(error.value) == {code}


def test_a_department_outside_the_cluster_attends_as_a_guest_only(world, conference):
    with pytest.raises(ValidationError) as error:
        services.attendee_add(
            activity=conference, kind="member", department=world.quangninh, by=world.secretariat
        )
    assert codes(error.value) == {"not_member"}


def test_a_member_merged_away_before_the_meeting_does_not_attend_it(world, plan):
    haiduong = department("Hải Dương", "haiduong")
    MembershipFactory(cluster_year=world.year_a, department=haiduong)
    member_services.department_merge(
        department=haiduong, successor=world.haiphong, effective=D(2024, 7, 1), by=world.site_admin
    )
    conference = ActivityFactory(work_plan=plan, kind="conference", starts_on=D(2024, 12, 10))
    with pytest.raises(ValidationError) as error:
        services.attendee_add(
            activity=conference, kind="member", department=haiduong, by=world.secretariat
        )
    assert codes(error.value) == {"not_valid_then"}


def test_a_department_is_listed_once(world, conference):
    services.attendee_add(
        activity=conference, kind="member", department=world.hanoi, by=world.staff
    )
    with pytest.raises(ValidationError) as error:
        services.attendee_add(
            activity=conference, kind="member", department=world.hanoi, by=world.staff
        )
    assert codes(error.value) == {"duplicate"}


def test_only_conferences_have_attendees(world, hosted):
    with pytest.raises(PermissionDenied):
        services.attendee_add(activity=hosted, kind="guest", name="Khách", by=world.secretariat)


def test_an_attendee_recorded_by_mistake_is_removed(world, conference):
    attendee = services.attendee_add(
        activity=conference, kind="guest", name="Khách mời", by=world.secretariat
    )
    services.attendee_remove(attendee=attendee, by=world.staff)
    assert not conference.attendees.exists()
    assert actions()[-1] == "attendee.removed"


# News


def news(world, **overrides):
    arguments = {
        "cluster_year": world.year_a,
        "title": "Hội nghị sơ kết 6 tháng",
        "body": "Ngày 12/7, Cụm tổ chức Hội nghị sơ kết.",
        "author_department": world.haiphong,
        "author_name": "Nguyễn Văn B",
        "by": world.staff,
    }
    arguments.update(overrides)
    return services.news_post_create(**arguments)


def test_a_member_writes_a_draft_for_its_own_department(world):
    post = news(world)
    assert (post.status, post.author_department, post.created_by) == (
        "draft",
        world.haiphong,
        world.staff,
    )


def test_a_member_cannot_write_for_another_department(world):
    with pytest.raises(ValidationError) as error:
        news(world, author_department=world.bacninh)
    assert codes(error.value) == {"other_department"}


def test_the_secretariat_writes_for_any_member(world):
    assert news(world, author_department=world.bacninh, by=world.secretariat).pk


@pytest.mark.parametrize("role", ["outsider", "reviewer"])
def test_non_members_cannot_write_news(world, role):
    with pytest.raises(PermissionDenied):
        news(world, by=world.user(role))
    assert not NewsPost.objects.exists()


def test_publishing_dates_the_post_today_unless_told(world):
    post = news(world)
    services.news_post_publish(post=post, by=world.staff)
    assert (fresh(post).status, fresh(post).published_on) == ("published", timezone.localdate())
    services.news_post_publish(post=post, published_on=D(2024, 5, 29), by=world.staff)
    assert fresh(post).published_on == D(2024, 5, 29)


def test_withdrawing_makes_the_post_a_draft_again(world):
    post = NewsPostFactory(
        cluster_year=world.year_a,
        author_department=world.haiphong,
        status="published",
        published_on=D(2024, 5, 29),
    )
    services.news_post_withdraw(post=post, by=world.secretariat)
    assert fresh(post).status == "draft"


def test_another_department_cannot_publish_the_post(world):
    post = NewsPostFactory(cluster_year=world.year_a, author_department=world.bacninh)
    with pytest.raises(PermissionDenied):
        services.news_post_publish(post=post, by=world.staff)


def test_a_news_post_is_about_an_activity_of_the_same_year(world):
    other_year = ActivityFactory(work_plan__cluster_year=world.year_b)
    with pytest.raises(ValidationError) as error:
        news(world, activity=other_year)
    assert codes(error.value) == {"other_year"}


# Feed tokens


def test_a_new_feed_token_revokes_the_previous_one(world):
    first = services.feed_token_create(user=world.staff, by=world.staff)
    second = services.feed_token_create(user=world.staff, by=world.staff)
    assert fresh(first).revoked_at is not None
    assert list(FeedToken.objects.filter(revoked_at__isnull=True)) == [second]


def test_a_feed_token_is_revoked_by_its_owner(world):
    token = services.feed_token_create(user=world.staff, by=world.staff)
    services.feed_token_revoke(token=token, by=world.staff)
    assert fresh(token).revoked_at is not None


def test_nobody_creates_or_revokes_someone_elses_feed_token(world):
    token = services.feed_token_create(user=world.staff, by=world.staff)
    with pytest.raises(PermissionDenied):
        services.feed_token_create(user=world.staff, by=world.secretariat)
    with pytest.raises(PermissionDenied):
        services.feed_token_revoke(token=token, by=world.site_admin)
    assert fresh(token).revoked_at is None


def test_reviewers_change_nothing_not_even_a_feed_token(world):
    with pytest.raises(PermissionDenied):
        services.feed_token_create(user=world.reviewer, by=world.reviewer)


# Legal references


def test_the_secretariat_adds_a_legal_reference(world):
    reference = services.legal_reference_create(
        kind="Công văn",
        number="1307/BNV-VP",
        issued_on=D(2019, 3, 27),
        issuer="Bộ Nội vụ",
        by=world.secretariat,
    )
    assert reference.citation == "Công văn số 1307/BNV-VP ngày 27/3/2019 của Bộ Nội vụ"


def test_a_legal_reference_is_not_recorded_twice(world):
    services.legal_reference_create(kind="Chỉ thị", number="34-CT/TW", by=world.secretariat)
    with pytest.raises(ValidationError):
        services.legal_reference_create(kind="Chỉ thị", number="34-CT/TW", by=world.secretariat)
    assert LegalReference.objects.count() == 1


def test_staff_without_a_secretariat_do_not_add_legal_references(world):
    with pytest.raises(PermissionDenied):
        services.legal_reference_create(kind="Chỉ thị", number="1", by=world.staff)


def test_the_secretariat_of_a_closed_year_only_no_longer_adds_legal_references(world):
    closed(world.year_a)
    user = UserFactory(department=world.hanoi)
    with pytest.raises(PermissionDenied):
        services.legal_reference_create(kind="Chỉ thị", number="1", by=user)


def test_a_new_cluster_year_gives_its_leader_the_secretariat_rights(world):
    year = cluster_year_with(world.cluster_a, 2025, leader=world.bacninh, members=[world.hanoi])
    user = UserFactory(department=world.bacninh)
    work_plan = services.work_plan_create(cluster_year=year, title="Kế hoạch 2025", by=user)
    assert work_plan.cluster_year == year


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="real concurrency needs PostgreSQL (the in-memory SQLite test database locks tables)",
)
def test_two_simultaneous_saves_of_one_version_keep_exactly_one(transactional_db, world, hosted):
    """Two editors press Save at the same moment: one is saved, the other told of the conflict.

    Real threads with their own connections, released together by a barrier; the conditional
    UPDATE on (id, version) lets exactly one through. CI runs the suite on PostgreSQL too.
    """
    barrier = threading.Barrier(2)
    outcomes = []

    def edit(user, notes):
        try:
            activity = Activity.objects.get(pk=hosted.pk)
            barrier.wait(timeout=10)
            services.activity_update(
                activity=activity, version=1, changes={"outcome_notes": notes}, by=user
            )
            outcomes.append(("saved", notes))
        except ValidationError as error:
            outcomes.append((codes(error).pop(), notes))
        except Exception as error:  # any other failure is an outcome the test reports
            outcomes.append((repr(error), notes))
        finally:
            connection.close()

    threads = [
        threading.Thread(target=edit, args=(world.staff, "Bản của Hải Phòng")),
        threading.Thread(target=edit, args=(world.secretariat, "Bản của Văn phòng Cụm")),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcome for outcome, _notes in outcomes) == ["conflict", "saved"]
    saved = next(notes for outcome, notes in outcomes if outcome == "saved")
    assert (fresh(hosted).outcome_notes, fresh(hosted).version) == (saved, 2)


def test_the_plan_records_the_conference_that_adopted_it(world, plan, conference):
    services.work_plan_update(
        work_plan=plan, title=plan.title, adopted_at=conference, by=world.secretariat
    )
    assert list(conference.adopted_work_plans.all()) == [plan]


def test_a_plan_is_adopted_at_a_conference_of_its_own_cluster(world, plan, hosted):
    other = ActivityFactory(kind=Activity.Kind.CONFERENCE, work_plan__cluster_year=world.year_b)
    for activity, code in [(hosted, "not_a_conference"), (other, "other_cluster")]:
        with pytest.raises(ValidationError) as error:
            services.work_plan_update(
                work_plan=plan, title=plan.title, adopted_at=activity, by=world.secretariat
            )
        assert codes(error.value) == {code}
    assert fresh(plan).adopted_at is None
