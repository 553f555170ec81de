"""The demo data of the plans app: the seed article's facts, flagged illustration, idempotence."""

import datetime

import pytest
from django.core.management import call_command

from members import demo as members_demo
from plans import demo
from plans.models import (
    Activity,
    Attendee,
    CharterArticle,
    CharterVersion,
    LegalReference,
    NewsPost,
    WorkPlan,
)

pytestmark = pytest.mark.django_db

DAY = datetime.date(2019, 5, 24)


@pytest.fixture
def loaded(db):
    members_demo.load()
    demo.load()


def conference():
    return Activity.objects.get(title=demo.CONFERENCE_TITLE)


def test_the_2019_conference_is_recorded_as_the_article_tells_it(loaded):
    meeting = conference()
    assert (meeting.starts_on, meeting.host.code, meeting.status) == (DAY, "hanoi", "done")
    assert "Sở Nội vụ thành phố Hà Nội" in meeting.venue
    assert meeting.is_illustrative is False and meeting.adopted_covenant is True


def test_all_11_members_and_the_two_ministry_guests_attend(loaded):
    attendees = conference().attendees.all()
    members = [a for a in attendees if a.kind == Attendee.Kind.MEMBER]
    guests = {(a.name, a.organisation) for a in attendees if a.kind == Attendee.Kind.GUEST}
    assert len(members) == 11
    assert guests == {("Ông Vũ Đăng Minh", "Bộ Nội vụ"), ("Ông Lại Đức Vượng", "Bộ Nội vụ")}
    chair = attendees.get(is_chair=True)
    assert (chair.name, chair.department.code) == ("Ông Nguyễn Tất Sáng", "hanoi")
    assert chair.title.startswith("Giám đốc Sở Nội vụ Hà Nội, Cụm trưởng")


def test_the_2019_charter_and_plan_were_adopted_at_that_conference(loaded):
    charter = CharterVersion.objects.get(number=1)
    plan = WorkPlan.objects.get(cluster_year__year=2019)
    assert (charter.state, charter.adopted_on, charter.adopted_at) == ("adopted", DAY, conference())
    assert plan.adopted_at == conference()


def test_the_charter_texts_and_the_further_activities_are_flagged_illustrative(loaded):
    assert set(CharterArticle.objects.values_list("is_illustrative", flat=True)) == {True}
    others = Activity.objects.filter(work_plan__cluster_year__year=2019).exclude(
        title=demo.CONFERENCE_TITLE
    )
    assert others.count() == 4
    assert set(others.values_list("is_illustrative", flat=True)) == {True}


def test_a_2026_draft_is_open_for_the_members_comments(loaded):
    draft = CharterVersion.objects.get(number=2)
    assert (draft.state, draft.cluster_year.year, draft.is_illustrative) == ("open", 2026, True)


def test_the_article_is_a_published_news_post_by_vinh_phuc(loaded):
    post = NewsPost.objects.get()
    assert (post.author_department.code, post.author_name) == ("vinhphuc", "Lại Quang Huy")
    assert (post.status, post.published_on) == ("published", datetime.date(2019, 5, 29))
    assert post.body.startswith("Thực hiện Công văn số 1307/BNV-VP ngày 27/3/2019")
    assert "Tháng 10, 2020" not in post.body  # the page's calendar widget is not the article


def test_the_legal_references_the_article_cites_are_there(loaded):
    citations = {str(reference) for reference in LegalReference.objects.all()}
    assert {
        "Công văn số 1307/BNV-VP ngày 27/3/2019 của Bộ Nội vụ",
        "Chỉ thị số 34-CT/TW ngày 7/4/2014 của Bộ Chính trị",
        "Chỉ thị số 07/CT-TTg ngày 19/3/2014 của Thủ tướng Chính phủ",
        "Chỉ thị số 26/CT-TTg ngày 5/9/2016 của Thủ tướng Chính phủ",
        "Chỉ thị số 05-CT/TW ngày 15/5/2016 của Bộ Chính trị",
        "Nghị quyết Trung ương 4 khóa XII",
        "Nghị quyết Trung ương 7 khóa XII",
        "Nghị quyết Trung ương 8 khóa XII",
    } <= citations


def test_loading_twice_changes_nothing(db, settings):
    settings.DEBUG = True
    call_command("load_demo", stdout=None)

    def snapshot():
        return [
            list(model.objects.order_by("pk").values())
            for model in (WorkPlan, Activity, Attendee, CharterVersion, CharterArticle, NewsPost)
        ]

    before = snapshot()
    call_command("load_demo", stdout=None)
    assert snapshot() == before
