"""Preparing, changing and opening ballots (ballots.services.setup)."""

import datetime
from decimal import Decimal as D

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from ballots.audit import BallotAction
from ballots.models import Ballot, Candidate
from ballots.services.setup import ballot_create, ballot_open, ballot_update
from cluster_portal.models import AuditEvent
from members.models import Membership
from tests.factories import CharterVersionFactory
from tests.helpers import (
    ballot_setup_conference,
    ballot_setup_draft,
    ballot_setup_opened,
    codes,
    evaluation_for,
    results_published,
    score_lines,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    """Messages are asserted as written (English msgids); pages show their translation."""
    with translation.override("en"):
        yield


def member(world, department) -> Membership:
    return world.year_a.memberships.get(department=department)


def charter_in_force(world, **rules):
    """An adopted charter of cluster A, in force since 2020, with these voting rules."""
    return CharterVersionFactory(
        cluster_year=world.year_a,
        state="adopted",
        adopted_on=datetime.date(2020, 1, 15),
        **rules,
    )


def published(world):
    """Cluster A's results published: Bắc Ninh 1st, Hải Phòng 2nd, Vĩnh Phúc 3rd, Hà Nội 4th."""
    evaluation = evaluation_for(world.year_a, phase="checking")
    for department, points in [
        (world.bacninh, "9"),
        (world.haiphong, "7"),
        (world.vinhphuc, "5"),
        (world.hanoi, "3"),
    ]:
        score_lines(evaluation.assessments.get(membership__department=department), I_1=points)
    return results_published(evaluation)


def draft_fields(world, **overrides):
    fields = {
        "conference": ballot_setup_conference(world.year_a),
        "kind": Ballot.Kind.GOVERNMENT_FLAG,
        "question": "Suy tôn đơn vị dẫn đầu Cụm đề nghị Cờ thi đua của Chính phủ",
        "candidates": list(world.year_a.memberships.all()),
        "min_choices": 1,
        "max_choices": 1,
        "method": Ballot.Method.ELECTRONIC,
    }
    fields.update(overrides)
    return fields


def refusal(call) -> set[str]:
    with pytest.raises(ValidationError) as error:
        call()
    return codes(error.value)


# Creating


def test_a_new_ballot_is_a_draft_of_the_conference_year(world):
    ballot = ballot_setup_draft(world.year_a, world.secretariat)
    assert ballot.state == Ballot.State.DRAFT
    assert ballot.cluster_year == world.year_a
    assert ballot.created_by == world.secretariat
    assert ballot.opened_at is None


def test_a_new_ballot_takes_the_rules_of_the_charter_in_force(world):
    charter_in_force(
        world,
        vote_quorum_percent=D("66.67"),
        vote_threshold_percent=D("60"),
        vote_threshold_base="valid",
        vote_blank_invalid=True,
    )
    ballot = ballot_setup_draft(world.year_a, world.secretariat)
    assert ballot.quorum_percent == D("66.67")
    assert ballot.threshold_percent == D("60")
    assert ballot.threshold_base == Ballot.ThresholdBase.VALID
    assert ballot.blank_policy == Ballot.BlankPolicy.INVALID


def test_a_charter_adopted_after_the_conference_does_not_set_its_rules(world):
    CharterVersionFactory(
        cluster_year=world.year_a,
        state="adopted",
        adopted_on=datetime.date(2025, 1, 1),
        vote_quorum_percent=D("80"),
    )
    ballot = ballot_setup_draft(world.year_a, world.secretariat)
    assert ballot.quorum_percent == D("50")


def test_without_a_charter_a_ballot_takes_the_portal_defaults(world):
    ballot = ballot_setup_draft(world.year_a, world.secretariat)
    assert (ballot.quorum_percent, ballot.threshold_percent) == (D("50"), D("50"))
    assert ballot.threshold_base == Ballot.ThresholdBase.MEMBERS
    assert ballot.blank_policy == Ballot.BlankPolicy.REFUSE


def test_rules_given_to_the_service_override_the_charter(world):
    charter_in_force(world, vote_quorum_percent=D("66.67"), vote_blank_invalid=True)
    ballot = ballot_setup_draft(
        world.year_a,
        world.secretariat,
        quorum_percent=D("75"),
        threshold_percent=D("40"),
        threshold_base=Ballot.ThresholdBase.PRESENT,
        blank_policy=Ballot.BlankPolicy.REFUSE,
    )
    assert ballot.quorum_percent == D("75")
    assert ballot.threshold_percent == D("40")
    assert ballot.threshold_base == Ballot.ThresholdBase.PRESENT
    assert ballot.blank_policy == Ballot.BlankPolicy.REFUSE


def test_award_candidates_carry_their_published_rank_and_total_in_rank_order(world):
    published(world)
    ballot = ballot_setup_draft(world.year_a, world.secretariat)
    rows = [
        (c.position, c.membership.department.code, c.rank)
        for c in Candidate.objects.filter(ballot=ballot).select_related("membership__department")
    ]
    assert rows == [(1, "bacninh", 1), (2, "haiphong", 2), (3, "vinhphuc", 3), (4, "hanoi", 4)]
    first = Candidate.objects.get(ballot=ballot, position=1)
    result = first.membership.evaluation_results.get()
    assert first.total == result.total


def test_leadership_candidates_carry_no_rank(world):
    published(world)
    ballot = ballot_setup_draft(
        world.year_a,
        world.secretariat,
        kind=Ballot.Kind.LEADER,
        question="Bầu Cụm trưởng năm 2025",
        candidates=[member(world, world.haiphong), member(world, world.bacninh)],
    )
    assert [c.rank for c in ballot.candidates.all()] == [None, None]
    assert [c.membership.department.code for c in ballot.candidates.all()] == [
        "haiphong",
        "bacninh",
    ]


def test_candidates_without_published_results_keep_the_given_order(world):
    ballot = ballot_setup_draft(
        world.year_a,
        world.secretariat,
        candidates=[member(world, world.bacninh), member(world, world.hanoi)],
    )
    assert [
        (c.position, c.membership.department.code, c.rank) for c in ballot.candidates.all()
    ] == [
        (1, "bacninh", None),
        (2, "hanoi", None),
    ]


def test_creating_a_ballot_is_an_audit_event(world):
    ballot = ballot_setup_draft(world.year_a, world.secretariat)
    event = AuditEvent.objects.get(action=BallotAction.BALLOT_CREATED)
    assert event.actor == world.secretariat
    assert event.target_id == str(ballot.pk)


@pytest.mark.parametrize("role", ["staff", "signatory", "reviewer", "outsider"])
def test_only_the_secretariat_prepares_a_ballot(world, role):
    with pytest.raises(PermissionDenied):
        ballot_create(**draft_fields(world), by=world.user(role))
    assert not Ballot.objects.exists()


def test_a_ballot_belongs_to_a_conference_not_another_activity(world):
    seminar = ballot_setup_conference(world.year_a, kind="seminar")
    assert refusal(
        lambda: ballot_create(**draft_fields(world, conference=seminar), by=world.secretariat)
    ) == {"not_a_conference"}


def test_a_department_of_another_cluster_is_not_a_candidate(world):
    stranger = world.year_b.memberships.first()
    candidates = [member(world, world.hanoi), stranger]
    assert refusal(
        lambda: ballot_create(**draft_fields(world, candidates=candidates), by=world.secretariat)
    ) == {"candidate_not_member"}


@pytest.mark.parametrize(
    ("overrides", "code"),
    [
        ({"min_choices": 0}, "min_below_one"),
        ({"min_choices": 3, "max_choices": 2}, "max_below_min"),
        ({"max_choices": 5}, "max_above_candidates"),
        ({"quorum_percent": D("101")}, "quorum_out_of_range"),
        ({"threshold_percent": D("100")}, "threshold_out_of_range"),
        ({"question": "   "}, "question_required"),
    ],
)
def test_bounds_are_refused_with_their_code_and_nothing_is_stored(world, overrides, code):
    fields = draft_fields(world, **overrides)
    assert code in refusal(lambda: ballot_create(**fields, by=world.secretariat))
    assert not Ballot.objects.exists()


def test_the_refusal_names_the_numbers(world):
    fields = draft_fields(world, max_choices=5)
    with pytest.raises(ValidationError) as error:
        ballot_create(**fields, by=world.secretariat)
    assert "5 of 4 candidates" in str(error.value.message_dict["max_choices"])


# Changing


def update_fields(ballot, **overrides):
    fields = {
        "kind": ballot.kind,
        "question": ballot.question,
        "candidates": [c.membership for c in ballot.candidates.all()],
        "min_choices": ballot.min_choices,
        "max_choices": ballot.max_choices,
        "method": ballot.method,
        "quorum_percent": ballot.quorum_percent,
        "threshold_percent": ballot.threshold_percent,
        "threshold_base": ballot.threshold_base,
        "blank_policy": ballot.blank_policy,
    }
    fields.update(overrides)
    return fields


def test_a_draft_can_be_changed(world):
    ballot = ballot_setup_draft(world.year_a, world.secretariat)
    ballot_update(
        ballot=ballot,
        **update_fields(
            ballot,
            question="Đề nghị Bằng khen của Bộ trưởng",
            kind=Ballot.Kind.MINISTER_MERIT,
            candidates=[member(world, world.haiphong), member(world, world.bacninh)],
            max_choices=2,
            method=Ballot.Method.PAPER,
        ),
        by=world.secretariat,
    )
    ballot.refresh_from_db()
    assert ballot.question == "Đề nghị Bằng khen của Bộ trưởng"
    assert (ballot.kind, ballot.max_choices, ballot.method) == ("minister_merit", 2, "paper")
    assert ballot.candidates.count() == 2
    assert AuditEvent.objects.filter(action=BallotAction.BALLOT_EDITED).count() == 1


def test_an_open_ballot_cannot_be_changed(world):
    ballot = ballot_setup_opened(world.year_a, world.secretariat)
    assert refusal(
        lambda: ballot_update(
            ballot=ballot, **update_fields(ballot, question="Khác"), by=world.secretariat
        )
    ) == {"not_draft"}
    ballot.refresh_from_db()
    assert ballot.question != "Khác"


def test_changing_checks_the_same_bounds(world):
    ballot = ballot_setup_draft(world.year_a, world.secretariat)
    assert refusal(
        lambda: ballot_update(
            ballot=ballot, **update_fields(ballot, max_choices=9), by=world.secretariat
        )
    ) == {"max_above_candidates"}


@pytest.mark.parametrize("role", ["staff", "signatory", "reviewer", "outsider"])
def test_only_the_secretariat_changes_a_ballot(world, role):
    ballot = ballot_setup_draft(world.year_a, world.secretariat)
    with pytest.raises(PermissionDenied):
        ballot_update(ballot=ballot, **update_fields(ballot), by=world.user(role))


# Opening


def test_opening_a_draft_sets_the_state_and_the_time(world):
    ballot = ballot_setup_opened(world.year_a, world.secretariat)
    ballot.refresh_from_db()
    assert ballot.state == Ballot.State.OPEN
    assert ballot.opened_at is not None
    assert AuditEvent.objects.filter(action=BallotAction.BALLOT_OPENED).count() == 1


def test_an_open_ballot_cannot_be_opened_again(world):
    ballot = ballot_setup_opened(world.year_a, world.secretariat)
    assert refusal(lambda: ballot_open(ballot=ballot, by=world.secretariat)) == {"not_draft"}


def test_a_ballot_without_candidates_cannot_be_opened(world):
    ballot = ballot_setup_draft(world.year_a, world.secretariat, candidates=[])
    assert refusal(lambda: ballot_open(ballot=ballot, by=world.secretariat)) == {"no_candidates"}
    ballot.refresh_from_db()
    assert ballot.state == Ballot.State.DRAFT


def test_a_ballot_whose_most_choices_exceed_its_candidates_cannot_be_opened(world):
    ballot = ballot_setup_draft(world.year_a, world.secretariat, candidates=[], max_choices=2)
    Candidate.objects.create(ballot=ballot, membership=member(world, world.hanoi))
    with pytest.raises(ValidationError) as error:
        ballot_open(ballot=ballot, by=world.secretariat)
    assert codes(error.value) == {"max_above_candidates"}
    assert "from 1 to 2 of 1 candidates" in error.value.messages[0]


@pytest.mark.parametrize("role", ["staff", "signatory", "reviewer", "outsider"])
def test_only_the_secretariat_opens_a_ballot(world, role):
    ballot = ballot_setup_draft(world.year_a, world.secretariat)
    with pytest.raises(PermissionDenied):
        ballot_open(ballot=ballot, by=world.user(role))
    ballot.refresh_from_db()
    assert ballot.state == Ballot.State.DRAFT
