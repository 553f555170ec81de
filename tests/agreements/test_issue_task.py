"""The final covenant PDF is issued by a background task (agreements.tasks.covenant_issue),
not by the request of the last signatory.

Tasks run through the real database backend (``run_worker`` runs ``manage.py db_worker``),
so these tests commit (``transaction=True``) as the portal does.
"""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from agreements.models import Covenant, CovenantDocument
from agreements.tasks import covenant_issue
from tests.factories import PASSWORD
from tests.helpers import MEMBER_CODES, clock, refreshed, run_worker, sign, vi

pytestmark = pytest.mark.django_db(transaction=True)

ISSUE_TASK = "agreements.tasks.covenant_issue"


def sign_last_through_the_page(client, covenant, signatories):
    """Every member but the last signs through the services; the last through the page."""
    for code in MEMBER_CODES[:-1]:
        sign(covenant, signatories[code])
    client.force_login(signatories[MEMBER_CODES[-1]])
    year = covenant.cluster_year
    return client.post(
        reverse("agreements:covenant-sign", kwargs={"code": year.cluster.code, "year": year.year}),
        {"confirm": "on", "password": PASSWORD},
    )


def page(client, covenant) -> str:
    return client.get(covenant.get_absolute_url()).content.decode()


def test_the_last_signature_returns_before_the_pdf_is_issued(client, covenant, signatories):
    response = sign_last_through_the_page(client, covenant, signatories)
    assert response.status_code == 302
    assert refreshed(covenant).state == Covenant.State.SIGNED
    assert not CovenantDocument.objects.exists()


def test_the_last_signature_queues_the_issue_task(client, covenant, signatories):
    sign_last_through_the_page(client, covenant, signatories)
    queued = DBTaskResult.objects.get(task_path=ISSUE_TASK)
    assert queued.status == TaskResultStatus.READY
    assert queued.args_kwargs["kwargs"] == {
        "covenant_id": covenant.pk,
        "cluster_year_id": covenant.cluster_year_id,
    }


def test_the_worker_issues_the_document(client, covenant, signatories):
    sign_last_through_the_page(client, covenant, signatories)
    run_worker()
    document = CovenantDocument.objects.get(covenant=covenant)
    assert DBTaskResult.objects.get(task_path=ISSUE_TASK).return_value == str(document.identifier)


def test_the_covenant_page_says_the_pdf_is_being_prepared(client, covenant, signatories):
    sign_last_through_the_page(client, covenant, signatories)
    assert 'class="alert alert-info document-pending"' in page(client, covenant)


def test_the_covenant_page_offers_the_sealed_pdf_once_issued(client, covenant, signatories):
    sign_last_through_the_page(client, covenant, signatories)
    run_worker()
    html = page(client, covenant)
    assert vi("Signed PDF (sealed)") in html
    assert "document-pending" not in html


def test_a_download_before_the_worker_runs_issues_the_document_on_demand(
    client, covenant, signatories
):
    sign_last_through_the_page(client, covenant, signatories)
    year = covenant.cluster_year
    url = reverse("agreements:covenant-pdf", kwargs={"code": year.cluster.code, "year": year.year})
    response = client.get(url)
    assert response["Content-Type"] == "application/pdf"
    assert CovenantDocument.objects.filter(covenant=covenant).count() == 1


def test_the_task_after_an_on_demand_issue_keeps_that_document(client, covenant, signatories):
    sign_last_through_the_page(client, covenant, signatories)
    year = covenant.cluster_year
    client.get(
        reverse("agreements:covenant-pdf", kwargs={"code": year.cluster.code, "year": year.year})
    )
    first = CovenantDocument.objects.get()
    run_worker()
    assert list(CovenantDocument.objects.values_list("identifier", flat=True)) == [first.identifier]


def test_issuing_twice_leaves_one_document(client, covenant, signatories):
    sign_last_through_the_page(client, covenant, signatories)
    covenant_issue.enqueue(covenant_id=covenant.pk, cluster_year_id=covenant.cluster_year_id)
    run_worker()
    assert CovenantDocument.objects.count() == 1
    returned = {r.return_value for r in DBTaskResult.objects.filter(task_path=ISSUE_TASK)}
    assert returned == {str(CovenantDocument.objects.get().identifier)}


def test_a_failing_issue_is_retried_and_issues_once_it_can(covenant, signatories, settings):
    settings.TASK_RETRY_DELAY_SECONDS = 30
    # Queued too early (the covenant is not fully signed yet): the task fails.
    covenant_issue.enqueue(covenant_id=covenant.pk, cluster_year_id=covenant.cluster_year_id)
    run_worker()
    assert not CovenantDocument.objects.exists()
    for code in MEMBER_CODES:
        sign(covenant, signatories[code])
    with clock(timezone.now() + datetime.timedelta(seconds=31)):
        run_worker()
    assert CovenantDocument.objects.filter(covenant=covenant).count() == 1


def test_an_issue_that_fails_for_good_shows_up_for_the_secretariat(
    client, world, covenant, settings
):
    settings.TASK_MAX_ATTEMPTS = 1
    covenant_issue.enqueue(covenant_id=covenant.pk, cluster_year_id=covenant.cluster_year_id)
    run_worker()
    client.force_login(world.secretariat)
    html = client.get(reverse("task-failures")).content.decode()
    assert vi("Issue the sealed PDF of the covenant") in html
    assert vi("The covenant is not fully signed yet.") in html


def test_the_retry_button_issues_the_document(client, world, covenant, signatories, settings):
    settings.TASK_MAX_ATTEMPTS = 1
    covenant_issue.enqueue(covenant_id=covenant.pk, cluster_year_id=covenant.cluster_year_id)
    run_worker()
    failed = DBTaskResult.objects.get(task_path=ISSUE_TASK, status=TaskResultStatus.FAILED)
    for code in MEMBER_CODES:
        sign(covenant, signatories[code])
    DBTaskResult.objects.filter(task_path=ISSUE_TASK, status=TaskResultStatus.READY).delete()
    client.force_login(world.secretariat)
    client.post(reverse("task-retry", kwargs={"pk": failed.id}))
    run_worker()
    assert CovenantDocument.objects.filter(covenant=covenant).count() == 1
