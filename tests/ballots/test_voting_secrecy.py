"""Secrecy by design, read from the database: after several votes, every row the votes
wrote (roll, papers, audit trail, mail outbox, notifications) is read back, and nothing in
them links a paper to a voter; the papers cannot be read without BALLOT_KEY."""

import json
import uuid

import pytest
from cryptography.exceptions import InvalidTag
from django.db import models

from ballots.crypto import paper_open
from ballots.models import BallotPaper, BallotVoter
from cluster_portal.models import AuditEvent, MailOutbox
from members.models import Notification
from tests.factories import UserFactory
from tests.helpers import ballot_candidate, ballot_open_for, ballot_vote_as

pytestmark = pytest.mark.django_db


@pytest.fixture
def voted(world, tasks_run_at_once):
    """Three departments vote on a ballot, each for someone else; the receipt codes."""
    ballot = ballot_open_for(world.year_a, created_by=world.secretariat)
    hanoi = UserFactory(department=world.hanoi, signatory=True)
    bacninh = UserFactory(department=world.bacninh, signatory=True)
    before = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0
    receipts = [
        ballot_vote_as(ballot, world.signatory, world.hanoi),
        ballot_vote_as(ballot, hanoi, world.vinhphuc),
        ballot_vote_as(ballot, bacninh, world.vinhphuc),
    ]
    return ballot, receipts, before


def rows(model, **filters) -> list[dict]:
    return list(model.objects.filter(**filters).values())


def everything_written(ballot, since_event: int) -> str:
    """Every row the votes wrote outside the papers, as one text to search."""
    written = {
        "voters": rows(BallotVoter, ballot=ballot),
        "audit": rows(AuditEvent, id__gt=since_event),
        "mail": rows(MailOutbox),
        "notifications": rows(Notification),
    }
    return json.dumps(written, default=str)


def test_the_roll_has_only_ballot_department_and_who_cast_it(voted):
    ballot, _receipts, _before = voted
    assert {tuple(sorted(row)) for row in rows(BallotVoter, ballot=ballot)} == {
        ("ballot_id", "cast_by_id", "id", "membership_id")
    }


def test_a_paper_has_only_its_random_id_ballot_sealed_contents_digest_and_validity(voted):
    ballot, _receipts, _before = voted
    assert {tuple(sorted(row)) for row in rows(BallotPaper, ballot=ballot)} == {
        ("ballot_id", "id", "receipt_digest", "sealed", "valid")
    }


def test_no_column_of_a_paper_is_a_time_a_sequence_or_a_reference_other_than_the_ballot():
    for field in BallotPaper._meta.concrete_fields:
        assert not isinstance(field, models.DateTimeField | models.DateField | models.AutoField)
        if field.is_relation:
            assert field.name == "ballot"


def test_the_roll_does_not_point_at_papers_nor_the_papers_at_the_roll():
    voter_targets = {f.related_model for f in BallotVoter._meta.concrete_fields if f.is_relation}
    paper_targets = {f.related_model for f in BallotPaper._meta.concrete_fields if f.is_relation}
    assert BallotPaper not in voter_targets and BallotVoter not in paper_targets
    assert not any(
        f.is_relation and f.related_model is BallotVoter for f in BallotPaper._meta.get_fields()
    )


def test_the_papers_ids_are_random_uuids(voted):
    ballot, _receipts, _before = voted
    ids = [paper["id"] for paper in rows(BallotPaper, ballot=ballot)]
    assert len(ids) == 3 and all(isinstance(pk, uuid.UUID) and pk.version == 4 for pk in ids)


def test_no_paper_value_appears_in_any_other_row_the_votes_wrote(voted):
    ballot, _receipts, before = voted
    written = everything_written(ballot, before)
    for paper in rows(BallotPaper, ballot=ballot):
        assert str(paper["id"]) not in written
        assert str(paper["id"]).replace("-", "") not in written
        assert paper["receipt_digest"] not in written


def test_no_receipt_code_is_stored_anywhere(voted):
    ballot, receipts, before = voted
    written = everything_written(ballot, before) + json.dumps(
        rows(BallotPaper, ballot=ballot), default=str
    )
    for code in receipts:
        assert code not in written and code.replace("-", "") not in written


def test_the_audit_trail_of_the_votes_names_departments_and_never_a_candidate(world, voted):
    ballot, _receipts, before = voted
    events = rows(AuditEvent, id__gt=before)
    assert sorted(json.dumps(event["details"]) for event in events) == sorted(
        json.dumps({"department": name})
        for name in (
            "Sở Nội vụ thành phố Hải Phòng",
            "Sở Nội vụ thành phố Hà Nội",
            "Sở Nội vụ tỉnh Bắc Ninh",
        )
    )
    assert {event["target_id"] for event in events} == {str(ballot.pk)}


def test_the_sealed_contents_do_not_show_the_chosen_candidates(world, voted):
    ballot, _receipts, _before = voted
    for paper in BallotPaper.objects.filter(ballot=ballot):
        sealed = bytes(paper.sealed)
        for dept in (world.hanoi, world.vinhphuc):
            assert f"[{ballot_candidate(ballot, dept).pk}]".encode() not in sealed


def test_every_paper_has_the_same_sealed_length_whatever_was_chosen(world, voted):
    ballot, _receipts, _before = voted
    assert len({len(bytes(p.sealed)) for p in BallotPaper.objects.filter(ballot=ballot)}) == 1


def test_the_papers_open_with_the_key_into_the_votes_cast(world, voted):
    ballot, _receipts, _before = voted
    opened = sorted(
        paper_open(ballot_id=ballot.pk, sealed=p.sealed)[0]
        for p in BallotPaper.objects.filter(ballot=ballot)
    )
    hanoi, vinhphuc = (ballot_candidate(ballot, d).pk for d in (world.hanoi, world.vinhphuc))
    assert opened == sorted([hanoi, vinhphuc, vinhphuc])


def test_the_papers_cannot_be_opened_with_another_ballot_key(voted, settings):
    ballot, _receipts, _before = voted
    settings.BALLOT_KEY = "a-different-key-on-the-database-host"
    for paper in BallotPaper.objects.filter(ballot=ballot):
        with pytest.raises(InvalidTag):
            paper_open(ballot_id=ballot.pk, sealed=paper.sealed)
