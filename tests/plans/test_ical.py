"""iCalendar feeds, read back with a real iCalendar parser (the ``icalendar`` library)."""

import datetime
import hashlib
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from plans import services
from plans.models import Activity, FeedToken
from tests.factories import ActivityFactory, MembershipFactory

pytestmark = pytest.mark.django_db

VN = ZoneInfo("Asia/Ho_Chi_Minh")


@pytest.fixture
def token(world):
    return services.feed_token_create(user=world.staff, by=world.staff)


@pytest.fixture
def activities(world, plan):
    """A timed conference on 24/5 and a two-day seminar on 12–13/6, both in 2024."""
    conference = ActivityFactory(
        work_plan=plan,
        title="Hội nghị ký kết giao ước thi đua",
        kind=Activity.Kind.CONFERENCE,
        host=world.hanoi,
        starts_on=datetime.date(2024, 5, 24),
        ends_on=datetime.date(2024, 5, 24),
        start_time=datetime.time(8, 0),
        end_time=datetime.time(11, 30),
        venue="Sở Nội vụ thành phố Hà Nội",
    )
    seminar = ActivityFactory(
        work_plan=plan,
        title="Hội thảo chuyên đề tại Vĩnh Phúc",
        host=world.vinhphuc,
        starts_on=datetime.date(2024, 6, 12),
        ends_on=datetime.date(2024, 6, 13),
    )
    return conference, seminar


def cluster_feed(client, token, code="bac-bo"):
    return client.get(reverse("plans:feed-cluster", kwargs={"token": token, "code": code}))


def department_feed(client, token, code):
    return client.get(reverse("plans:feed-department", kwargs={"token": token, "code": code}))


def events(response) -> dict[str, object]:
    calendar = Calendar.from_ical(response.content)
    return {str(event["SUMMARY"]): event for event in calendar.walk("VEVENT")}


def test_the_cluster_feed_is_a_calendar_without_login(client, token, activities):
    response = cluster_feed(client, token.secret)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert set(events(response)) == {
        "Hội nghị ký kết giao ước thi đua",
        "Hội thảo chuyên đề tại Vĩnh Phúc",
    }


def test_a_timed_event_is_in_vietnam_time_with_its_time_zone(client, token, activities):
    response = cluster_feed(client, token.secret)
    calendar = Calendar.from_ical(response.content)
    event = events(response)["Hội nghị ký kết giao ước thi đua"]
    start, end = event.decoded("DTSTART"), event.decoded("DTEND")
    assert event["DTSTART"].params["TZID"] == "Asia/Ho_Chi_Minh"
    assert start == datetime.datetime(2024, 5, 24, 8, 0, tzinfo=VN)
    assert end == datetime.datetime(2024, 5, 24, 11, 30, tzinfo=VN)
    assert start.astimezone(datetime.UTC) == datetime.datetime(
        2024, 5, 24, 1, 0, tzinfo=datetime.UTC
    )
    assert [str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")] == ["Asia/Ho_Chi_Minh"]


def test_an_event_without_times_is_all_day_and_ends_the_day_after(client, token, activities):
    event = events(cluster_feed(client, token.secret))["Hội thảo chuyên đề tại Vĩnh Phúc"]
    assert event.decoded("DTSTART") == datetime.date(2024, 6, 12)
    assert event.decoded("DTEND") == datetime.date(2024, 6, 14)


def test_an_event_carries_venue_host_and_a_link_back(client, token, activities):
    conference, _ = activities
    event = events(cluster_feed(client, token.secret))["Hội nghị ký kết giao ước thi đua"]
    assert str(event["LOCATION"]) == "Sở Nội vụ thành phố Hà Nội"
    assert "Sở Nội vụ thành phố Hà Nội" in str(event["DESCRIPTION"])
    assert str(event["URL"]).endswith(conference.get_absolute_url())


def test_an_event_keeps_its_uid_and_raises_its_sequence_when_edited(
    client, world, token, activities
):
    conference, _ = activities
    before = events(cluster_feed(client, token.secret))["Hội nghị ký kết giao ước thi đua"]
    services.activity_update(
        activity=conference, version=1, changes={"venue": "Hội trường mới"}, by=world.secretariat
    )
    after = events(cluster_feed(client, token.secret))["Hội nghị ký kết giao ước thi đua"]
    assert str(after["UID"]) == str(before["UID"])
    assert (before.decoded("SEQUENCE"), after.decoded("SEQUENCE")) == (0, 1)


def test_a_cancelled_activity_is_a_cancelled_event(client, world, token, activities):
    _, seminar = activities
    services.activity_update(
        activity=seminar, version=1, changes={"status": "cancelled"}, by=world.secretariat
    )
    event = events(cluster_feed(client, token.secret))["Hội thảo chuyên đề tại Vĩnh Phúc"]
    assert str(event["STATUS"]) == "CANCELLED"


def test_the_department_feed_has_only_what_the_department_hosts(client, token, activities):
    response = department_feed(client, token.secret, "vinhphuc")
    assert set(events(response)) == {"Hội thảo chuyên đề tại Vĩnh Phúc"}


def test_the_feed_is_named_after_the_cluster(client, token, activities):
    calendar = Calendar.from_ical(cluster_feed(client, token.secret).content)
    assert str(calendar["X-WR-CALNAME"]) == "Cụm thi đua các tỉnh, thành Bắc Bộ"
    assert str(calendar["X-WR-TIMEZONE"]) == "Asia/Ho_Chi_Minh"


def test_a_revoked_token_gets_404(client, world, token, activities):
    services.feed_token_revoke(token=token, by=world.staff)
    assert cluster_feed(client, token.secret).status_code == 404
    assert department_feed(client, token.secret, "vinhphuc").status_code == 404


def test_a_replaced_token_gets_404_and_the_new_one_works(client, world, token, activities):
    new = services.feed_token_create(user=world.staff, by=world.staff)
    assert cluster_feed(client, token.secret).status_code == 404
    assert cluster_feed(client, new.secret).status_code == 200


def test_an_unknown_token_gets_404(client, activities):
    assert cluster_feed(client, "khong-co-ma-nay").status_code == 404


def test_a_deactivated_users_token_gets_404(client, world, token, activities):
    world.staff.is_active = False
    world.staff.save()
    assert cluster_feed(client, token.secret).status_code == 404


def test_a_token_shows_only_what_its_owner_may_see(client, world, activities):
    outsider_token = services.feed_token_create(user=world.outsider, by=world.outsider)
    assert cluster_feed(client, outsider_token.secret).status_code == 404
    assert department_feed(client, outsider_token.secret, "vinhphuc").status_code == 404


def test_the_department_feed_leaves_out_clusters_the_owner_cannot_see(client, world, token, plan):
    # Bắc Ninh is a member of both clusters; the token's owner (Hải Phòng) sees cluster A only.
    MembershipFactory(cluster_year=world.year_b, department=world.bacninh)
    ActivityFactory(work_plan=plan, host=world.bacninh, title="Hoạt động của cụm A")
    ActivityFactory(
        work_plan__cluster_year=world.year_b, host=world.bacninh, title="Hoạt động của cụm B"
    )
    response = department_feed(client, token.secret, "bacninh")
    assert set(events(response)) == {"Hoạt động của cụm A"}


def test_the_feed_stamps_events_with_their_last_change(client, token, activities):
    conference, _ = activities
    event = events(cluster_feed(client, token.secret))["Hội nghị ký kết giao ước thi đua"]
    stamp = event.decoded("DTSTAMP")
    assert abs(stamp - conference.updated_at) < datetime.timedelta(seconds=1)
    assert stamp <= timezone.now()


# The token is stored as a hash: a copy of the database gives no working feed address.


def test_the_database_keeps_only_a_hash_of_the_feed_token(world, token):
    row = FeedToken.objects.filter(pk=token.pk).values().get()
    assert token.secret not in repr(row)
    assert row["token_hash"] == hashlib.sha256(token.secret.encode()).hexdigest()


def test_the_stored_hash_used_as_a_token_answers_404(client, world, activities, token):
    stored = FeedToken.objects.get(pk=token.pk).token_hash
    assert cluster_feed(client, stored).status_code == 404


def test_a_wrong_token_answers_404(client, world, activities, token):
    assert cluster_feed(client, token.secret[:-1] + "x").status_code == 404
    assert cluster_feed(client, "x" * 43).status_code == 404


def test_the_address_shown_once_at_creation_works(client, world, activities):
    client.force_login(world.staff)
    page = client.post(reverse("plans:feedtoken-create"), {"confirm": "on"}, follow=True)
    [url] = [u for cluster, u in page.context["cluster_feeds"] if cluster == world.cluster_a]
    client.logout()
    response = client.get(url)
    assert response.status_code == 200
    assert "Hội nghị ký kết giao ước thi đua" in response.content.decode()


@pytest.mark.django_db(transaction=True)
def test_a_token_from_before_the_hashing_migration_keeps_working(client, world, activities):
    old_token = "token-cu-dang-dung-trong-lich-outlook-0123456789"
    executor = MigrationExecutor(connection)
    before = [("plans", "0005_legal_reference_cluster")]
    executor.migrate(before)
    old_model = executor.loader.project_state(before).apps.get_model("plans", "FeedToken")
    old_model.objects.create(user_id=world.staff.pk, token=old_token)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())

    assert FeedToken.objects.get(user=world.staff).token_hash != old_token
    assert cluster_feed(client, old_token).status_code == 200
