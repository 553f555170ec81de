"""Notifications: each to-do item reaches its user once (bell and e-mail), one e-mail a day
at most, none for the kinds the user turned off."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from members.models import MailOptOut, Notification
from members.notifications import mail_preferences_set, notifications_send
from plans import services as plan_services
from tests.helpers import (
    TITLE,
    charter_open_for_comments,
    clock,
    draft_covenant,
    open_covenant,
    utc,
)

# About who is told what and when: the mail tasks run at once (they have their own tests).
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("tasks_run_at_once")]

MORNING = utc(2026, 12, 1, 1, 0)  # 08:00 in Hà Nội
EVENING = utc(2026, 12, 1, 12, 0)  # 19:00 the same day
NEXT_MORNING = utc(2026, 12, 2, 1, 0)


@pytest.fixture
def run(mailoutbox, django_capture_on_commit_callbacks):
    """Run ``send_notifications`` at a time; return the messages it sent."""

    def run_at(at=MORNING):
        start = len(mailoutbox)
        with clock(at), django_capture_on_commit_callbacks(execute=True):
            notifications_send()
        return mailoutbox[start:]

    return run_at


def to(messages, user):
    return [m for m in messages if m.to == [user.email]]


def test_an_item_reaches_its_user_by_email_once(world, run):
    covenant = open_covenant(draft_covenant(world), world.secretariat)
    (message,) = to(run(), world.signatory)
    assert covenant.title in message.body
    assert to(run(NEXT_MORNING), world.signatory) == []
    assert Notification.objects.filter(user=world.signatory, kind="covenant-sign").count() == 1


def test_the_email_is_vietnamese_and_links_to_the_portal_base_url(world, run, settings):
    settings.PORTAL_BASE_URL = "http://127.0.0.1:8765"
    covenant = open_covenant(draft_covenant(world), world.secretariat)
    (message,) = to(run(), world.signatory)
    assert "Kính gửi đồng chí" in message.body
    assert f"http://127.0.0.1:8765{covenant.get_absolute_url()}" in message.body
    assert "http://127.0.0.1:8765/profile/" in message.body
    html = message.alternatives[0][0]
    assert f'href="http://127.0.0.1:8765{covenant.get_absolute_url()}"' in html


def test_several_new_items_come_in_one_digest(world, run):
    open_covenant(draft_covenant(world), world.secretariat)
    charter_open_for_comments(world)
    (message,) = to(run(), world.signatory)
    assert "2 việc mới" in message.subject
    assert "giao ước" in message.body.lower() and "quy chế" in message.body.lower()


def test_an_item_new_later_the_same_day_waits_for_the_next_days_email(world, run):
    open_covenant(draft_covenant(world), world.secretariat)
    run(MORNING)
    version = charter_open_for_comments(world)
    assert to(run(EVENING), world.signatory) == []
    (message,) = to(run(NEXT_MORNING), world.signatory)
    assert version.title in message.body
    assert TITLE not in message.body  # yesterday's covenant is not repeated


def test_an_item_done_before_its_email_is_not_sent(world, run):
    open_covenant(draft_covenant(world), world.secretariat)
    run(MORNING)
    version = charter_open_for_comments(world)
    run(EVENING)  # stored for the bell, e-mail waits for tomorrow
    plan_services.charter_comment_create(
        article=version.articles.get(), body="Nhất trí.", by=world.signatory
    )
    assert to(run(NEXT_MORNING), world.signatory) == []


def test_a_kind_turned_off_sends_no_email_but_still_rings_the_bell(world, run):
    mail_preferences_set(user=world.signatory, kinds_off={"covenant-sign"})
    open_covenant(draft_covenant(world), world.secretariat)
    assert to(run(), world.signatory) == []
    assert Notification.objects.filter(user=world.signatory, read_at=None).count() == 1


def test_turning_one_kind_off_keeps_the_other_kinds_emails(world, run):
    mail_preferences_set(user=world.signatory, kinds_off={"covenant-sign"})
    open_covenant(draft_covenant(world), world.secretariat)
    charter_open_for_comments(world)
    (message,) = to(run(), world.signatory)
    assert "quy chế" in message.body.lower()
    assert "giao ước" not in message.body.lower()


def test_status_lines_without_a_key_are_never_notified(world, run):
    open_covenant(draft_covenant(world), world.secretariat)  # "x of y have signed": no key
    run()
    assert not Notification.objects.filter(key="")


def test_the_command_reports_what_it_did(world, mailoutbox, django_capture_on_commit_callbacks):
    open_covenant(draft_covenant(world), world.secretariat)
    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_notifications", stdout=out)
    assert "E-mails sent:" in out.getvalue()
    assert to(mailoutbox, world.signatory)


# The bell


def bell(client, user) -> str:
    client.force_login(user)
    page = client.get(reverse("members:dashboard")).content.decode()
    return page.split('class="nav-link d-inline-block text-nowrap notification-bell"', 1)[1].split(
        "</a>", 1
    )[0]


def test_the_bell_counts_unread_notifications(client, world, run):
    open_covenant(draft_covenant(world), world.secretariat)
    charter_open_for_comments(world)
    run()
    assert ">2<" in bell(client, world.signatory)


def test_opening_a_notification_marks_it_read_and_goes_where_it_is_done(client, world, run):
    covenant = open_covenant(draft_covenant(world), world.secretariat)
    run()
    notification = Notification.objects.get(user=world.signatory)
    client.force_login(world.signatory)
    response = client.post(reverse("members:notification-read", args=[notification.pk]))
    assert response.url == covenant.get_absolute_url()
    notification.refresh_from_db()
    assert notification.read_at is not None
    assert "badge" not in bell(client, world.signatory)


def test_mark_all_read_empties_the_bell(client, world, run):
    open_covenant(draft_covenant(world), world.secretariat)
    charter_open_for_comments(world)
    run()
    client.force_login(world.signatory)
    client.post(reverse("members:notification-read-all"))
    assert not Notification.objects.filter(user=world.signatory, read_at=None).exists()


def test_the_notification_page_lists_the_users_notifications(client, world, run):
    covenant = open_covenant(draft_covenant(world), world.secretariat)
    run()
    client.force_login(world.signatory)
    page = client.get(reverse("members:notification-list")).content.decode()
    assert covenant.title in page
    assert "GMT+7" in page


@pytest.mark.parametrize("role", ["secretariat", "staff", "outsider", "reviewer"])
def test_nobody_opens_someone_elses_notification(client, world, run, role):
    open_covenant(draft_covenant(world), world.secretariat)
    run()
    notification = Notification.objects.get(user=world.signatory)
    client.force_login(world.user(role))
    response = client.post(reverse("members:notification-read", args=[notification.pk]))
    assert response.status_code == 404
    notification.refresh_from_db()
    assert notification.read_at is None


def test_anonymous_users_see_no_notifications(client):
    response = client.get(reverse("members:notification-list"))
    assert response.status_code == 302


# The profile page


def test_the_profile_page_turns_email_off_per_kind(client, world):
    client.force_login(world.signatory)
    page = client.get(reverse("members:profile")).content.decode()
    assert 'value="covenant-sign"' in page
    response = client.post(reverse("members:profile"), {"kinds": ["charter-consultation"]})
    assert response.status_code == 302
    off = set(MailOptOut.objects.filter(user=world.signatory).values_list("kind", flat=True))
    assert "covenant-sign" in off and "charter-consultation" not in off


@pytest.mark.parametrize("role", ["secretariat", "signatory", "staff", "outsider", "reviewer"])
def test_every_role_may_set_its_own_email_preferences(client, world, role):
    client.force_login(world.user(role))
    response = client.post(reverse("members:profile"), {"kinds": []})
    assert response.status_code == 302
    assert MailOptOut.objects.filter(user=world.user(role)).exists()


def test_anonymous_users_have_no_profile_page(client):
    assert client.get(reverse("members:profile")).status_code == 302


def test_a_day_is_counted_in_vietnam_time(world, run):
    open_covenant(draft_covenant(world), world.secretariat)
    run(utc(2026, 12, 1, 16, 30))  # 23:30 on 1 December in Hà Nội
    charter_open_for_comments(world)
    # 00:30 on 2 December in Hà Nội, still 1 December in UTC: a new day, a new e-mail.
    assert to(run(utc(2026, 12, 1, 17, 30)), world.signatory)


def test_a_user_without_an_address_gets_the_bell_only(world, run):
    world.signatory.email = ""
    world.signatory.save()
    open_covenant(draft_covenant(world), world.secretariat)
    assert to(run(), world.signatory) == []
    assert Notification.objects.get(user=world.signatory).mail == Notification.Mail.SKIPPED
