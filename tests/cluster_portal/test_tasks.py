"""Background tasks (cluster_portal.tasks): e-mail through the outbox, retries with back-off,
failed tasks shown to the secretariat with a retry button.

Tasks run through the real database backend: ``run_worker`` runs ``manage.py db_worker``
in the test, which takes committed rows from the queue table, so these tests commit
(``transaction=True``) as the portal does. Only the mail server (``send``) is replaced, to
make it fail.
"""

import datetime
import logging
from smtplib import SMTPException
from unittest import mock

import pytest
from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from cluster_portal.mail import mail_send
from cluster_portal.models import AuditEvent, MailOutbox, TaskRetry
from cluster_portal.tasks import RETRY_SCHEDULED, mail_deliver
from tests.helpers import clock, run_worker

pytestmark = pytest.mark.django_db(transaction=True)

FAILURES_URL = reverse("task-failures")


def message(to="so@example.vn", subject="Giao ước thi đua đã được ký"):
    mail = EmailMultiAlternatives(subject, "Nội dung", "cum-thi-dua@localhost", [to])
    mail.attach_alternative("<p>Nội dung</p>", "text/html")
    return mail


def server_down():
    return mock.patch.object(
        EmailMultiAlternatives, "send", side_effect=SMTPException("máy chủ thư không trả lời")
    )


def results(**filters):
    return list(DBTaskResult.objects.filter(**filters).order_by("enqueued_at"))


def later(seconds: int) -> datetime.datetime:
    return timezone.now() + datetime.timedelta(seconds=seconds)


def fail_for_good(settings, cluster_year_id, *, subject="Thư không gửi được"):
    """A message whose every attempt fails (one attempt only); its failed task."""
    settings.TASK_MAX_ATTEMPTS = 1
    mail_send(message(subject=subject), cluster_year_id=cluster_year_id)
    with server_down():
        run_worker()
    return DBTaskResult.objects.get(status=TaskResultStatus.FAILED)


def retry_url(result) -> str:
    return reverse("task-retry", kwargs={"pk": result.id})


# E-mail: queued, sent by the worker, never twice


def test_a_queued_message_is_not_sent_before_the_worker_runs(mailoutbox):
    mail_send(message())
    assert mailoutbox == []


def test_the_worker_sends_a_queued_message(mailoutbox):
    mail_send(message())
    run_worker()
    assert [m.to for m in mailoutbox] == [["so@example.vn"]]


def test_the_message_sent_keeps_its_subject_text_and_html(mailoutbox):
    mail_send(message())
    run_worker()
    sent = mailoutbox[0]
    assert (sent.subject, sent.body, sent.alternatives[0][0]) == (
        "Giao ước thi đua đã được ký",
        "Nội dung",
        "<p>Nội dung</p>",
    )


def test_each_message_is_one_task():
    mail_send(message(to="a@example.vn"))
    mail_send(message(to="b@example.vn"))
    assert len(results(task_path="cluster_portal.tasks.mail_deliver")) == 2


def test_the_outbox_marks_a_message_sent():
    key = mail_send(message())
    run_worker()
    assert MailOutbox.objects.get(key=key).sent_at is not None


def test_a_message_is_sent_once_when_its_task_is_queued_twice(mailoutbox):
    key = mail_send(message())
    mail_deliver.enqueue(key=key, cluster_year_id=None)
    run_worker()
    assert len(mailoutbox) == 1


def test_a_message_is_sent_once_when_the_same_task_runs_again(mailoutbox):
    mail_send(message())
    run_worker()
    # A worker that died before recording the result: the task is taken again.
    DBTaskResult.objects.update(status=TaskResultStatus.READY)
    run_worker()
    assert len(mailoutbox) == 1


def test_the_second_run_of_a_sent_message_says_it_was_already_sent():
    key = mail_send(message())
    mail_deliver.enqueue(key=key, cluster_year_id=None)
    run_worker()
    assert sorted(r.return_value for r in results()) == ["already sent", "sent"]


def test_a_message_inside_a_rolled_back_transaction_is_never_queued(mailoutbox):
    from django.db import transaction

    with pytest.raises(RuntimeError), transaction.atomic():
        mail_send(message())
        raise RuntimeError
    run_worker()
    assert (MailOutbox.objects.count(), DBTaskResult.objects.count(), mailoutbox) == (0, 0, [])


# Retries with back-off


def test_a_failed_send_is_retried_later(mailoutbox):
    mail_send(message())
    with server_down():
        run_worker()
    first, second = results()
    assert first.status == TaskResultStatus.FAILED
    assert first.exception_class_path == RETRY_SCHEDULED
    assert second.status == TaskResultStatus.READY
    assert second.args_kwargs["kwargs"]["attempt"] == 2


def test_the_failed_attempt_keeps_the_cause_in_its_traceback():
    mail_send(message())
    with server_down():
        run_worker()
    assert "máy chủ thư không trả lời" in results()[0].traceback


def test_the_retry_waits_for_its_back_off(settings, mailoutbox):
    settings.TASK_RETRY_DELAY_SECONDS = 30
    mail_send(message())
    with server_down():
        run_worker()
    run_worker()
    assert mailoutbox == []
    assert results()[1].status == TaskResultStatus.READY


def test_the_retry_sends_the_message_once_its_back_off_has_passed(settings, mailoutbox):
    settings.TASK_RETRY_DELAY_SECONDS = 30
    mail_send(message())
    with server_down():
        run_worker()
    with clock(later(31)):
        run_worker()
    assert len(mailoutbox) == 1


def test_each_retry_waits_twice_as_long_as_the_one_before(settings):
    settings.TASK_RETRY_DELAY_SECONDS = 30
    mail_send(message())
    with server_down():
        run_worker()
        with clock(later(31)):
            run_worker()
    _first, second, third = results()
    assert (third.run_after - second.finished_at).total_seconds() == pytest.approx(60, abs=2)


def test_after_the_last_attempt_no_retry_is_queued(settings):
    settings.TASK_MAX_ATTEMPTS = 2
    settings.TASK_RETRY_DELAY_SECONDS = 1
    mail_send(message())
    with server_down():
        run_worker()
        with clock(later(5)):
            run_worker()
    assert [r.status for r in results()] == [TaskResultStatus.FAILED, TaskResultStatus.FAILED]
    assert results()[-1].exception_class_path == "smtplib.SMTPException"


def test_a_task_that_fails_for_good_is_logged_as_an_error(settings, caplog):
    with caplog.at_level(logging.ERROR, logger="cluster_portal.tasks"):
        fail_for_good(settings, None)
    assert any("failed for good" in r.getMessage() for r in caplog.records)


def test_a_message_that_failed_for_good_stays_unsent(settings):
    fail_for_good(settings, None)
    assert MailOutbox.objects.get().sent_at is None


# Failed tasks for the secretariat


def test_the_secretariat_sees_a_failed_task_of_its_cluster_year(client, world, settings):
    fail_for_good(settings, world.year_a.pk)
    client.force_login(world.secretariat)
    assert "Thư không gửi được" in client.get(FAILURES_URL).content.decode()


def test_the_failed_task_offers_the_retry_button(client, world, settings):
    failed = fail_for_good(settings, world.year_a.pk)
    client.force_login(world.secretariat)
    assert retry_url(failed) in client.get(FAILURES_URL).content.decode()


def test_an_attempt_that_will_be_retried_is_not_listed(client, world, mailoutbox):
    mail_send(message(subject="Thư sẽ gửi lại"), cluster_year_id=world.year_a.pk)
    with server_down():
        run_worker()
    client.force_login(world.secretariat)
    assert "Thư sẽ gửi lại" not in client.get(FAILURES_URL).content.decode()


def test_another_clusters_secretariat_does_not_see_the_failure(client, world, settings):
    fail_for_good(settings, world.year_a.pk)
    client.force_login(world.outsider)  # Quảng Ninh leads cluster B
    response = client.get(FAILURES_URL)
    assert response.status_code == 200
    assert "Thư không gửi được" not in response.content.decode()


def test_a_site_admin_sees_failures_of_every_cluster_and_of_none(client, world, settings):
    fail_for_good(settings, None, subject="Thư của cả trang")
    client.force_login(world.site_admin)
    assert "Thư của cả trang" in client.get(FAILURES_URL).content.decode()


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("secretariat", 200),
        ("signatory", 404),
        ("staff", 404),
        ("outsider", 200),  # the secretariat of another cluster: its own (empty) list
        ("reviewer", 404),
        ("site_admin", 200),
    ],
)
def test_the_failed_tasks_page_by_role(client, world, settings, role, status):
    fail_for_good(settings, world.year_a.pk)
    client.force_login(getattr(world, role))
    assert client.get(FAILURES_URL).status_code == status


def test_the_failed_tasks_page_needs_a_login(client, world, settings):
    fail_for_good(settings, world.year_a.pk)
    response = client.get(FAILURES_URL)
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_the_failed_tasks_page_costs_the_same_for_1_and_5_failures(client, world, settings):
    settings.TASK_MAX_ATTEMPTS = 1
    client.force_login(world.secretariat)

    def queries():
        client.get(FAILURES_URL)
        with CaptureQueriesContext(connection) as context:
            assert client.get(FAILURES_URL).status_code == 200
        return len(context.captured_queries)

    fail_for_good(settings, world.year_a.pk)
    small = queries()
    for n in range(4):
        mail_send(message(subject=f"Thư {n}"), cluster_year_id=world.year_a.pk)
    with server_down():
        run_worker()
    assert queries() == small


# The retry button


def test_retry_asks_for_confirmation_and_queues_nothing_on_get(client, world, settings):
    failed = fail_for_good(settings, world.year_a.pk)
    client.force_login(world.secretariat)
    response = client.get(retry_url(failed))
    assert response.status_code == 200 and 'method="post"' in response.content.decode()
    assert DBTaskResult.objects.count() == 1


def test_retry_queues_the_task_again_from_its_first_attempt(client, world, settings):
    failed = fail_for_good(settings, world.year_a.pk)
    client.force_login(world.secretariat)
    client.post(retry_url(failed))
    again = DBTaskResult.objects.get(status=TaskResultStatus.READY)
    assert again.args_kwargs["kwargs"] == {
        "key": failed.args_kwargs["kwargs"]["key"],
        "cluster_year_id": world.year_a.pk,
    }


def test_the_retried_task_sends_the_message(client, world, settings, mailoutbox):
    failed = fail_for_good(settings, world.year_a.pk)
    client.force_login(world.secretariat)
    client.post(retry_url(failed))
    run_worker()
    assert [m.subject for m in mailoutbox] == ["Thư không gửi được"]


def test_a_retried_task_leaves_the_list(client, world, settings):
    failed = fail_for_good(settings, world.year_a.pk)
    client.force_login(world.secretariat)
    response = client.post(retry_url(failed), follow=True)
    assert "Thư không gửi được" not in response.content.decode()


def test_a_retry_is_audited(client, world, settings):
    failed = fail_for_good(settings, world.year_a.pk)
    client.force_login(world.secretariat)
    client.post(retry_url(failed))
    event = AuditEvent.objects.get(action="task.retried")
    assert (event.actor, event.details["failed"]) == (world.secretariat, str(failed.id))


def test_a_second_retry_of_the_same_failure_queues_nothing(client, world, settings):
    failed = fail_for_good(settings, world.year_a.pk)
    client.force_login(world.secretariat)
    client.post(retry_url(failed))
    assert client.post(retry_url(failed)).status_code == 404
    assert TaskRetry.objects.count() == 1


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("secretariat", 302),
        ("signatory", 404),
        ("staff", 404),
        ("outsider", 404),
        ("reviewer", 403),  # reviewers change nothing: every POST is refused
        ("site_admin", 302),
    ],
)
def test_retry_by_role(client, world, settings, role, status):
    failed = fail_for_good(settings, world.year_a.pk)
    client.force_login(getattr(world, role))
    assert client.post(retry_url(failed)).status_code == status
    assert TaskRetry.objects.count() == (1 if status == 302 else 0)


def test_retry_needs_a_login(client, world, settings):
    failed = fail_for_good(settings, world.year_a.pk)
    assert client.post(retry_url(failed)).status_code == 302
    assert TaskRetry.objects.count() == 0


# mail_held_back (load_demo)


def test_mail_held_back_queues_nothing():
    from cluster_portal.mail import mail_held_back

    with mail_held_back():
        mail_send(EmailMessage("Tiêu đề", "Nội dung", to=["so@example.vn"]))
    assert (MailOutbox.objects.count(), DBTaskResult.objects.count()) == (0, 0)


# The dashboard


def test_the_secretariats_dashboard_links_to_the_failed_tasks(client, world, settings):
    fail_for_good(settings, world.year_a.pk)
    client.force_login(world.secretariat)
    html = client.get(reverse("members:dashboard")).content.decode()
    assert f'href="{FAILURES_URL}"' in html


def test_a_members_dashboard_does_not_link_to_the_failed_tasks(client, world, settings):
    fail_for_good(settings, world.year_a.pk)
    client.force_login(world.staff)
    assert FAILURES_URL not in client.get(reverse("members:dashboard")).content.decode()


def test_no_failure_no_link_on_the_dashboard(client, world):
    client.force_login(world.secretariat)
    assert FAILURES_URL not in client.get(reverse("members:dashboard")).content.decode()
