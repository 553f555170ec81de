"""Holding mail back (``cluster_portal.mail``), as ``load_demo`` does.

Messages are queued and sent by the worker (tests/cluster_portal/test_tasks.py has the
rest); ``run_worker`` runs it, so these tests commit as the portal does.
"""

import io

import pytest
from django.core import mail
from django.core.mail import EmailMessage
from django.core.management import call_command

from cluster_portal.mail import mail_held_back, mail_send
from cluster_portal.models import MailOutbox
from tests.helpers import run_worker

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_message_is_sent_outside_the_block():
    mail_send(EmailMessage("Tiêu đề", "Nội dung", to=["so@example.vn"]))
    run_worker()
    assert [m.subject for m in mail.outbox] == ["Tiêu đề"]


def test_a_message_inside_the_block_never_leaves_and_the_block_ends_cleanly():
    with mail_held_back():
        mail_send(EmailMessage("Tiêu đề", "Nội dung", to=["so@example.vn"]))
    mail_send(EmailMessage("Sau", "Nội dung", to=["so@example.vn"]))
    run_worker()
    assert [m.subject for m in mail.outbox] == ["Sau"]


def test_loading_the_demo_queues_no_mail():
    call_command("load_demo", force=True, stdout=io.StringIO())
    assert (MailOutbox.objects.count(), mail.outbox) == (0, [])
