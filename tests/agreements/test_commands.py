"""Management commands: ``verify_audit`` (and ``send_reminders``, the daily job)."""

import hashlib
import io

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django_tasks_db.models import DBTaskResult

from agreements.models import CovenantDocument, Reminder
from cluster_portal.audit import audit_key_id
from cluster_portal.models import AuditEvent
from tests.helpers import clock, run_worker, sign, utc

pytestmark = pytest.mark.django_db

TABLE = AuditEvent._meta.db_table
REMINDERS_TASK = "agreements.tasks.reminders_send"


def raw(sql: str, params=()):
    with connection.cursor() as cursor:
        cursor.execute(sql.format(table=connection.ops.quote_name(TABLE)), params)


def verify() -> str:
    out = io.StringIO()
    call_command("verify_audit", stdout=out)
    return out.getvalue()


def events() -> list[AuditEvent]:
    return list(AuditEvent.objects.order_by("id"))


# verify_audit


def test_verify_audit_reports_an_intact_chain(signed_covenant):
    assert "Audit chain intact" in verify()


def test_verify_audit_counts_the_events_checked(signed_covenant):
    assert f"{len(events())} events" in verify()


def test_verify_audit_says_which_hmac_key_it_used(signed_covenant):
    assert f"HMAC key id: {audit_key_id()}" in verify()


def test_verify_audit_refuses_events_hashed_with_a_key_it_lacks(signed_covenant, settings):
    settings.AUDIT_HMAC_KEY = "khóa của một máy chủ khác"
    with pytest.raises(CommandError, match="no such key"):
        verify()


def test_verify_audit_names_the_changed_event(signed_covenant):
    tampered = events()[3]
    raw("UPDATE {table} SET action = %s WHERE id = %s", ["signature.declined", tampered.pk])
    with pytest.raises(CommandError, match=f"event #{tampered.pk} "):
        verify()


def test_verify_audit_says_the_changed_event_does_not_match_its_hash(signed_covenant):
    raw("UPDATE {table} SET user_agent = %s WHERE id = %s", ["forged", events()[2].pk])
    with pytest.raises(CommandError, match="does not match its hash"):
        verify()


def test_verify_audit_names_the_event_after_a_removed_one(signed_covenant):
    chain = events()
    raw("DELETE FROM {table} WHERE id = %s", [chain[2].pk])
    with pytest.raises(CommandError, match=f"event #{chain[3].pk} "):
        verify()


def test_verify_audit_reports_removed_newest_events(signed_covenant):
    raw("DELETE FROM {table} WHERE id = %s", [events()[-1].pk])
    with pytest.raises(CommandError, match="after the last stored event"):
        verify()


# send_reminders: the command queues the reminders task; the worker sends them.


def send_reminders() -> str:
    out = io.StringIO()
    call_command("send_reminders", stdout=out)
    return out.getvalue()


def reminders_sent() -> int:
    """Run the command and then the worker; how many reminders the task sent."""
    send_reminders()
    run_worker()
    return DBTaskResult.objects.filter(task_path=REMINDERS_TASK).latest("finished_at").return_value


def test_send_reminders_only_queues_the_task(covenant, mailoutbox):
    assert "Reminders queued" in send_reminders()
    queued = DBTaskResult.objects.get(task_path=REMINDERS_TASK)
    assert (queued.status, mailoutbox, Reminder.objects.count()) == ("READY", [], 0)


@pytest.mark.django_db(transaction=True)
def test_send_reminders_reminds_every_pending_signatory_of_an_open_covenant(covenant):
    assert reminders_sent() == 4


@pytest.mark.django_db(transaction=True)
def test_send_reminders_emails_the_pending_signatories(covenant, signatories, mailoutbox):
    run_worker()  # the e-mail that the covenant is open
    mailoutbox.clear()
    reminders_sent()
    assert sorted(m.to[0] for m in mailoutbox) == sorted(u.email for u in signatories.values())


@pytest.mark.django_db(transaction=True)
def test_send_reminders_run_twice_a_day_sends_nothing_the_second_time(covenant):
    reminders_sent()
    assert reminders_sent() == 0


@pytest.mark.django_db(transaction=True)
def test_send_reminders_sends_again_the_next_day(covenant):
    with clock(utc(2024, 3, 10, 1, 0)):
        reminders_sent()
    with clock(utc(2024, 3, 11, 1, 0)):
        assert reminders_sent() == 4


@pytest.mark.django_db(transaction=True)
def test_send_reminders_leaves_out_departments_that_responded(world, covenant):
    sign(covenant, world.signatory)
    assert reminders_sent() == 3


@pytest.mark.django_db(transaction=True)
def test_send_reminders_leaves_drafts_alone(draft):
    assert reminders_sent() == 0


@pytest.mark.django_db(transaction=True)
def test_send_reminders_leaves_fully_signed_covenants_alone(signed_covenant):
    assert reminders_sent() == 0


# export_covenant


def export(covenant, output) -> str:
    out = io.StringIO()
    year = covenant.cluster_year
    call_command(
        "export_covenant",
        cluster=year.cluster.code,
        year=year.year,
        output=str(output),
        stdout=out,
    )
    return out.getvalue()


def test_export_covenant_writes_the_issued_pdf_and_prints_its_sha256(signed_covenant, tmp_path):
    printed = export(signed_covenant, tmp_path / "giao-uoc.pdf")
    data = (tmp_path / "giao-uoc.pdf").read_bytes()
    document = CovenantDocument.objects.get(covenant=signed_covenant)
    assert hashlib.sha256(data).hexdigest() == document.sha256
    assert printed.startswith(document.sha256)
    assert "(issued)" in printed


def test_export_covenant_writes_a_draft_before_the_covenant_is_fully_signed(covenant, tmp_path):
    printed = export(covenant, tmp_path / "du-thao.pdf")
    assert (tmp_path / "du-thao.pdf").read_bytes().startswith(b"%PDF-")
    assert "(draft)" in printed
    assert not CovenantDocument.objects.exists()


def test_export_covenant_names_a_missing_covenant(world, tmp_path):
    with pytest.raises(CommandError, match="No covenant for cluster"):
        call_command("export_covenant", cluster="khong-co", year=2024, output=str(tmp_path / "x"))
