"""Changing one's password: the current password is re-checked like when signing
(throttled, each wrong one recorded) and the change is recorded in the audit trail.

Each attack goes through the real page, as a stolen session would use it.
"""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse

from cluster_portal.audit import AuthAction, RequestMeta
from cluster_portal.models import AuditEvent
from members import services
from members.models import User
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

URL = reverse("password_change")
NEW = "một mật khẩu mới đủ dài 2026"
CLIENT_IP = "203.0.113.77"


def change(client, *, old, new=NEW):
    return client.post(
        URL,
        {"old_password": old, "new_password1": new, "new_password2": new},
        REMOTE_ADDR=CLIENT_IP,
    )


@pytest.fixture
def staff_client(client, world):
    client.force_login(world.staff)
    return client


def test_a_password_change_records_an_audit_event_with_the_client_address(staff_client, world):
    response = change(staff_client, old=PASSWORD)
    assert response.status_code == 302
    event = AuditEvent.objects.get(action=AuthAction.PASSWORD_CHANGED)
    assert (event.actor, event.target_id, event.ip_address) == (
        world.staff,
        str(world.staff.pk),
        CLIENT_IP,
    )
    world.staff.refresh_from_db()
    assert world.staff.check_password(NEW)


def test_the_user_stays_logged_in_after_changing_the_password(staff_client):
    change(staff_client, old=PASSWORD)
    assert staff_client.get(reverse("members:dashboard")).status_code == 200


def test_a_wrong_current_password_is_refused_and_recorded(staff_client, world):
    response = change(staff_client, old="sai-mat-khau-cu")
    assert response.status_code == 200
    assert response.context["form"].has_error("old_password", "password_incorrect")
    event = AuditEvent.objects.get(action=AuthAction.PASSWORD_CHANGE_REFUSED)
    assert (event.actor, event.details, event.ip_address) == (
        world.staff,
        {"reason": "wrong_password"},
        CLIENT_IP,
    )
    world.staff.refresh_from_db()
    assert world.staff.check_password(PASSWORD)


def test_the_right_password_after_the_limit_of_wrong_ones_is_refused_unchecked(
    staff_client, world, settings
):
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        change(staff_client, old="sai-mat-khau-cu")
    response = change(staff_client, old=PASSWORD)
    assert response.context["form"].has_error("old_password", "too_many_attempts")
    world.staff.refresh_from_db()
    assert world.staff.check_password(PASSWORD)
    refused = AuditEvent.objects.filter(action=AuthAction.PASSWORD_CHANGE_REFUSED)
    assert (refused.count(), AuditEvent.objects.filter(action="auth.password_changed").count()) == (
        settings.AXES_FAILURE_LIMIT,
        0,
    )


def test_a_weak_new_password_is_refused_before_the_current_one_is_checked(staff_client):
    response = change(staff_client, old="sai-mat-khau-cu", new="12345678")
    assert response.context["form"].has_error("new_password2")
    assert not AuditEvent.objects.filter(action=AuthAction.PASSWORD_CHANGE_REFUSED).exists()


# Guessing in parallel: the check is counted under a lock (PostgreSQL; SQLite has one writer)


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="concurrency is only meaningful on PostgreSQL (SQLite has one write lock)",
)
def test_twenty_simultaneous_wrong_current_passwords_are_checked_no_more_than_the_limit(
    world, settings
):
    barrier = threading.Barrier(20, timeout=120)
    outcomes = []

    def guess(index: int):
        try:
            user = User.objects.get(pk=world.staff.pk)
            barrier.wait()
            services.user_password_change(
                user=user, old_password=f"doan-sai-{index}", new_password=NEW, meta=RequestMeta()
            )
        except ValidationError as error:
            outcomes.extend(e.code for errors in error.error_dict.values() for e in errors)
        finally:
            connection.close()

    threads = [threading.Thread(target=guess, args=(i,)) for i in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert (outcomes.count("password_incorrect"), outcomes.count("too_many_attempts")) == (
        settings.AXES_FAILURE_LIMIT,
        20 - settings.AXES_FAILURE_LIMIT,
    )
