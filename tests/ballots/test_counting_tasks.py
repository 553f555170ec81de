"""Counting and the vote record run as background tasks (ballots.tasks), queued when the
secretariat closes a ballot, not in its request.

Tasks run through the real database backend (``run_worker`` runs ``manage.py db_worker``),
so these tests commit (``transaction=True``) as the portal does.
"""

import pytest
from django.urls import reverse
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from ballots.audit import BallotAction
from ballots.models import Ballot, VoteRecord
from ballots.tasks import ballot_count_run, vote_record_run
from cluster_portal.models import AuditEvent, DocumentNumber
from tests.helpers import (
    counting_ballot_for,
    counting_candidate,
    counting_paper_figures,
    counting_papers_cast,
    run_worker,
)

pytestmark = [
    pytest.mark.django_db(transaction=True),
]

COUNT_TASK = "ballots.tasks.ballot_count_run"
RECORD_TASK = "ballots.tasks.vote_record_run"


def close_through_the_page(client, world, ballot):
    client.force_login(world.secretariat)
    response = client.post(reverse("ballots:ballot-close", kwargs={"pk": ballot.pk}))
    assert response.status_code == 302


def page(client, ballot) -> str:
    return client.get(ballot.get_absolute_url()).content.decode()


@pytest.fixture
def electronic(world):
    ballot = counting_ballot_for(world.year_a, by=world.secretariat)
    counting_papers_cast(ballot, [world.hanoi], [world.hanoi], [world.hanoi], [world.vinhphuc])
    return ballot


@pytest.fixture
def paper(world):
    ballot = counting_ballot_for(world.year_a, by=world.secretariat, method="paper")
    counting_paper_figures(
        ballot,
        issued=4,
        returned=4,
        valid=4,
        invalid=0,
        votes={world.hanoi: 1, world.vinhphuc: 3},
        by=world.secretariat,
    )
    return ballot


def test_closing_returns_before_the_count(client, world, electronic):
    close_through_the_page(client, world, electronic)
    assert Ballot.objects.get(pk=electronic.pk).state == Ballot.State.CLOSED
    queued = DBTaskResult.objects.get(task_path=COUNT_TASK)
    assert queued.status == TaskResultStatus.READY
    assert queued.args_kwargs["kwargs"] == {
        "ballot_id": electronic.pk,
        "cluster_year_id": world.year_a.pk,
    }


def test_the_page_says_being_counted_until_the_worker_has_counted(client, world, electronic):
    close_through_the_page(client, world, electronic)
    assert "count-pending" in page(client, electronic)
    run_worker()
    html = page(client, electronic)
    assert "count-pending" not in html
    assert "count-table" in html


def test_the_worker_counts_an_electronic_ballot_and_issues_its_record(client, world, electronic):
    close_through_the_page(client, world, electronic)
    run_worker()
    ballot = Ballot.objects.get(pk=electronic.pk)
    assert ballot.state == Ballot.State.COUNTED
    assert (ballot.cast, ballot.valid, ballot.invalid) == (4, 4, 0)
    hanoi = counting_candidate(ballot, world.hanoi)
    assert (hanoi.votes, hanoi.chosen) == (3, True)
    record = VoteRecord.objects.get(ballot=ballot)
    assert record.number == "01/BB-CTĐ"
    assert DBTaskResult.objects.get(task_path=RECORD_TASK).return_value == record.number
    assert url_of_record(ballot) in page(client, ballot)


def url_of_record(ballot) -> str:
    return reverse("ballots:ballot-record", kwargs={"pk": ballot.pk})


def test_the_worker_counts_a_paper_ballot_from_its_figures(client, world, paper):
    close_through_the_page(client, world, paper)
    run_worker()
    ballot = Ballot.objects.get(pk=paper.pk)
    assert ballot.state == Ballot.State.COUNTED
    assert (ballot.issued, ballot.cast, ballot.valid) == (4, 4, 4)
    vinhphuc = counting_candidate(ballot, world.vinhphuc)
    assert (vinhphuc.votes, str(vinhphuc.share), vinhphuc.chosen) == (3, "75.00", True)
    assert VoteRecord.objects.filter(ballot=ballot).count() == 1


def test_running_the_tasks_twice_leaves_one_result_and_one_record(client, world, electronic):
    close_through_the_page(client, world, electronic)
    ballot_count_run.enqueue(ballot_id=electronic.pk, cluster_year_id=world.year_a.pk)
    run_worker()
    ballot_count_run.enqueue(ballot_id=electronic.pk, cluster_year_id=world.year_a.pk)
    vote_record_run.enqueue(ballot_id=electronic.pk, cluster_year_id=world.year_a.pk)
    run_worker()
    assert not DBTaskResult.objects.exclude(status=TaskResultStatus.SUCCESSFUL).exists()
    assert AuditEvent.objects.filter(action=BallotAction.BALLOT_COUNTED).count() == 1
    assert VoteRecord.objects.filter(ballot=electronic).count() == 1
    assert DocumentNumber.objects.count() == 1
    assert counting_candidate(electronic, world.hanoi).votes == 3
