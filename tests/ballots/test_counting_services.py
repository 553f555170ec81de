"""Closing, counting, the runoff and the vote record through the services
(ballots.services.counting); the background tasks have their own tests."""

from unittest import mock

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django_tasks_db.models import DBTaskResult

from ballots.audit import BallotAction
from ballots.crypto import paper_open
from ballots.models import Ballot, BallotPaper, VoteRecord
from ballots.services.counting import (
    ballot_close,
    ballot_count,
    runoff_create,
    vote_record_issue,
)
from cluster_portal.models import AuditEvent, DocumentNumber
from tests.helpers import (
    codes,
    counting_attend,
    counting_ballot_for,
    counting_candidate,
    counting_paper_figures,
    counting_papers_cast,
)

pytestmark = pytest.mark.django_db


def refreshed(ballot) -> Ballot:
    return Ballot.objects.get(pk=ballot.pk)


def papers_of(ballot) -> set[tuple]:
    """What the papers hold: receipt digest and opened choices, as a set."""
    return {
        (p.receipt_digest, tuple(paper_open(ballot_id=ballot.pk, sealed=p.sealed)))
        for p in BallotPaper.objects.filter(ballot=ballot)
    }


def physical_order(ballot) -> list[str]:
    """The receipt digests in the order the rows lie in the table (rowid, ctid)."""
    sql = {
        "postgresql": "SELECT receipt_digest FROM ballots_ballotpaper WHERE ballot_id = %s "
        "ORDER BY ctid",
        "sqlite": "SELECT receipt_digest FROM ballots_ballotpaper WHERE ballot_id = %s "
        "ORDER BY rowid",
    }[connection.vendor]
    with connection.cursor() as cursor:
        cursor.execute(sql, [ballot.pk])
        return [row[0] for row in cursor.fetchall()]


@pytest.fixture
def ballot(world):
    return counting_ballot_for(world.year_a, by=world.secretariat)


def closed_and_counted(ballot, by):
    ballot_close(ballot=ballot, by=by)
    return ballot_count(ballot_id=ballot.pk)


# Closing


def test_closing_an_open_ballot_closes_it(world, ballot):
    ballot_close(ballot=ballot, by=world.secretariat)
    ballot = refreshed(ballot)
    assert ballot.state == Ballot.State.CLOSED
    assert ballot.closed_at is not None
    event = AuditEvent.objects.get(action=BallotAction.BALLOT_CLOSED)
    assert event.actor == world.secretariat


@pytest.mark.parametrize("state", ["draft", "closed", "counted"])
def test_only_an_open_ballot_can_be_closed(world, state):
    fields = {"cast": 0, "valid": 0} if state == "counted" else {}
    ballot = counting_ballot_for(world.year_a, by=world.secretariat, state=state, **fields)
    with pytest.raises(ValidationError) as error:
        ballot_close(ballot=ballot, by=world.secretariat)
    assert codes(error.value) == {"not_open"}
    assert refreshed(ballot).state == state


@pytest.mark.parametrize("role", ["signatory", "staff", "reviewer", "outsider"])
def test_only_the_secretariat_closes_a_ballot(world, ballot, role):
    with pytest.raises(PermissionDenied):
        ballot_close(ballot=ballot, by=world.user(role))
    assert refreshed(ballot).state == Ballot.State.OPEN


def test_a_paper_ballot_closes_only_once_its_figures_are_entered(world):
    ballot = counting_ballot_for(world.year_a, by=world.secretariat, method="paper")
    with pytest.raises(ValidationError) as error:
        ballot_close(ballot=ballot, by=world.secretariat)
    assert codes(error.value) == {"paper_count_missing"}


def test_closing_rewrites_the_papers_with_the_same_contents_and_receipts(world, ballot):
    counting_papers_cast(ballot, [world.hanoi], [world.hanoi], [world.haiphong], [world.bacninh])
    before = papers_of(ballot)
    old_ids = set(BallotPaper.objects.values_list("id", flat=True))
    ballot_close(ballot=ballot, by=world.secretariat)
    assert papers_of(ballot) == before
    assert not old_ids & set(BallotPaper.objects.values_list("id", flat=True))


def test_closing_writes_the_papers_again_in_the_shuffled_order(world, ballot):
    counting_papers_cast(ballot, [world.hanoi], [world.vinhphuc], [world.haiphong], [world.bacninh])

    # A stand-in shuffle that puts the papers in descending order of receipt digest.
    def by_digest_descending(papers):
        papers.sort(key=lambda paper: paper[1], reverse=True)

    with mock.patch("ballots.services.counting._shuffle", side_effect=by_digest_descending):
        ballot_close(ballot=ballot, by=world.secretariat)
    assert physical_order(ballot) == sorted(physical_order(ballot), reverse=True)


def test_the_shuffle_draws_from_the_operating_system(world, ballot):
    counting_papers_cast(ballot, [world.hanoi], [world.vinhphuc])
    with mock.patch("random.SystemRandom.shuffle") as shuffle:
        ballot_close(ballot=ballot, by=world.secretariat)
    shuffle.assert_called_once()


def test_closing_queues_the_count_on_commit(world, ballot, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        ballot_close(ballot=ballot, by=world.secretariat)
    queued = DBTaskResult.objects.get(task_path="ballots.tasks.ballot_count_run")
    assert queued.args_kwargs["kwargs"] == {
        "ballot_id": ballot.pk,
        "cluster_year_id": world.year_a.pk,
    }


# Counting


def test_an_electronic_count_writes_the_totals_and_the_votes(world):
    ballot = counting_ballot_for(
        world.year_a, by=world.secretariat, blank_policy="invalid", threshold_base="valid"
    )
    counting_attend(ballot, world.hanoi, world.vinhphuc, world.haiphong, world.bacninh)
    counting_papers_cast(ballot, [world.hanoi], [world.hanoi], [world.haiphong], [])
    ballot = closed_and_counted(ballot, world.secretariat)
    assert ballot.state == Ballot.State.COUNTED
    assert (ballot.eligible, ballot.present, ballot.issued) == (4, 4, 4)
    assert (ballot.cast, ballot.valid, ballot.invalid) == (4, 3, 1)
    assert ballot.quorum_met and not ballot.has_tie
    hanoi = counting_candidate(ballot, world.hanoi)
    assert (hanoi.votes, str(hanoi.share), hanoi.reached_threshold, hanoi.chosen) == (
        2,
        "66.67",
        True,
        True,
    )
    assert counting_candidate(ballot, world.haiphong).votes == 1
    assert counting_candidate(ballot, world.vinhphuc).votes == 0


def test_the_count_marks_each_paper_valid_or_invalid(world):
    ballot = counting_ballot_for(world.year_a, by=world.secretariat, blank_policy="invalid")
    counting_papers_cast(ballot, [world.hanoi], [world.hanoi, world.haiphong], [999])
    closed_and_counted(ballot, world.secretariat)
    assert sorted(BallotPaper.objects.values_list("valid", flat=True)) == [False, False, True]


def test_departments_that_voted_count_as_present_even_if_not_on_the_attendance_list(world):
    ballot = counting_ballot_for(world.year_a, by=world.secretariat)
    counting_attend(ballot, world.hanoi)
    counting_papers_cast(ballot, [world.hanoi], [world.hanoi], [world.vinhphuc])
    assert closed_and_counted(ballot, world.secretariat).present == 3


def test_below_the_quorum_the_count_chooses_nobody(world):
    ballot = counting_ballot_for(world.year_a, by=world.secretariat, threshold_base="valid")
    counting_papers_cast(ballot, [world.hanoi])  # 1 of 4 members: below 50%
    ballot = closed_and_counted(ballot, world.secretariat)
    assert ballot.quorum_met is False
    assert not ballot.candidates.filter(chosen=True).exists()


def test_a_paper_count_is_made_from_the_committee_s_figures(world):
    ballot = counting_ballot_for(world.year_a, by=world.secretariat, method="paper")
    counting_paper_figures(
        ballot,
        issued=4,
        returned=4,
        valid=3,
        invalid=1,
        votes={world.hanoi: 3, world.vinhphuc: 0},
        by=world.secretariat,
    )
    ballot = closed_and_counted(ballot, world.secretariat)
    assert (ballot.issued, ballot.cast, ballot.valid, ballot.invalid) == (4, 4, 3, 1)
    hanoi = counting_candidate(ballot, world.hanoi)
    assert (hanoi.votes, str(hanoi.share), hanoi.chosen) == (3, "75.00", True)


def test_a_paper_count_whose_votes_exceed_the_valid_ballots_is_refused(world):
    ballot = counting_ballot_for(world.year_a, by=world.secretariat, method="paper")
    counting_paper_figures(
        ballot,
        issued=4,
        returned=4,
        valid=2,
        invalid=2,
        votes={world.hanoi: 2, world.vinhphuc: 1},
        by=world.secretariat,
    )
    ballot_close(ballot=ballot, by=world.secretariat)
    with pytest.raises(ValidationError) as error:
        ballot_count(ballot_id=ballot.pk)
    assert codes(error.value) == {"tally"}
    assert "3 votes in all" in error.value.messages[0]
    assert refreshed(ballot).state == Ballot.State.CLOSED


def test_counting_twice_counts_once(world, ballot):
    counting_papers_cast(ballot, [world.hanoi], [world.hanoi], [world.vinhphuc])
    closed_and_counted(ballot, world.secretariat)
    again = ballot_count(ballot_id=ballot.pk)
    assert again.state == Ballot.State.COUNTED
    assert counting_candidate(ballot, world.hanoi).votes == 2
    assert AuditEvent.objects.filter(action=BallotAction.BALLOT_COUNTED).count() == 1


def test_an_open_ballot_is_not_counted(world, ballot):
    with pytest.raises(ValidationError) as error:
        ballot_count(ballot_id=ballot.pk)
    assert codes(error.value) == {"not_closed"}


def test_papers_that_are_not_as_many_as_the_voters_stop_the_count(world, ballot):
    counting_papers_cast(ballot, [world.hanoi], [world.vinhphuc])
    ballot_close(ballot=ballot, by=world.secretariat)
    BallotPaper.objects.filter(pk=BallotPaper.objects.first().pk).delete()
    with pytest.raises(ValidationError) as error:
        ballot_count(ballot_id=ballot.pk)
    assert codes(error.value) == {"roll_mismatch"}


# The runoff


@pytest.fixture
def tied(world):
    """Hà Nội and Hải Phòng 2 votes each of 4 on a ballot counted on the valid ballots
    with a 40% threshold: both reach it, neither is chosen."""
    ballot = counting_ballot_for(
        world.year_a, by=world.secretariat, threshold_base="valid", threshold_percent=40
    )
    counting_papers_cast(ballot, [world.hanoi], [world.hanoi], [world.haiphong], [world.haiphong])
    return closed_and_counted(ballot, world.secretariat)


def test_a_tie_at_the_cut_is_recorded_and_nobody_is_chosen(world, tied):
    assert tied.has_tie
    assert not tied.candidates.filter(chosen=True).exists()


def test_a_runoff_is_a_draft_among_the_tied_candidates(world, tied):
    runoff = runoff_create(ballot=tied, by=world.secretariat)
    assert runoff.state == Ballot.State.DRAFT
    assert runoff.runoff_of == tied
    departments = [c.membership.department for c in runoff.candidates.all()]
    assert sorted(departments, key=lambda d: d.pk) == sorted(
        [world.hanoi, world.haiphong], key=lambda d: d.pk
    )
    assert (runoff.min_choices, runoff.max_choices) == (1, 1)
    assert runoff.threshold_base == "valid"
    assert AuditEvent.objects.filter(action=BallotAction.RUNOFF_CREATED).count() == 1


def test_a_ballot_has_one_runoff(world, tied):
    runoff_create(ballot=tied, by=world.secretariat)
    with pytest.raises(ValidationError) as error:
        runoff_create(ballot=tied, by=world.secretariat)
    assert codes(error.value) == {"runoff_exists"}
    assert Ballot.objects.filter(runoff_of=tied).count() == 1


def test_a_ballot_without_a_tie_has_no_runoff(world, ballot):
    counting_papers_cast(ballot, [world.hanoi], [world.hanoi], [world.hanoi])
    ballot = closed_and_counted(ballot, world.secretariat)
    with pytest.raises(ValidationError) as error:
        runoff_create(ballot=ballot, by=world.secretariat)
    assert codes(error.value) == {"no_tie"}


@pytest.mark.parametrize("role", ["signatory", "staff", "reviewer"])
def test_only_the_secretariat_creates_a_runoff(world, tied, role):
    with pytest.raises(PermissionDenied):
        runoff_create(ballot=tied, by=world.user(role))
    assert not Ballot.objects.filter(runoff_of=tied).exists()


# The vote record


def test_the_vote_record_takes_the_cluster_s_next_bb_number(world, ballot):
    counting_papers_cast(ballot, [world.hanoi], [world.hanoi], [world.vinhphuc])
    closed_and_counted(ballot, world.secretariat)
    record = vote_record_issue(ballot_id=ballot.pk)
    assert record.number == "01/BB-CTĐ"
    assert DocumentNumber.objects.get().issuer == world.cluster_a.code
    assert record.size == len(record.file.read())


def test_the_vote_record_is_issued_once(world, ballot):
    counting_papers_cast(ballot, [world.hanoi], [world.hanoi], [world.vinhphuc])
    closed_and_counted(ballot, world.secretariat)
    first = vote_record_issue(ballot_id=ballot.pk)
    assert vote_record_issue(ballot_id=ballot.pk) == first
    assert VoteRecord.objects.count() == 1
    assert DocumentNumber.objects.count() == 1


def test_no_vote_record_before_the_count(world, ballot):
    with pytest.raises(ValidationError) as error:
        vote_record_issue(ballot_id=ballot.pk)
    assert codes(error.value) == {"not_counted"}
    assert not DocumentNumber.objects.exists()
