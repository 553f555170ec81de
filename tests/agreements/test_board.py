"""The signing board: members that have not responded first, a filter, and "Send a reminder"
as its main action, which shows the recipients and the message before anything is sent."""

import pytest
from django.urls import reverse

from agreements.models import Reminder
from agreements.services import covenant_send_reminders
from tests.factories import UserFactory
from tests.helpers import (
    assert_same_count,
    covenant_for,
    decline,
    members_year,
    queries_for,
    refreshed,
    sign,
)

pytestmark = pytest.mark.django_db


def remind_url(covenant):
    year = covenant.cluster_year
    return reverse(
        "agreements:covenant-remind", kwargs={"code": year.cluster.code, "year": year.year}
    )


def board_names(client, covenant, show=None) -> list[str]:
    url = covenant.board_url + (f"?show={show}" if show else "")
    return [row.membership.department.code for row in client.get(url).context["board"].rows]


@pytest.fixture
def responded(world, covenant, signatories):
    """Hải Phòng signed, Bắc Ninh declined; Hà Nội (leader) and Vĩnh Phúc have not responded."""
    sign(covenant, world.signatory)
    decline(refreshed(covenant), signatories["bacninh"])
    return refreshed(covenant)


# The order and the filter


def test_the_board_lists_members_that_have_not_responded_first(client, world, responded):
    client.force_login(world.secretariat)
    assert board_names(client, responded) == ["vinhphuc", "hanoi", "bacninh", "haiphong"]


def test_the_covenant_pdf_keeps_the_order_of_the_document_whoever_responded(world, responded):
    from agreements.selectors import covenant_pdf_context

    context = covenant_pdf_context(covenant=responded)
    assert context["board"].rows[-1].membership.department.code == "hanoi"
    keys = [row.membership.sort_key for row in context["board"].rows[:-1]]
    assert keys == sorted(keys)  # Vietnamese order (province, then name), whoever responded


def test_the_not_responded_filter_shows_only_members_that_have_not_responded(
    client, world, responded
):
    client.force_login(world.secretariat)
    assert board_names(client, responded, "pending") == ["vinhphuc", "hanoi"]


def test_the_signed_filter_shows_only_members_that_signed(client, world, responded):
    client.force_login(world.staff)
    assert board_names(client, responded, "signed") == ["haiphong"]


def test_the_declined_filter_shows_only_members_that_declined(client, world, responded):
    client.force_login(world.staff)
    assert board_names(client, responded, "declined") == ["bacninh"]


def test_an_unknown_filter_shows_every_member(client, world, responded):
    client.force_login(world.staff)
    assert len(board_names(client, responded, "nonsense")) == 4


def test_the_filter_keeps_the_counts_of_every_member(client, world, responded):
    client.force_login(world.staff)
    board = client.get(responded.board_url + "?show=signed").context["board"]
    assert (board.total, board.signed, board.declined, board.pending) == (4, 1, 1, 2)


def test_the_filter_marks_the_choice_shown(client, world, responded):
    client.force_login(world.staff)
    html = client.get(responded.board_url + "?show=declined").text
    assert 'href="?show=declined" aria-current="page"' in html


def test_a_member_that_responded_to_a_voided_version_counts_as_not_responded(
    client, world, covenant, signatories
):
    from agreements import services

    sign(covenant, world.signatory)
    services.covenant_new_version(
        covenant=refreshed(covenant), reason="Sửa lỗi.", by=world.secretariat
    )
    services.covenant_open_for_signing(covenant=refreshed(covenant), by=world.secretariat)
    client.force_login(world.secretariat)
    assert "haiphong" in board_names(client, refreshed(covenant), "pending")


# The main action


def test_send_a_reminder_is_the_boards_main_action(client, world, responded):
    client.force_login(world.secretariat)
    html = client.get(responded.board_url).text
    assert f'class="btn btn-primary board-remind" href="{remind_url(responded)}"' in html


def test_the_board_offers_no_reminder_once_everyone_responded(client, world, covenant, signatories):
    for user in signatories.values():
        sign(refreshed(covenant), user)
    client.force_login(world.secretariat)
    assert remind_url(covenant) not in client.get(refreshed(covenant).board_url).text


def test_members_are_not_offered_the_reminder(client, world, responded):
    client.force_login(world.staff)
    assert remind_url(responded) not in client.get(responded.board_url).text


# The reminder's preview


def test_the_reminder_page_shows_the_addresses_of_the_pending_signatories(
    client, world, responded, signatories
):
    client.force_login(world.secretariat)
    html = client.get(remind_url(responded)).text
    assert signatories["vinhphuc"].email in html
    assert signatories["hanoi"].email in html


def test_the_reminder_page_does_not_list_signatories_that_responded(
    client, world, responded, signatories
):
    client.force_login(world.secretariat)
    html = client.get(remind_url(responded)).text
    assert signatories["haiphong"].email not in html
    assert signatories["bacninh"].email not in html


def test_the_reminder_page_shows_the_message_as_it_will_be_sent(
    client, world, responded, mailoutbox, django_capture_on_commit_callbacks, tasks_run_at_once
):
    client.force_login(world.secretariat)
    preview = client.get(remind_url(responded)).context["preview"]
    with django_capture_on_commit_callbacks(execute=True):
        covenant_send_reminders(covenant=responded, by=world.secretariat)
    assert {(m.subject, m.body) for m in mailoutbox} == {(preview.subject, preview.text)}


def test_the_reminder_page_shows_the_subject_and_the_text(client, world, responded):
    client.force_login(world.secretariat)
    response = client.get(remind_url(responded))
    assert "Nhắc ký" in response.context["preview"].subject
    assert "Đề nghị đồng chí đăng nhập" in response.text


def test_opening_the_reminder_page_sends_nothing(client, world, responded, mailoutbox):
    client.force_login(world.secretariat)
    client.get(remind_url(responded))
    assert (mailoutbox, Reminder.objects.count()) == ([], 0)


def test_the_reminder_page_says_who_already_had_todays_reminder(
    client, world, responded, signatories
):
    covenant_send_reminders(covenant=responded, by=world.secretariat)
    client.force_login(world.secretariat)
    response = client.get(remind_url(responded))
    assert response.context["preview"].sending == []
    assert "Không gửi: đã nhắc hôm nay" in response.text


def test_the_reminder_page_says_who_has_no_address(client, world, responded, signatories):
    signatories["vinhphuc"].email = ""
    signatories["vinhphuc"].save()
    client.force_login(world.secretariat)
    response = client.get(remind_url(responded))
    assert [r.user for r in response.context["preview"].sending] == [signatories["hanoi"]]
    assert "Không gửi: không có địa chỉ thư điện tử" in response.text


def test_confirming_sends_the_reminder_to_the_recipients_shown(
    client,
    world,
    responded,
    signatories,
    mailoutbox,
    django_capture_on_commit_callbacks,
    tasks_run_at_once,
):
    client.force_login(world.secretariat)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(remind_url(responded))
    assert response.url == responded.board_url
    assert sorted(m.to[0] for m in mailoutbox) == sorted(
        [signatories["vinhphuc"].email, signatories["hanoi"].email]
    )


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("secretariat", 200),
        ("signatory", 403),
        ("staff", 403),
        ("outsider", 404),
        ("reviewer", 403),
        ("anonymous", 302),
    ],
)
def test_the_reminder_page_is_for_the_secretariat_only(client, world, responded, role, status):
    if role != "anonymous":
        client.force_login(world.user(role))
    assert client.get(remind_url(responded)).status_code == status


@pytest.mark.parametrize("role", ["signatory", "staff", "outsider", "reviewer", "anonymous"])
def test_nobody_but_the_secretariat_sends_a_reminder(client, world, responded, role, mailoutbox):
    if role != "anonymous":
        client.force_login(world.user(role))
    client.post(remind_url(responded))
    assert Reminder.objects.count() == 0


# Query counts


def test_the_board_costs_the_same_with_11_and_60_members(client):
    small_year, small_departments, small_user = members_year(11)
    small = covenant_for(small_year, signed=small_departments[:3])
    large_year, large_departments, large_user = members_year(60)
    large = covenant_for(large_year, signed=large_departments[:30])
    assert_same_count(
        queries_for(client, small_user, small.board_url + "?show=pending"),
        queries_for(client, large_user, large.board_url + "?show=pending"),
    )


def test_the_reminder_page_costs_the_same_with_11_and_60_members(client):
    small_year, small_departments, small_user = members_year(11)
    small = covenant_for(small_year, signed=small_departments[:3])
    large_year, large_departments, large_user = members_year(60)
    large = covenant_for(large_year, signed=large_departments[:30])
    for department in small_departments[3:] + large_departments[30:]:
        UserFactory(department=department, signatory=True)
    assert_same_count(
        queries_for(client, small_user, remind_url(small)),
        queries_for(client, large_user, remind_url(large)),
    )
