"""The arithmetic of a count, from plain numbers: no database, no Django.

A count takes the totals of a ballot (members entitled, present, ballots issued, cast,
valid and invalid, votes per candidate) and its rules (quorum, threshold and what the
threshold is counted on, how many seats) and says whether the quorum was met, each
candidate's share of the threshold base, who reached the threshold, who is chosen and
whether a tie at the cut leaves seats to a runoff.

The rules, as the charters write them:

* the vote stands when **at least** ``quorum_percent`` of all members cast a ballot;
* a candidate reaches the threshold with **more than** ``threshold_percent`` of the base
  (all members, the members present, or the valid ballots): exactly half is not more
  than half;
* the seats (the most a voter may choose) go to the candidates who reached the threshold,
  most votes first; when candidates with equal votes straddle the last seat, none of them
  is chosen for it (``tied``) and the seats left go to a runoff among them;
* when the quorum is not met nobody is chosen.

Comparisons are made on exact integers and decimals (votes × 100 against percent × base),
so 50% of 9 is 4.5 and 5 votes is more than that, with no rounding on the way.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

MEMBERS = "members"
PRESENT = "present"
VALID = "valid"

_CENT = Decimal("0.01")


@dataclass(frozen=True)
class Rules:
    """What a count is judged by (the ballot's rules, defaults from the charter)."""

    quorum_percent: Decimal
    threshold_percent: Decimal
    threshold_base: str  # MEMBERS, PRESENT or VALID
    seats: int  # the most a voter may choose: how many candidates can be chosen


@dataclass(frozen=True)
class Tally:
    """The plain numbers of a ballot: totals and the votes per candidate (id → votes)."""

    eligible: int
    present: int
    issued: int
    cast: int
    valid: int
    invalid: int
    votes: dict[int, int]


@dataclass(frozen=True)
class CandidateResult:
    votes: int
    share: Decimal  # percent of the threshold base, two decimals
    reached_threshold: bool
    chosen: bool
    tied: bool


@dataclass(frozen=True)
class Count:
    """The outcome: per candidate (in the tally's order), and for the ballot."""

    quorum_met: bool
    base: int  # the number the threshold and the shares are counted on
    candidates: dict[int, CandidateResult] = field(default_factory=dict)
    has_tie: bool = False
    seats_left: int = 0  # seats a runoff among the tied candidates fills (0 without a tie)

    @property
    def chosen(self) -> list[int]:
        return [pk for pk, result in self.candidates.items() if result.chosen]

    @property
    def tied(self) -> list[int]:
        return [pk for pk, result in self.candidates.items() if result.tied]


class TallyError(ValueError):
    """The numbers of a tally do not add up (the message names them)."""


def paper_is_valid(
    choices: Iterable[int], *, candidates: set[int], min_choices: int, max_choices: int
) -> bool:
    """A paper is valid when it names between ``min_choices`` and ``max_choices`` distinct
    candidates of the ballot and nothing else (a blank or over-filled paper is invalid)."""
    chosen = list(choices)
    return (
        len(set(chosen)) == len(chosen)
        and min_choices <= len(chosen) <= max_choices
        and set(chosen) <= candidates
    )


def quorum_met(*, cast: int, eligible: int, quorum_percent: Decimal) -> bool:
    """At least ``quorum_percent`` of the ``eligible`` members cast a ballot."""
    if eligible <= 0:
        return False
    return Decimal(cast) * 100 >= Decimal(quorum_percent) * eligible


def threshold_base(tally: Tally, base: str) -> int:
    """The number the threshold is counted on."""
    if base == MEMBERS:
        return tally.eligible
    if base == PRESENT:
        return tally.present
    if base == VALID:
        return tally.valid
    raise ValueError(f"Unknown threshold base {base!r}.")


def share_of(votes: int, base: int) -> Decimal:
    """``votes`` as a percentage of ``base``, rounded half up to two decimals (0 on 0)."""
    if base <= 0:
        return Decimal("0.00")
    return (Decimal(votes) * 100 / Decimal(base)).quantize(_CENT, rounding=ROUND_HALF_UP)


def reaches(votes: int, base: int, threshold_percent: Decimal) -> bool:
    """Strictly more than ``threshold_percent`` of ``base`` (never on an empty base)."""
    return base > 0 and Decimal(votes) * 100 > Decimal(threshold_percent) * base


def tally_check(tally: Tally, *, seats: int) -> None:
    """Raise ``TallyError`` when the numbers cannot all be true at once."""
    if tally.valid + tally.invalid != tally.cast:
        raise TallyError(
            f"{tally.valid} valid and {tally.invalid} invalid ballots are not the "
            f"{tally.cast} cast."
        )
    if tally.cast > tally.issued:
        raise TallyError(f"{tally.cast} ballots cast but only {tally.issued} issued.")
    if any(votes < 0 for votes in tally.votes.values()):
        raise TallyError("A candidate has a negative number of votes.")
    if any(votes > tally.valid for votes in tally.votes.values()):
        raise TallyError(f"A candidate has more votes than the {tally.valid} valid ballots.")
    total = sum(tally.votes.values())
    if total > tally.valid * seats:
        raise TallyError(
            f"{total} votes in all is more than {tally.valid} valid ballots of at most "
            f"{seats} choices each."
        )


def count(tally: Tally, rules: Rules) -> Count:
    """The outcome of ``tally`` under ``rules`` (see the module's docstring)."""
    tally_check(tally, seats=rules.seats)
    met = quorum_met(cast=tally.cast, eligible=tally.eligible, quorum_percent=rules.quorum_percent)
    base = threshold_base(tally, rules.threshold_base)
    reached = {
        pk: reaches(votes, base, rules.threshold_percent) for pk, votes in tally.votes.items()
    }
    chosen: set[int] = set()
    tied: set[int] = set()
    if met:
        qualified = sorted(
            (pk for pk in tally.votes if reached[pk]), key=lambda pk: -tally.votes[pk]
        )
        if len(qualified) <= rules.seats:
            chosen = set(qualified)
        else:
            cut = tally.votes[qualified[rules.seats - 1]]
            if tally.votes[qualified[rules.seats]] < cut:
                chosen = set(qualified[: rules.seats])
            else:
                chosen = {pk for pk in qualified if tally.votes[pk] > cut}
                tied = {pk for pk in qualified if tally.votes[pk] == cut}
    results = {
        pk: CandidateResult(
            votes=votes,
            share=share_of(votes, base),
            reached_threshold=reached[pk],
            chosen=pk in chosen,
            tied=pk in tied,
        )
        for pk, votes in tally.votes.items()
    }
    return Count(
        quorum_met=met,
        base=base,
        candidates=results,
        has_tie=bool(tied),
        seats_left=rules.seats - len(chosen) if tied else 0,
    )
