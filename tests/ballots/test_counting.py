"""The arithmetic of a count (ballots.counting), as worked examples from plain numbers:
the quorum, the threshold on each base ("more than", never "at least"), shares, invalid
ballots, ties at the cut, and ballots with more than one seat."""

from decimal import Decimal

import pytest

from ballots.counting import (
    MEMBERS,
    PRESENT,
    VALID,
    Rules,
    Tally,
    TallyError,
    count,
    paper_is_valid,
    share_of,
)

A, B, C = 1, 2, 3


def rules(base=MEMBERS, *, threshold="50", quorum="50", seats=1) -> Rules:
    return Rules(
        quorum_percent=Decimal(quorum),
        threshold_percent=Decimal(threshold),
        threshold_base=base,
        seats=seats,
    )


def tally(votes, *, eligible=10, present=None, cast=None, invalid=0) -> Tally:
    cast = cast if cast is not None else eligible
    return Tally(
        eligible=eligible,
        present=present if present is not None else cast,
        issued=present if present is not None else cast,
        cast=cast,
        valid=cast - invalid,
        invalid=invalid,
        votes=votes,
    )


# The threshold, on each base


def test_five_of_nine_members_is_more_than_half_of_the_members():
    outcome = count(tally({A: 5, B: 3}, eligible=9, cast=8), rules(MEMBERS))
    assert outcome.base == 9
    assert outcome.candidates[A].reached_threshold
    assert outcome.candidates[A].share == Decimal("55.56")
    assert outcome.chosen == [A]


def test_exactly_half_of_the_members_is_not_more_than_half():
    outcome = count(tally({A: 5, B: 5}, eligible=10), rules(MEMBERS))
    assert not outcome.candidates[A].reached_threshold
    assert outcome.candidates[A].share == Decimal("50.00")
    assert outcome.chosen == []
    assert not outcome.has_tie


def test_on_the_members_present_four_of_six_present_reaches_the_threshold():
    outcome = count(tally({A: 4, B: 2}, eligible=10, present=6, cast=6), rules(PRESENT))
    assert outcome.base == 6
    assert outcome.candidates[A].share == Decimal("66.67")
    assert outcome.chosen == [A]


def test_the_same_four_votes_fall_short_on_all_members():
    outcome = count(tally({A: 4, B: 2}, eligible=10, present=6, cast=6), rules(MEMBERS))
    assert outcome.candidates[A].share == Decimal("40.00")
    assert outcome.chosen == []


def test_on_the_valid_ballots_invalid_ones_lower_the_base():
    outcome = count(tally({A: 4, B: 2}, eligible=10, cast=8, invalid=2), rules(VALID))
    assert outcome.base == 6
    assert outcome.candidates[A].reached_threshold
    assert outcome.chosen == [A]


def test_invalid_ballots_count_as_cast_for_the_quorum_but_give_no_votes():
    # 6 of 10 cast (quorum met), 5 of them invalid: 1 vote is not more than half of 10.
    outcome = count(tally({A: 1, B: 0}, eligible=10, cast=6, invalid=5), rules(MEMBERS))
    assert outcome.quorum_met
    assert outcome.chosen == []


def test_a_threshold_other_than_half_is_also_strict():
    # 60% of 10 members is 6: six votes are not more than that, seven are.
    six = count(tally({A: 6, B: 4}), rules(MEMBERS, threshold="60"))
    seven = count(tally({A: 7, B: 3}), rules(MEMBERS, threshold="60"))
    assert not six.candidates[A].reached_threshold
    assert seven.candidates[A].reached_threshold


# The quorum


def test_the_quorum_is_met_at_exactly_its_percentage():
    outcome = count(tally({A: 5}, eligible=10, cast=5), rules(VALID))
    assert outcome.quorum_met
    assert outcome.chosen == [A]


def test_below_the_quorum_nobody_is_chosen_whatever_the_votes():
    outcome = count(tally({A: 4}, eligible=10, cast=4), rules(VALID))
    assert not outcome.quorum_met
    assert outcome.candidates[A].reached_threshold
    assert outcome.chosen == []
    assert not outcome.has_tie


def test_a_year_without_members_never_meets_the_quorum():
    outcome = count(tally({}, eligible=0, cast=0), rules(MEMBERS))
    assert not outcome.quorum_met


# Ties at the cut and several seats


def test_two_candidates_tied_for_one_seat_are_neither_chosen_and_go_to_a_runoff():
    outcome = count(tally({A: 4, B: 4, C: 2}), rules(VALID, threshold="30"))
    assert outcome.has_tie
    assert outcome.chosen == []
    assert outcome.tied == [A, B]
    assert outcome.seats_left == 1


def test_two_seats_go_to_the_two_with_most_votes_above_the_threshold():
    outcome = count(tally({A: 7, B: 6, C: 5}), rules(VALID, seats=2))
    assert outcome.chosen == [A, B]  # C's 5 of 10 is not more than half
    assert not outcome.has_tie


def test_with_two_seats_a_tie_for_the_second_leaves_that_seat_to_a_runoff():
    outcome = count(tally({A: 7, B: 6, C: 6}), rules(VALID, seats=2))
    assert outcome.chosen == [A]
    assert outcome.tied == [B, C]
    assert outcome.seats_left == 1


def test_equal_votes_above_the_cut_are_no_tie():
    outcome = count(tally({A: 6, B: 6, C: 3}), rules(VALID, seats=2))
    assert outcome.chosen == [A, B]
    assert not outcome.has_tie


def test_fewer_candidates_above_the_threshold_than_seats_are_all_chosen():
    outcome = count(tally({A: 8, B: 2, C: 1}), rules(VALID, seats=3))
    assert outcome.chosen == [A]
    assert not outcome.has_tie


# Papers and numbers


@pytest.mark.parametrize(
    ("choices", "valid"),
    [
        ([A], True),
        ([A, B], True),
        ([], False),  # blank
        ([A, B, C], False),  # over-filled
        ([A, A], False),  # the same candidate twice
        ([99], False),  # not a candidate
    ],
)
def test_a_paper_is_valid_with_one_or_two_distinct_candidates_of_the_ballot(choices, valid):
    assert paper_is_valid(choices, candidates={A, B, C}, min_choices=1, max_choices=2) is valid


def test_shares_are_rounded_half_up_to_two_decimals():
    assert share_of(2, 3) == Decimal("66.67")
    assert share_of(1, 3) == Decimal("33.33")
    assert share_of(1, 8) == Decimal("12.50")
    assert share_of(3, 0) == Decimal("0.00")


def test_valid_and_invalid_ballots_that_are_not_the_ballots_cast_are_refused():
    bad = Tally(eligible=10, present=8, issued=8, cast=8, valid=5, invalid=2, votes={A: 5})
    with pytest.raises(TallyError, match="5 valid and 2 invalid ballots are not the 8 cast"):
        count(bad, rules())


def test_more_votes_than_valid_ballots_can_carry_are_refused():
    bad = Tally(eligible=10, present=8, issued=8, cast=8, valid=8, invalid=0, votes={A: 8, B: 1})
    with pytest.raises(TallyError, match="9 votes in all"):
        count(bad, rules(seats=1))
