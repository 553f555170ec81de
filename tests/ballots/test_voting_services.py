"""Casting a vote (ballots.services.voting): one paper and one roll entry per department,
every refusal with its own code and nothing stored, and the receipt check."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from ballots.audit import BallotAction
from ballots.crypto import paper_open
from ballots.models import Ballot, BallotPaper, BallotVoter
from ballots.services.voting import ballot_vote, receipt_check
from cluster_portal.models import AuditEvent
from tests.factories import PASSWORD, UserFactory
from tests.helpers import ballot_candidate, ballot_open_for, ballot_vote_as, codes

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    """Messages as written in the code, whatever language an earlier test left active."""
    with translation.override("en"):
        yield


@pytest.fixture
def ballot(world):
    return ballot_open_for(world.year_a, created_by=world.secretariat)


def stored(ballot) -> tuple[int, int]:
    return BallotVoter.objects.filter(ballot=ballot).count(), BallotPaper.objects.filter(
        ballot=ballot
    ).count()


def refusal_code(call) -> str:
    with pytest.raises(ValidationError) as caught:
        call()
    return codes(caught.value).pop()


def test_a_vote_writes_one_roll_entry_and_one_paper(world, ballot):
    ballot_vote_as(ballot, world.signatory, world.hanoi)
    assert stored(ballot) == (1, 1)


def test_the_paper_holds_the_chosen_candidate_sealed(world, ballot):
    ballot_vote_as(ballot, world.signatory, world.hanoi)
    paper = BallotPaper.objects.get(ballot=ballot)
    assert paper_open(ballot_id=ballot.pk, sealed=paper.sealed) == [
        ballot_candidate(ballot, world.hanoi).pk
    ]


def test_the_roll_names_the_department_and_who_cast_the_vote(world, ballot):
    ballot_vote_as(ballot, world.signatory, world.hanoi)
    voter = BallotVoter.objects.get(ballot=ballot)
    assert (voter.membership.department, voter.cast_by) == (world.haiphong, world.signatory)


def test_the_receipt_code_is_returned_and_only_its_keyed_hash_is_stored(world, ballot):
    code = ballot_vote_as(ballot, world.signatory, world.hanoi)
    paper = BallotPaper.objects.get(ballot=ballot)
    assert len(code) == 14 and code.replace("-", "") not in paper.receipt_digest


def test_the_audit_event_says_the_department_voted_and_nothing_of_the_choice(world, ballot):
    ballot_vote_as(ballot, world.signatory, world.hanoi)
    event = AuditEvent.objects.get(action=BallotAction.BALLOT_VOTED)
    assert event.details == {"department": "Sở Nội vụ thành phố Hải Phòng"}


def test_voting_twice_is_refused_and_keeps_one_paper(world, ballot):
    ballot_vote_as(ballot, world.signatory, world.hanoi)
    second = refusal_code(lambda: ballot_vote_as(ballot, world.signatory, world.vinhphuc))
    assert (second, stored(ballot)) == ("already_voted", (1, 1))


def test_a_second_signatory_of_the_same_department_is_refused(world, ballot):
    ballot_vote_as(ballot, world.signatory, world.hanoi)
    colleague = UserFactory(department=world.haiphong, signatory=True)
    second = refusal_code(lambda: ballot_vote_as(ballot, colleague, world.vinhphuc))
    assert (second, stored(ballot)) == ("already_voted", (1, 1))


@pytest.mark.parametrize(
    ("state", "code"), [("closed", "closed"), ("counted", "closed"), ("draft", "not_open")]
)
def test_voting_on_a_ballot_that_is_not_open_is_refused(world, state, code):
    fields = {"cast": 0, "valid": 0} if state == "counted" else {}
    ballot = ballot_open_for(world.year_a, created_by=world.secretariat, state=state, **fields)
    refused = refusal_code(lambda: ballot_vote_as(ballot, world.signatory, world.hanoi))
    assert (refused, stored(ballot)) == (code, (0, 0))


def test_voting_for_a_non_candidate_is_refused(world):
    ballot = ballot_open_for(
        world.year_a, created_by=world.secretariat, candidates=[world.hanoi, world.vinhphuc]
    )
    other = ballot_open_for(world.year_a, created_by=world.secretariat)
    stranger = ballot_candidate(other, world.bacninh).pk
    refused = refusal_code(
        lambda: ballot_vote(
            ballot=ballot,
            user=world.signatory,
            choices=[stranger],
            password=PASSWORD,
            confirmed=True,
        )
    )
    assert (refused, stored(ballot)) == ("not_candidate", (0, 0))


def test_too_many_choices_are_refused_with_the_numbers(world, ballot):
    with pytest.raises(ValidationError) as caught:
        ballot_vote_as(ballot, world.signatory, world.hanoi, world.vinhphuc)
    assert codes(caught.value) == {"too_many"}
    assert "at most 1 candidate; you chose 2" in caught.value.message_dict["choices"][0]
    assert stored(ballot) == (0, 0)


def test_too_few_choices_are_refused_with_the_numbers(world):
    ballot = ballot_open_for(
        world.year_a, created_by=world.secretariat, min_choices=2, max_choices=3
    )
    with pytest.raises(ValidationError) as caught:
        ballot_vote_as(ballot, world.signatory, world.hanoi)
    assert codes(caught.value) == {"too_few"}
    assert "at least 2 candidates; you chose 1" in caught.value.message_dict["choices"][0]
    assert stored(ballot) == (0, 0)


def test_a_blank_ballot_is_refused(world, ballot):
    refused = refusal_code(lambda: ballot_vote_as(ballot, world.signatory))
    assert (refused, stored(ballot)) == ("blank", (0, 0))


def test_a_blank_ballot_is_kept_sealed_when_the_ballot_counts_it_invalid(world):
    ballot = ballot_open_for(
        world.year_a, created_by=world.secretariat, blank_policy=Ballot.BlankPolicy.INVALID
    )
    ballot_vote_as(ballot, world.signatory)
    paper = BallotPaper.objects.get(ballot=ballot)
    assert paper_open(ballot_id=ballot.pk, sealed=paper.sealed) == []


def test_an_over_filled_ballot_is_kept_sealed_when_the_ballot_counts_it_invalid(world):
    ballot = ballot_open_for(
        world.year_a, created_by=world.secretariat, blank_policy=Ballot.BlankPolicy.INVALID
    )
    ballot_vote_as(ballot, world.signatory, world.hanoi, world.vinhphuc)
    paper = BallotPaper.objects.get(ballot=ballot)
    assert len(paper_open(ballot_id=ballot.pk, sealed=paper.sealed)) == 2


def test_a_non_candidate_is_refused_even_when_the_ballot_counts_bad_papers_invalid(world):
    ballot = ballot_open_for(
        world.year_a,
        created_by=world.secretariat,
        candidates=[world.hanoi],
        blank_policy=Ballot.BlankPolicy.INVALID,
    )
    other = ballot_open_for(world.year_a, created_by=world.secretariat)
    refused = refusal_code(
        lambda: ballot_vote(
            ballot=ballot,
            user=world.signatory,
            choices=[ballot_candidate(other, world.bacninh).pk],
            password=PASSWORD,
            confirmed=True,
        )
    )
    assert (refused, stored(ballot)) == ("not_candidate", (0, 0))


def test_a_department_that_is_not_a_member_is_refused(world):
    ballot = ballot_open_for(world.year_a, created_by=world.secretariat)
    outsider = UserFactory(department=world.quangninh, signatory=True)
    refused = refusal_code(lambda: ballot_vote_as(ballot, outsider, world.hanoi))
    assert (refused, stored(ballot)) == ("not_member", (0, 0))


def test_a_reviewer_is_refused(world, ballot):
    with pytest.raises(PermissionDenied):
        ballot_vote_as(ballot, world.reviewer, world.hanoi)
    assert stored(ballot) == (0, 0)


@pytest.mark.parametrize("role", ["staff", "secretariat", "site_admin"])
def test_a_user_who_is_not_a_signatory_is_refused(world, ballot, role):
    refused = refusal_code(lambda: ballot_vote_as(ballot, world.user(role), world.hanoi))
    assert (refused, stored(ballot)) == ("not_signatory", (0, 0))


def test_a_department_absent_from_the_conference_is_refused(world):
    ballot = ballot_open_for(
        world.year_a, created_by=world.secretariat, present=[world.hanoi, world.vinhphuc]
    )
    refused = refusal_code(lambda: ballot_vote_as(ballot, world.signatory, world.hanoi))
    assert (refused, stored(ballot)) == ("absent", (0, 0))


def test_a_paper_ballot_takes_no_electronic_vote(world):
    ballot = ballot_open_for(world.year_a, created_by=world.secretariat, method=Ballot.Method.PAPER)
    refused = refusal_code(lambda: ballot_vote_as(ballot, world.signatory, world.hanoi))
    assert (refused, stored(ballot)) == ("paper_ballot", (0, 0))


def test_a_vote_without_the_confirmation_is_refused(world, ballot):
    refused = refusal_code(
        lambda: ballot_vote_as(ballot, world.signatory, world.hanoi, confirmed=False)
    )
    assert (refused, stored(ballot)) == ("not_confirmed", (0, 0))


def test_a_wrong_password_is_refused_and_recorded_as_a_refusal(world, ballot):
    refused = refusal_code(
        lambda: ballot_vote_as(ballot, world.signatory, world.hanoi, password="sai-mat-khau")
    )
    event = AuditEvent.objects.get(action=BallotAction.BALLOT_VOTE_REFUSED)
    assert (refused, stored(ballot)) == ("wrong_password", (0, 0))
    assert (event.actor, event.target_id, event.details) == (
        world.signatory,
        str(ballot.pk),
        {"reason": "wrong_password"},
    )


def test_too_many_wrong_passwords_lock_the_vote_even_with_the_right_one(world, ballot, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        refusal_code(
            lambda: ballot_vote_as(ballot, world.signatory, world.hanoi, password="sai-mat-khau")
        )
    refused = refusal_code(lambda: ballot_vote_as(ballot, world.signatory, world.hanoi))
    assert (refused, stored(ballot)) == ("too_many_attempts", (0, 0))


def test_every_refusal_has_its_own_message(world):
    messages = {}
    outsider = UserFactory(department=world.quangninh, signatory=True)
    cases = {
        "already_voted": (ballot_open_for(world.year_a, created_by=world.secretariat), True),
        "closed": (ballot_open_for(world.year_a, created_by=world.secretariat, state="closed"), 0),
        "absent": (
            ballot_open_for(world.year_a, created_by=world.secretariat, present=[world.hanoi]),
            0,
        ),
        "paper_ballot": (
            ballot_open_for(world.year_a, created_by=world.secretariat, method="paper"),
            0,
        ),
    }
    for code, (ballot, vote_first) in cases.items():
        if vote_first:
            ballot_vote_as(ballot, world.signatory, world.hanoi)
        with pytest.raises(ValidationError) as caught:
            ballot_vote_as(ballot, world.signatory, world.hanoi)
        messages[code] = caught.value.messages[0]
    ballot = ballot_open_for(world.year_a, created_by=world.secretariat)
    for code, user in {"not_member": outsider, "not_signatory": world.staff}.items():
        with pytest.raises(ValidationError) as caught:
            ballot_vote_as(ballot, user, world.hanoi)
        messages[code] = caught.value.messages[0]
    assert len(set(messages.values())) == len(messages)


def test_the_right_receipt_code_is_found(world, ballot):
    code = ballot_vote_as(ballot, world.signatory, world.hanoi)
    assert receipt_check(ballot=ballot, code=code)


def test_a_receipt_code_is_found_as_typed_in_lower_case_without_dashes(world, ballot):
    code = ballot_vote_as(ballot, world.signatory, world.hanoi)
    assert receipt_check(ballot=ballot, code=code.replace("-", " ").lower())


def test_a_wrong_receipt_code_is_not_found(world, ballot):
    code = ballot_vote_as(ballot, world.signatory, world.hanoi)
    wrong = ("3" if code[0] != "3" else "4") + code[1:]
    assert not receipt_check(ballot=ballot, code=wrong)


def test_the_receipt_code_of_another_ballot_is_not_found(world, ballot):
    other = ballot_open_for(world.year_a, created_by=world.secretariat)
    code = ballot_vote_as(other, world.signatory, world.hanoi)
    assert not receipt_check(ballot=ballot, code=code)


def test_an_empty_receipt_code_is_not_found(world, ballot):
    ballot_vote_as(ballot, world.signatory, world.hanoi)
    assert not receipt_check(ballot=ballot, code="  ")
