"""Until when a lock-out lasts: the password re-check (signing, declining, changing the
password) and the login page (django-axes) both say it, in Vietnam time."""

import datetime

import pytest
from axes.models import AccessAttempt
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from cluster_portal.auth import password_recheck, password_recheck_locked_until, until_text
from tests.factories import PASSWORD
from tests.helpers import clock, utc

pytestmark = pytest.mark.django_db

START = utc(2024, 3, 10, 2, 0)  # 09:00 in Vietnam


def wrong_password_at(user, at, target):
    with clock(at):
        refused = password_recheck(
            user=user,
            password="sai-mat-khau",
            refused_action="auth.password_change_refused",
            target=target,
        )
    assert refused == "wrong_password"


def test_a_user_under_the_limit_is_not_locked(world, settings):
    wrong_password_at(world.staff, START, world.staff)
    with clock(START):
        assert password_recheck_locked_until(world.staff) is None


def test_the_lock_ends_when_the_oldest_counted_wrong_password_leaves_the_window(world, settings):
    settings.AXES_COOLOFF_TIME = datetime.timedelta(minutes=15)
    for minute in range(settings.AXES_FAILURE_LIMIT):
        wrong_password_at(world.staff, START + datetime.timedelta(minutes=2 * minute), world.staff)
    with clock(START + datetime.timedelta(minutes=9)):
        assert password_recheck_locked_until(world.staff) == START + datetime.timedelta(minutes=15)


def test_a_lock_ending_on_another_day_gives_the_date_too():
    with clock(utc(2024, 3, 10, 16, 50)):  # 23:50 in Vietnam
        assert until_text(utc(2024, 3, 10, 17, 5)) == "00:05 11/03/2024"


def test_a_lock_ending_today_gives_the_time_only():
    with clock(START):
        assert until_text(START + datetime.timedelta(minutes=15)) == "09:15"


def test_the_password_change_lock_out_says_until_when(world, settings):
    from members import services
    from tests.helpers import META

    for _ in range(settings.AXES_FAILURE_LIMIT):
        wrong_password_at(world.staff, START, world.staff)
    with clock(START), pytest.raises(ValidationError) as refused:
        services.user_password_change(
            user=world.staff, old_password=PASSWORD, new_password="x" * 20, meta=META
        )
    assert "tạm khóa đến" in refused.value.message_dict["old_password"][0]


def test_the_login_lock_out_page_says_until_when(client, world, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("login"), {"username": world.staff.username, "password": "sai"})
    response = client.post(
        reverse("login"), {"username": world.staff.username, "password": PASSWORD}
    )
    last = AccessAttempt.objects.get(username=world.staff.username).attempt_time
    until = timezone.localtime(last + settings.AXES_COOLOFF_TIME)
    # "HH:MM", with the date when the lock ends on another day (GMT+7) than today.
    shown = until.strftime("%H:%M" if until.date() == timezone.localdate() else "%H:%M %d/%m/%Y")
    assert response.status_code == 429
    assert f"Đăng nhập bị tạm khóa đến {shown} (GMT+7)" in response.text


def test_the_login_lock_out_counts_from_the_last_failed_attempt(client, world, settings):
    from cluster_portal.auth import login_locked_until

    for _ in range(settings.AXES_FAILURE_LIMIT + 1):
        response = client.post(
            reverse("login"), {"username": world.staff.username, "password": "sai"}
        )
    last = AccessAttempt.objects.get(username=world.staff.username).attempt_time
    assert login_locked_until(response.wsgi_request) == last + settings.AXES_COOLOFF_TIME
