"""The cross-checking assignment: never its own, no pair checking each other, each member
checks exactly one, reproducible from its seed."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from evaluations.services import cross_check_assignment


def assert_rules(units, checkers):
    assert set(checkers) == set(units)  # every unit is checked
    for unit, checker in checkers.items():
        assert checker != unit  # never its own
        assert checkers[checker] != unit  # no pair checking each other
    assert sorted(checkers.values()) == sorted(units)  # each checks exactly one


@given(units=st.integers(min_value=3, max_value=60), seed=st.integers(0, 2**63 - 1))
def test_every_assignment_of_3_to_60_members_keeps_the_rules(units, seed):
    members = list(range(100, 100 + units))
    assert_rules(members, cross_check_assignment(members, seed=seed))


@given(members=st.sets(st.integers(1, 10_000), min_size=3, max_size=60), seed=st.integers(0, 99))
def test_the_same_seed_gives_the_same_assignment_whatever_the_order(members, seed):
    forward = cross_check_assignment(sorted(members), seed=seed)
    backward = cross_check_assignment(sorted(members, reverse=True), seed=seed)
    assert forward == backward


def test_different_seeds_give_different_assignments():
    members = list(range(11))
    assignments = {
        tuple(sorted(cross_check_assignment(members, seed=seed).items())) for seed in range(20)
    }
    assert len(assignments) > 1


def test_three_members_check_round_a_triangle():
    checkers = cross_check_assignment(["a", "b", "c"], seed=7)
    assert_rules(["a", "b", "c"], checkers)


@pytest.mark.parametrize("members", [[], ["a"], ["a", "b"]])
def test_fewer_than_three_members_cannot_cross_check(members):
    with pytest.raises(ValueError, match="at least three"):
        cross_check_assignment(members, seed=1)


def test_a_unit_named_twice_is_refused():
    with pytest.raises(ValueError, match="distinct"):
        cross_check_assignment(["a", "b", "b"], seed=1)
