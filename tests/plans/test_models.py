"""Plans models: names, addresses, roll-up of progress and the invariants the database keeps."""

import datetime

import pytest
from django.db import IntegrityError, transaction

from plans.models import (
    Activity,
    Attachment,
    Attendee,
    CharterComment,
    CharterVersion,
    FeedToken,
    NewsPost,
    Photo,
    WorkPlan,
    attachment_upload_to,
    new_feed_token,
    photo_upload_to,
    rolled_up_progress,
)
from tests.factories import (
    ActivityFactory,
    CharterArticleFactory,
    CharterVersionFactory,
    LegalReferenceFactory,
    NewsPostFactory,
    UserFactory,
    WorkPlanFactory,
)

pytestmark = pytest.mark.django_db


def refused(create):
    """True if the database refuses what ``create`` writes."""
    try:
        with transaction.atomic():
            create()
    except IntegrityError:
        return True
    return False


# Names and addresses


def test_a_work_plan_is_named_by_its_title_and_lives_under_its_cluster_year(plan):
    assert str(plan) == plan.title
    assert plan.get_absolute_url() == f"/plans/clusters/bac-bo/{plan.cluster_year.year}/"


def test_an_activity_is_named_by_its_title_and_has_its_own_page(hosted):
    assert (str(hosted), hosted.get_absolute_url()) == (
        "Hội thảo tại Hải Phòng",
        f"/plans/activities/{hosted.pk}/",
    )


def test_a_charter_article_is_named_like_a_vietnamese_article():
    article = CharterArticleFactory(number=3, heading="Cụm trưởng, Cụm phó")
    assert str(article) == "Điều 3. Cụm trưởng, Cụm phó"


def test_a_legal_reference_is_cited_as_documents_cite_it():
    reference = LegalReferenceFactory(
        kind="Công văn", number="1307/BNV-VP", issued_on=datetime.date(2019, 3, 27)
    )
    assert str(reference) == "Công văn số 1307/BNV-VP ngày 27/3/2019 của Bộ Nội vụ"
    assert reference.get_absolute_url() == f"/plans/legal/{reference.pk}/"


def test_a_news_post_has_a_public_address():
    post = NewsPostFactory()
    assert post.get_absolute_url() == f"/plans/news/{post.pk}/"


def test_a_conference_a_mid_year_review_and_a_closing_conference_are_meetings(plan):
    kinds = {
        kind: ActivityFactory(work_plan=plan, kind=kind).is_conference
        for kind in Activity.Kind.values
    }
    assert {k for k, is_meeting in kinds.items() if is_meeting} == {
        "conference",
        "mid_year_review",
        "closing_conference",
    }


def test_a_timed_activity_starts_and_ends_in_vietnam_time(plan):
    activity = ActivityFactory(
        work_plan=plan, start_time=datetime.time(8, 0), end_time=datetime.time(11, 30)
    )
    assert activity.local_start().utcoffset() == datetime.timedelta(hours=7)
    assert activity.local_end().isoformat() == "2024-03-10T11:30:00+07:00"


# Progress roll-up


def test_the_plan_progress_is_the_mean_of_its_activities(plan):
    ActivityFactory(work_plan=plan, progress=100, status=Activity.Status.DONE)
    ActivityFactory(work_plan=plan, progress=50)
    ActivityFactory(work_plan=plan, progress=0)
    assert WorkPlan.objects.get(pk=plan.pk).progress == 50


def test_cancelled_activities_do_not_count_in_the_progress(plan):
    ActivityFactory(work_plan=plan, progress=80)
    ActivityFactory(work_plan=plan, progress=0, status=Activity.Status.CANCELLED)
    assert plan.progress == 80


def test_the_progress_rounds_half_up():
    activities = [Activity(progress=50), Activity(progress=51)]
    assert rolled_up_progress(activities) == 51


def test_a_plan_without_activities_has_no_progress(plan):
    assert plan.progress is None


# Database invariants


def test_a_cluster_year_has_one_work_plan_only(plan):
    assert refused(lambda: WorkPlanFactory(cluster_year=plan.cluster_year))


@pytest.mark.parametrize(
    ("progress", "is_refused"), [(-1, True), (0, False), (100, False), (101, True)]
)
def test_progress_stays_between_0_and_100(plan, progress, is_refused):
    assert refused(lambda: ActivityFactory(work_plan=plan, progress=progress)) is is_refused


def test_an_activity_cannot_end_before_it_starts(plan):
    assert refused(
        lambda: ActivityFactory(
            work_plan=plan,
            starts_on=datetime.date(2024, 5, 24),
            ends_on=datetime.date(2024, 5, 23),
        )
    )


def test_a_one_day_activity_cannot_end_before_its_start_time(plan):
    assert refused(
        lambda: ActivityFactory(
            work_plan=plan, start_time=datetime.time(14, 0), end_time=datetime.time(8, 0)
        )
    )


def test_a_done_activity_is_100_percent_complete(plan):
    assert refused(
        lambda: ActivityFactory(work_plan=plan, status=Activity.Status.DONE, progress=90)
    )


def test_a_cluster_has_one_charter_version_in_preparation_at_a_time(world):
    CharterVersionFactory(cluster_year=world.year_a, number=1)
    assert refused(lambda: CharterVersionFactory(cluster_year=world.year_a, number=2))


def test_a_cluster_has_one_charter_version_per_number(world):
    CharterVersionFactory(
        cluster_year=world.year_a,
        number=1,
        state=CharterVersion.State.ADOPTED,
        adopted_on=datetime.date(2024, 3, 1),
    )
    assert refused(lambda: CharterVersionFactory(cluster_year=world.year_a, number=1))


def test_an_adopted_charter_version_has_its_adoption_date(world):
    assert refused(
        lambda: CharterVersionFactory(
            cluster_year=world.year_a, state=CharterVersion.State.ADOPTED, adopted_on=None
        )
    )


def test_an_answered_comment_has_an_answer(world):
    article = CharterArticleFactory(version__cluster_year=world.year_a)
    assert refused(
        lambda: CharterComment.objects.create(
            article=article,
            author=world.staff,
            body="Góp ý",
            status=CharterComment.Status.ANSWERED,
        )
    )


def test_a_guest_attendee_needs_a_name(hosted):
    assert refused(lambda: Attendee.objects.create(activity=hosted, kind=Attendee.Kind.GUEST))


def test_a_member_attendee_needs_a_department(hosted):
    assert refused(
        lambda: Attendee.objects.create(activity=hosted, kind=Attendee.Kind.MEMBER, name="X")
    )


def test_a_department_attends_a_conference_once(world, conference):
    Attendee.objects.create(activity=conference, kind="member", department=world.hanoi)
    assert refused(
        lambda: Attendee.objects.create(activity=conference, kind="member", department=world.hanoi)
    )


def test_a_photo_belongs_to_an_activity_or_a_news_post(hosted):
    post = NewsPostFactory()
    fields = {"image": "x.jpg", "original_name": "x.jpg", "content_type": "image/jpeg", "size": 1}
    assert refused(lambda: Photo.objects.create(**fields))
    assert refused(lambda: Photo.objects.create(activity=hosted, news_post=post, **fields))


def test_a_published_news_post_has_a_date():
    assert refused(lambda: NewsPostFactory(status=NewsPost.Status.PUBLISHED, published_on=None))


def test_a_user_has_one_live_feed_token(db):
    user = UserFactory()
    FeedToken.objects.create(user=user)
    assert refused(lambda: FeedToken.objects.create(user=user))


def test_feed_tokens_are_long_and_random(db):
    first, second = new_feed_token(), new_feed_token()
    assert len(first) >= 40 and first != second


def test_a_feed_token_made_outside_the_service_has_an_unusable_hash(db):
    first, second = FeedToken(user_id=1), FeedToken(user_id=1)
    assert len(first.token_hash) == 64 and first.token_hash != second.token_hash


# Storage names


@pytest.mark.parametrize("upload_to", [attachment_upload_to, photo_upload_to])
def test_uploads_are_stored_under_random_names_keeping_only_the_extension(upload_to):
    first = upload_to(Attachment(), "upload.pdf")
    second = upload_to(Attachment(), "upload.pdf")
    assert first != second
    assert first.endswith(".pdf") and "upload" not in first
