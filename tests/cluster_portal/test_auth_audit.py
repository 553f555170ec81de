"""Logins, log-outs, failed logins, lock-outs and administrators' edits are in the audit
trail, each with the client address as the proxy forwarded it.

Everything goes through the real pages: the login form, the log-out button and the
administration's change forms.
"""

import pytest
from django.urls import reverse

from cluster_portal.audit import AdminAction, AuthAction, audit_verify
from cluster_portal.models import AuditEvent
from members.models import Department, Membership, User
from tests.factories import PASSWORD
from tests.helpers import change_page_data

pytestmark = pytest.mark.django_db

PROXY = "10.0.0.2"
CLIENT_IP = "203.0.113.24"
WRONG = "sai-mat-khau-bi-mat-1234"


@pytest.fixture(autouse=True)
def behind_one_proxy(settings):
    settings.PROXY_COUNT = 1


def via_proxy(client, method, url, data=None):
    return getattr(client, method)(
        url, data or {}, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=f"192.0.2.1, {CLIENT_IP}"
    )


def login(client, username, password=PASSWORD):
    return via_proxy(client, "post", reverse("login"), {"username": username, "password": password})


def only(action) -> AuditEvent:
    return AuditEvent.objects.get(action=action)


# Logging in and out


def test_a_login_is_recorded_with_the_client_address(client, world):
    login(client, world.staff.username)
    event = only(AuthAction.LOGIN)
    assert (event.actor, event.target_id, event.ip_address) == (
        world.staff,
        str(world.staff.pk),
        CLIENT_IP,
    )


def test_a_logout_is_recorded_with_the_client_address(client, world):
    login(client, world.staff.username)
    via_proxy(client, "post", reverse("logout"))
    event = only(AuthAction.LOGOUT)
    assert (event.actor, event.ip_address) == (world.staff, CLIENT_IP)


def test_a_failed_login_records_the_user_name_and_address_but_not_the_password(client, world):
    login(client, world.staff.username, password=WRONG)
    event = only(AuthAction.LOGIN_FAILED)
    assert (event.actor, event.target_id, event.details, event.ip_address) == (
        None,
        str(world.staff.pk),
        {"username": world.staff.username},
        CLIENT_IP,
    )
    stored = AuditEvent.objects.filter(pk=event.pk).values().get()
    assert WRONG not in repr(stored)


def test_a_failed_login_for_an_unknown_user_name_is_recorded_without_a_target(client, db):
    login(client, "khong.ton.tai", password=WRONG)
    event = only(AuthAction.LOGIN_FAILED)
    assert (event.target_type, event.details, event.ip_address) == (
        "",
        {"username": "khong.ton.tai"},
        CLIENT_IP,
    )


def test_a_lock_out_is_recorded_with_the_client_address(client, world, settings):
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        login(client, world.staff.username, password=WRONG)
    event = AuditEvent.objects.filter(action=AuthAction.LOCKED_OUT).first()
    assert (event.target_id, event.details, event.ip_address) == (
        str(world.staff.pk),
        {"username": world.staff.username},
        CLIENT_IP,
    )


def test_the_chain_stays_intact_after_logins_and_failures(client, world):
    login(client, world.staff.username, password=WRONG)
    login(client, world.staff.username)
    via_proxy(client, "post", reverse("logout"))
    assert audit_verify()[1] is None


# Administrators' edits


@pytest.fixture
def admin_client(client, world):
    client.force_login(world.site_admin)
    return client


def test_an_administrator_changing_a_users_role_is_recorded(admin_client, world):
    url = reverse("admin:members_user_change", args=[world.staff.pk])
    data = change_page_data(admin_client, url)
    data["role"] = User.Role.SIGNATORY
    response = via_proxy(admin_client, "post", url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    event = only(AdminAction.CHANGED)
    assert (event.actor, event.target_type, event.target_id, event.ip_address) == (
        world.site_admin,
        "members.user",
        str(world.staff.pk),
        CLIENT_IP,
    )
    assert "Role" in event.details["changes"][0]["changed"]["fields"]
    world.staff.refresh_from_db()
    assert world.staff.role == User.Role.SIGNATORY


def test_an_administrator_changing_a_membership_is_recorded(admin_client, world):
    url = reverse("admin:members_clusteryear_change", args=[world.year_a.pk])
    data = change_page_data(admin_client, url)
    membership = Membership.objects.get(cluster_year=world.year_a, department=world.bacninh)
    prefix = next(k for k, v in data.items() if k.endswith("-id") and v == membership.pk)[:-3]
    data[f"{prefix}-head_name"] = "Nguyễn Văn Mới"
    response = via_proxy(admin_client, "post", url, data)
    assert response.status_code == 302
    event = AuditEvent.objects.get(action=AdminAction.CHANGED, target_type="members.membership")
    assert (event.actor, event.target_id, event.ip_address) == (
        world.site_admin,
        str(membership.pk),
        CLIENT_IP,
    )


def test_an_administrator_deleting_a_department_is_recorded(admin_client, world):
    department = Department.objects.create(
        province="Tỉnh Thử", code="tinh-thu", full_name="Sở Nội vụ tỉnh Thử", short_name="SNV"
    )
    url = reverse("admin:members_department_delete", args=[department.pk])
    response = via_proxy(admin_client, "post", url, {"post": "yes"})
    assert response.status_code == 302
    event = only(AdminAction.DELETED)
    assert (event.target_type, event.target_id, event.ip_address) == (
        "members.department",
        str(department.pk),
        CLIENT_IP,
    )
    assert not Department.objects.filter(pk=department.pk).exists()
