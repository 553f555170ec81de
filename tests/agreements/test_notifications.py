"""E-mail about covenants: who gets what, in Vietnamese, plain text and HTML, on commit.

Mail is queued with ``transaction.on_commit``, one background task per message: tests run
the callbacks with ``django_capture_on_commit_callbacks(execute=True)``, with the tasks run
at once (``tasks_run_at_once``; the delivery itself is tested in
tests/cluster_portal/test_tasks.py), and read Django's locmem outbox.
"""

from smtplib import SMTPException
from unittest import mock

import pytest
from django.conf import settings as django_settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives
from django.utils import timezone

from agreements import services
from agreements.models import Signature
from members.models import User
from tests.factories import UserFactory
from tests.helpers import (
    MEMBER_CODES,
    TITLE,
    clock,
    decline,
    draft_covenant,
    open_covenant,
    paper_scan,
    refreshed,
    sign,
    utc,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("tasks_run_at_once")]


@pytest.fixture
def sent(mailoutbox, django_capture_on_commit_callbacks):
    """Run a block, deliver the mail it queued on commit, return the messages sent."""

    class Sent:
        def __init__(self):
            self.capture = None

        def __enter__(self):
            self.start = len(mailoutbox)
            self.capture = django_capture_on_commit_callbacks(execute=True)
            self.capture.__enter__()
            return self

        def __exit__(self, *exc):
            return self.capture.__exit__(*exc)

        @property
        def messages(self):
            return mailoutbox[self.start :]

        @property
        def recipients(self):
            return sorted(address for m in self.messages for address in m.to)

        @property
        def receipts(self):
            return [m for m in self.messages if m.subject.startswith(RECEIPT)]

        @property
        def without_receipts(self):
            """The messages other than the signatory's receipt, by recipient."""
            return sorted(a for m in self.messages if m not in self.receipts for a in m.to)

    return Sent()


RECEIPT = "[Cụm thi đua các tỉnh, thành Bắc Bộ] Biên nhận"


def emails(*users) -> list[str]:
    return sorted(u.email for u in users)


def html_of(message) -> str:
    (html, mimetype), *_ = message.alternatives
    assert mimetype == "text/html"
    return html


# Opening


def test_opening_emails_every_signatory_of_the_member_departments(world, draft, signatories, sent):
    with sent:
        open_covenant(draft, world.secretariat)
    assert sent.recipients == emails(*signatories.values())


def test_opening_emails_nobody_outside_the_signatories(world, draft, signatories, sent):
    with sent:
        open_covenant(draft, world.secretariat)
    others = {world.staff.email, world.secretariat.email, world.outsider.email}
    assert others.isdisjoint(sent.recipients)


def test_each_message_goes_to_one_recipient_only(world, draft, signatories, sent):
    with sent:
        open_covenant(draft, world.secretariat)
    assert [len(m.to) + len(m.cc) + len(m.bcc) for m in sent.messages] == [1] * len(signatories)


def test_the_opening_email_invites_to_sign_in_vietnamese(world, draft, signatories, sent):
    with sent:
        open_covenant(draft, world.secretariat)
    message = sent.messages[0]
    assert f"Mời ký {TITLE}" in message.subject
    assert "Kính gửi" in message.body


def test_the_opening_email_has_an_html_alternative_in_vietnamese(world, draft, signatories, sent):
    with sent:
        open_covenant(draft, world.secretariat)
    html = html_of(sent.messages[0])
    assert '<html lang="vi">' in html and "Kính gửi" in html


def test_the_opening_email_links_to_the_covenant(world, draft, signatories, sent):
    with sent:
        covenant = open_covenant(draft, world.secretariat)
    url = django_settings.PORTAL_BASE_URL + covenant.get_absolute_url()
    assert url in sent.messages[0].body
    assert url in html_of(sent.messages[0])


def test_the_opening_email_gives_the_deadline_in_vietnam_time_with_its_zone(
    world, signatories, sent
):
    with clock(utc(2024, 3, 1, 2, 0)):
        draft = draft_covenant(world, deadline=utc(2024, 3, 31, 10, 0))
        with sent:
            open_covenant(draft, world.secretariat)
    assert "17:00 ngày 31/03/2024 (GMT+7)" in sent.messages[0].body


def test_the_subject_is_on_one_line(world, draft, signatories, sent):
    with sent:
        open_covenant(draft, world.secretariat)
    assert "\n" not in sent.messages[0].subject


def test_the_mail_comes_from_the_portal_address(world, draft, signatories, sent):
    with sent:
        open_covenant(draft, world.secretariat)
    assert sent.messages[0].from_email == django_settings.DEFAULT_FROM_EMAIL


def test_inactive_signatories_get_no_email(world, draft, signatories, sent):
    User.objects.filter(pk=signatories["bacninh"].pk).update(is_active=False)
    with sent:
        open_covenant(draft, world.secretariat)
    assert signatories["bacninh"].email not in sent.recipients


def test_signatories_without_an_address_are_skipped(world, draft, signatories, sent):
    User.objects.filter(pk=signatories["bacninh"].pk).update(email="")
    with sent:
        open_covenant(draft, world.secretariat)
    assert len(sent.messages) == len(signatories) - 1


def test_nothing_is_sent_before_the_transaction_commits(
    world, draft, signatories, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        open_covenant(draft, world.secretariat)
    # Besides the cache's new data version (cluster_portal.cache), one job: the e-mail.
    mail = [c for c in callbacks if c.__module__ != "cluster_portal.cache"]
    assert (len(mail), mailoutbox) == (1, [])


# Responses


def secretariat_addresses(world, signatories):
    """The leader department's users (Hà Nội): the secretariat and Hà Nội's signatory."""
    return emails(world.secretariat, signatories["hanoi"])


def test_a_signature_emails_the_secretariat(world, covenant, signatories, sent):
    with sent:
        sign(covenant, world.signatory)
    assert sent.without_receipts == secretariat_addresses(world, signatories)


def test_a_signature_emails_the_clusters_administrators_too(world, covenant, signatories, sent):
    administrator = UserFactory(department=world.bacninh)
    administrator.administered_clusters.add(world.cluster_a)
    with sent:
        sign(covenant, world.signatory)
    assert administrator.email in sent.without_receipts


def test_the_signature_email_names_the_department_and_the_signer(world, covenant, sent):
    with sent:
        signature = sign(covenant, world.signatory)
    message = sent.messages[0]
    assert f"{signature.department_name} đã ký {TITLE}" in message.subject
    assert signature.signer_name in message.body


def test_the_signature_email_gives_the_time_in_vietnam_time(world, covenant, sent):
    with clock(utc(2024, 3, 10, 20, 5)), sent:
        sign(covenant, world.signatory)
    assert "03:05 ngày 11/03/2024 (GMT+7)" in sent.messages[0].body


def test_a_decline_emails_the_secretariat_with_the_reason(world, covenant, signatories, sent):
    with sent:
        decline(covenant, world.signatory, reason="Chưa thống nhất chỉ tiêu số 2.")
    assert sent.recipients == secretariat_addresses(world, signatories)
    assert "Chưa thống nhất chỉ tiêu số 2." in sent.messages[0].body


def test_a_paper_original_emails_the_secretariat(world, covenant, signatories, sent, paper_media):
    with sent:
        services.signature_record_paper(
            covenant=refreshed(covenant),
            department=world.bacninh,
            signer_name="Nguyễn Văn Hùng",
            signer_title="Giám đốc Sở Nội vụ",
            signed_at=timezone.now(),
            scan=paper_scan(),
            by=signatories["hanoi"],
        )
    assert sent.recipients == secretariat_addresses(world, signatories)


def test_a_wrong_password_sends_no_email(world, covenant, sent):
    with sent, pytest.raises(ValidationError):
        sign(covenant, world.signatory, password="sai-mat-khau")
    assert sent.messages == []


def test_an_already_signed_department_triggers_no_second_email(world, covenant, sent):
    sign(covenant, world.signatory)
    with sent, pytest.raises(ValidationError):
        sign(covenant, world.signatory)
    assert sent.messages == []


# The signatory's receipt


def test_signing_emails_the_signatory_a_receipt(world, covenant, sent):
    with sent:
        sign(covenant, world.signatory)
    assert [m.to for m in sent.receipts] == [[world.signatory.email]]


def test_the_receipt_gives_the_version_and_the_hash_of_the_signed_text(world, covenant, sent):
    with sent:
        signature = sign(covenant, world.signatory)
    (receipt,) = sent.receipts
    assert f"Phiên bản văn bản: {signature.version.number}" in receipt.body
    assert signature.text_sha256 in receipt.body
    assert signature.text_sha256 in html_of(receipt)


def test_the_receipt_gives_the_time_of_signing_in_vietnam_time(world, covenant, sent):
    with clock(utc(2024, 3, 10, 20, 5, 9)), sent:
        sign(covenant, world.signatory)
    (receipt,) = sent.receipts
    assert "03:05:09 ngày 11/03/2024 (GMT+7)" in receipt.body


def test_the_receipt_links_to_the_signing_board(world, covenant, sent):
    with sent:
        sign(covenant, world.signatory)
    (receipt,) = sent.receipts
    board = django_settings.PORTAL_BASE_URL + covenant.board_url
    assert board in receipt.body
    assert f'href="{board}"' in html_of(receipt)


def test_declining_sends_no_receipt(world, covenant, sent):
    with sent:
        decline(covenant, world.signatory, reason="Chưa thống nhất.")
    assert sent.receipts == []


def test_a_paper_original_sends_no_receipt(world, covenant, signatories, sent, paper_media):
    with sent:
        services.signature_record_paper(
            covenant=refreshed(covenant),
            department=world.bacninh,
            signer_name="Nguyễn Văn Hùng",
            signer_title="Giám đốc Sở Nội vụ",
            signed_at=timezone.now(),
            scan=paper_scan(),
            by=signatories["hanoi"],
        )
    assert sent.receipts == []


# Completion


def test_completion_emails_every_member_user_and_the_reviewers(world, covenant, signatories, sent):
    for code in MEMBER_CODES[:-1]:
        sign(covenant, signatories[code])
    with sent:
        sign(covenant, signatories[MEMBER_CODES[-1]])
    completed = [m for m in sent.messages if "Tất cả thành viên đã ký" in m.subject]
    expected = emails(world.secretariat, world.staff, world.reviewer, *signatories.values())
    assert sorted(m.to[0] for m in completed) == expected


def test_completion_emails_no_one_outside_the_cluster(world, covenant, signatories, sent):
    with sent:
        for code in MEMBER_CODES:
            sign(covenant, signatories[code])
    assert world.outsider.email not in sent.recipients


def test_the_last_signature_also_tells_the_secretariat(world, covenant, signatories, sent):
    for code in MEMBER_CODES[:-1]:
        sign(covenant, signatories[code])
    with sent:
        signature = sign(covenant, signatories[MEMBER_CODES[-1]])
    subjects = [m.subject for m in sent.messages]
    assert any(f"{signature.department_name} đã ký" in s for s in subjects)


# A new version


def test_a_new_version_tells_every_signatory_to_sign_again(world, covenant, signatories, sent):
    with sent:
        services.covenant_new_version(
            covenant=refreshed(covenant), reason="Bổ sung chỉ tiêu.", by=world.secretariat
        )
    assert sent.recipients == emails(*signatories.values())
    assert "cần ký lại" in sent.messages[0].subject


def test_the_new_version_email_gives_the_reason(world, covenant, signatories, sent):
    with sent:
        services.covenant_new_version(
            covenant=refreshed(covenant),
            reason="Bổ sung chỉ tiêu chuyển đổi số.",
            by=world.secretariat,
        )
    assert "Bổ sung chỉ tiêu chuyển đổi số." in sent.messages[0].body


# Reminders


def test_reminders_email_only_the_pending_signatories(world, covenant, signatories, sent):
    sign(covenant, signatories["haiphong"])
    decline(covenant, signatories["bacninh"])
    with sent:
        services.covenant_send_reminders(covenant=refreshed(covenant), by=world.secretariat)
    assert sent.recipients == emails(signatories["hanoi"], signatories["vinhphuc"])


def test_the_reminder_is_in_vietnamese_with_an_html_alternative(world, covenant, sent):
    with sent:
        services.covenant_send_reminders(covenant=refreshed(covenant), by=world.secretariat)
    message = sent.messages[0]
    assert f"Nhắc ký {TITLE}" in message.subject
    assert "chưa ký" in html_of(message)


def test_a_second_reminder_the_same_day_sends_no_email(world, covenant, sent):
    services.covenant_send_reminders(covenant=refreshed(covenant), by=world.secretariat)
    with sent:
        services.covenant_send_reminders(covenant=refreshed(covenant), by=world.secretariat)
    assert sent.messages == []


# Delivery failures


def test_a_mail_server_failure_does_not_fail_a_recorded_signature(world, covenant, sent):
    # The signature is committed before the mail leaves: the signer must not get an error
    # for a confirmation that was in fact recorded (they would retry and be told it exists).
    failing = mock.patch.object(EmailMultiAlternatives, "send", side_effect=SMTPException("down"))
    with failing, sent:
        sign(covenant, world.signatory)
    assert Signature.objects.filter(department=world.haiphong).exists()


def test_a_mail_server_failure_for_one_recipient_still_mails_the_others(
    world, draft, signatories, sent
):
    real_send = EmailMultiAlternatives.send

    def send(message, *args, **kwargs):
        if message.to == [signatories["hanoi"].email]:
            raise SMTPException("mailbox unavailable")
        return real_send(message, *args, **kwargs)

    with mock.patch.object(EmailMultiAlternatives, "send", send), sent:
        open_covenant(draft, world.secretariat)
    assert sent.recipients == emails(
        signatories["vinhphuc"], signatories["haiphong"], signatories["bacninh"]
    )


def test_the_time_in_the_subject_of_a_reminder_is_vietnam_time(world, signatories, sent):
    with clock(utc(2024, 3, 1, 2, 0)):
        draft = draft_covenant(world, deadline=utc(2024, 3, 31, 17, 30))
        open_covenant(draft, world.secretariat)
        with sent:
            services.covenant_send_reminders(covenant=refreshed(draft), by=None)
    assert "00:30 01/04/2024 (GMT+7)" in sent.messages[0].subject
