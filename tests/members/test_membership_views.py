"""Adding and removing a member of a year through the pages (secretariat).

History stays true: a department that the year's records name (a response to the covenant,
an activity, a comment, news) stays a member, and a signed covenant fixes the members.
"""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from agreements import services as agreement_services
from agreements.models import Covenant
from cluster_portal.audit import RequestMeta
from cluster_portal.models import AuditEvent
from members import services as member_services
from members.models import ClusterYear, Membership
from plans.models import Attendee
from tests.factories import PASSWORD, ActivityFactory, UserFactory, WorkPlanFactory
from tests.helpers import WORLD_YEAR, department


def _add_url(world):
    return reverse(
        "members:membership-add", kwargs={"code": world.cluster_a.code, "year": WORLD_YEAR}
    )


def _remove_url(world, dept):
    return reverse(
        "members:membership-remove",
        kwargs={"code": world.cluster_a.code, "year": WORLD_YEAR, "department": dept.code},
    )


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def _open_covenant(world):
    covenant = agreement_services.covenant_create(
        cluster_year=world.year_a,
        title="Giao ước thi đua năm 2024",
        deadline=timezone.now() + datetime.timedelta(days=30),
        commitments=["Hoàn thành các chỉ tiêu kế hoạch năm."],
        by=world.secretariat,
    )
    return agreement_services.covenant_open_for_signing(
        covenant=Covenant.objects.get(pk=covenant.pk), by=world.secretariat
    )


def test_the_add_page_offers_only_departments_that_exist_that_year_and_are_not_members(world):
    hungyen = department("Hưng Yên", "hungyen")
    ended = department("Hà Tây", "hatay", valid_to=datetime.date(2008, 7, 31))
    response = _client(world.secretariat).get(_add_url(world))
    assert response.status_code == 200
    offered = set(response.context["form"].fields["department"].queryset)
    assert hungyen in offered
    assert world.quangninh in offered  # a member of another cluster may join this one too
    assert ended not in offered
    assert not offered & {world.hanoi, world.vinhphuc, world.haiphong, world.bacninh}


def test_the_add_page_does_not_offer_a_department_merged_away_before_the_year(world):
    haiduong = department("Hải Dương", "haiduong")
    member_services.department_merge(
        department=haiduong,
        successor=world.haiphong,
        effective=datetime.date(WORLD_YEAR, 1, 1),
        by=UserFactory(site_admin=True),
    )
    response = _client(world.secretariat).get(_add_url(world))
    assert haiduong not in set(response.context["form"].fields["department"].queryset)


def test_the_add_page_offers_the_departments_in_vietnamese_order(world):
    for province, code in [("Hưng Yên", "hungyen"), ("Đà Nẵng", "danang"), ("Hải Dương", "hd")]:
        department(province, code)
    response = _client(world.secretariat).get(_add_url(world))
    offered = [d.province for d in response.context["form"].fields["department"].queryset]
    assert offered == ["Đà Nẵng", "Hải Dương", "Hưng Yên", "Lạng Sơn", "Quảng Ninh"]


def test_the_secretariat_adds_a_department_with_its_names_as_they_are_today(world):
    hungyen = department("Hưng Yên", "hungyen")
    response = _client(world.secretariat).post(_add_url(world), {"department": hungyen.pk})
    assert response.status_code == 302
    assert response.url == world.year_a.get_absolute_url()
    membership = Membership.objects.get(cluster_year=world.year_a, department=hungyen)
    assert membership.role == Membership.Role.MEMBER
    assert membership.full_name == hungyen.full_name
    assert membership.parent_body == hungyen.parent_body
    event = AuditEvent.objects.get(action="membership.added")
    assert event.details == {"department": "hungyen"}
    page = _client(world.secretariat).get(world.year_a.get_absolute_url())
    assert hungyen.full_name in page.content.decode()


def test_a_department_not_offered_is_refused_with_a_message_and_nothing_added(world):
    ended = department("Hà Tây", "hatay", valid_to=datetime.date(2008, 7, 31))
    response = _client(world.secretariat).post(_add_url(world), {"department": ended.pk})
    assert response.status_code == 200
    assert response.context["form"].errors["department"]
    assert not Membership.objects.filter(department=ended).exists()


def test_no_member_can_be_added_once_the_covenant_is_signed(world):
    Covenant.objects.create(
        cluster_year=world.year_a, title="Giao ước", state=Covenant.State.SIGNED
    )
    hungyen = department("Hưng Yên", "hungyen")
    response = _client(world.secretariat).post(_add_url(world), {"department": hungyen.pk})
    assert response.status_code == 200
    [error] = response.context["form"].non_field_errors().as_data()
    assert error.code == "membership_in_record"
    assert "đã được tất cả thành viên ký" in response.content.decode()
    assert not Membership.objects.filter(department=hungyen).exists()


def test_the_secretariat_removes_a_member_after_confirming(world):
    client = _client(world.secretariat)
    page = client.get(_remove_url(world, world.bacninh))
    assert page.status_code == 200
    assert page.context["refusal"] is None
    assert '<form method="post" novalidate>' in page.content.decode()
    response = client.post(_remove_url(world, world.bacninh))
    assert response.status_code == 302
    assert not Membership.objects.filter(
        cluster_year=world.year_a, department=world.bacninh
    ).exists()
    assert AuditEvent.objects.get(action="membership.removed").details == {"department": "bacninh"}


def test_the_leader_cannot_be_removed_and_the_page_says_so_before_anything_is_sent(world):
    client = _client(world.secretariat)
    page = client.get(_remove_url(world, world.hanoi))
    assert page.status_code == 200
    assert page.context["refusal"][0] == "remove_leadership"
    assert '<form method="post" novalidate>' not in page.content.decode()
    response = client.post(_remove_url(world, world.hanoi))
    assert response.status_code == 200
    [error] = response.context["form"].non_field_errors().as_data()
    assert error.code == "remove_leadership"
    assert Membership.objects.filter(cluster_year=world.year_a, department=world.hanoi).exists()


def test_a_department_that_responded_to_the_covenant_stays_a_member(world):
    covenant = _open_covenant(world)
    agreement_services.signature_record(
        covenant=covenant,
        user=world.signatory,
        password=PASSWORD,
        confirmed=True,
        meta=RequestMeta(ip_address="203.0.113.5", user_agent="test"),
    )
    client = _client(world.secretariat)
    response = client.post(_remove_url(world, world.haiphong))
    assert response.status_code == 200
    [error] = response.context["form"].non_field_errors().as_data()
    assert error.code == "membership_in_record"
    assert f"{world.haiphong.full_name} đã phản hồi giao ước thi đua năm 2024" in (
        response.content.decode()
    )
    assert Membership.objects.filter(cluster_year=world.year_a, department=world.haiphong).exists()


def test_while_the_covenant_is_open_for_signing_its_members_are_fixed(world):
    _open_covenant(world)
    page = _client(world.secretariat).get(_remove_url(world, world.bacninh))
    assert page.context["refusal"][0] == "membership_in_record"
    assert "đang mở để ký" in page.context["refusal"][1]
    assert page.context["refusal"][1] in page.content.decode()


def test_a_department_named_in_the_years_plans_stays_a_member(world):
    activity = ActivityFactory(work_plan=WorkPlanFactory(cluster_year=world.year_a))
    Attendee.objects.create(activity=activity, kind=Attendee.Kind.MEMBER, department=world.bacninh)
    page = _client(world.secretariat).get(_remove_url(world, world.bacninh))
    assert page.context["refusal"][0] == "membership_in_record"
    assert "tham dự một hoạt động" in page.context["refusal"][1]


def test_removing_a_department_that_is_not_a_member_answers_404(world):
    response = _client(world.secretariat).get(_remove_url(world, world.quangninh))
    assert response.status_code == 404


@pytest.mark.parametrize(("who", "status"), [("staff", 403), ("signatory", 403), ("outsider", 404)])
def test_only_the_secretariat_adds_or_removes_members(world, who, status):
    client = _client(getattr(world, who))
    hungyen = department("Hưng Yên", "hungyen")
    assert client.get(_add_url(world)).status_code == status
    assert client.post(_add_url(world), {"department": hungyen.pk}).status_code == status
    assert client.post(_remove_url(world, world.bacninh)).status_code == status
    assert Membership.objects.filter(cluster_year=world.year_a).count() == 4


def test_a_closed_year_keeps_its_members(world):
    ClusterYear.objects.filter(pk=world.year_a.pk).update(phase=ClusterYear.Phase.CLOSED)
    client = _client(world.secretariat)
    assert client.get(_add_url(world)).status_code == 403
    assert client.post(_remove_url(world, world.bacninh)).status_code == 403


def test_the_year_page_offers_the_changes_to_the_secretariat_only(world):
    year_url = world.year_a.get_absolute_url()
    html = _client(world.secretariat).get(year_url).content.decode()
    assert _add_url(world) in html
    assert _remove_url(world, world.bacninh) in html
    assert _remove_url(world, world.haiphong) in html
    # Leader and deputy change through the leadership form, not by removal.
    assert _remove_url(world, world.hanoi) not in html
    assert _remove_url(world, world.vinhphuc) not in html
    staff_html = _client(world.staff).get(year_url).content.decode()
    assert _add_url(world) not in staff_html
    assert _remove_url(world, world.bacninh) not in staff_html


def test_a_department_added_while_the_covenant_is_open_is_told_to_sign(
    world, mailoutbox, django_capture_on_commit_callbacks, tasks_run_at_once
):
    _open_covenant(world)
    hungyen = department("Hưng Yên", "hungyen")
    signer = UserFactory(username="giamdoc.hungyen", department=hungyen, signatory=True)
    UserFactory(username="chuyenvien.hungyen", department=hungyen)  # staff: not told
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = _client(world.secretariat).post(_add_url(world), {"department": hungyen.pk})
    assert response.status_code == 302
    assert [message.to for message in mailoutbox] == [[signer.email]]
    assert "/covenants/bac-bo/2024/" in mailoutbox[0].body


def test_a_department_added_without_an_open_covenant_gets_no_mail(
    world, mailoutbox, django_capture_on_commit_callbacks, tasks_run_at_once
):
    hungyen = department("Hưng Yên", "hungyen")
    UserFactory(username="giamdoc.hungyen", department=hungyen, signatory=True)
    with django_capture_on_commit_callbacks(execute=True):
        _client(world.secretariat).post(_add_url(world), {"department": hungyen.pk})
    assert mailoutbox == []
