"""Simultaneous votes on PostgreSQL: several signatories of the same department (two tabs,
a double click, two people) and of different departments vote at once; every department
ends with exactly one roll entry and one paper, and every other attempt is refused.

Real threads, each with its own database connection, released together by a barrier.
SQLite serialises writers with its database-wide write lock, so this only proves something
on PostgreSQL and is skipped elsewhere (CI runs the suite on both).
"""

import threading
from collections import Counter

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from ballots.models import BallotPaper, BallotVoter
from tests.factories import UserFactory
from tests.helpers import ballot_open_for, ballot_vote_as, codes

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="concurrency is only meaningful on PostgreSQL (SQLite has one write lock)",
    ),
]

TIMEOUT = 60


def vote_together(ballot, votes: list) -> list:
    """Run each ``(user, department chosen)`` vote in its own thread, all at once; each
    outcome ("voted" or the refusal's code), in order."""
    barrier = threading.Barrier(len(votes), timeout=TIMEOUT)
    outcomes = [None] * len(votes)

    def run(index, user, choice):
        try:
            barrier.wait()
            ballot_vote_as(ballot, user, choice)
            outcomes[index] = "voted"
        except ValidationError as error:
            outcomes[index] = codes(error).pop()
        except Exception as error:  # any other failure is an outcome the test reports
            outcomes[index] = repr(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, *vote)) for i, vote in enumerate(votes)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(TIMEOUT)
    assert not any(thread.is_alive() for thread in threads), "a voting thread hung"
    return outcomes


def signatories(dept, count: int) -> list:
    return [UserFactory(department=dept, signatory=True) for _ in range(count)]


def test_one_department_voting_in_four_tabs_at_once_keeps_exactly_one_vote(world):
    ballot = ballot_open_for(world.year_a, created_by=world.secretariat)
    outcomes = vote_together(ballot, [(world.signatory, world.hanoi)] * 4)
    assert Counter(outcomes) == {"voted": 1, "already_voted": 3}
    assert (BallotVoter.objects.count(), BallotPaper.objects.count()) == (1, 1)


def test_every_member_voting_at_once_twice_over_counts_each_department_once(world):
    ballot = ballot_open_for(world.year_a, created_by=world.secretariat)
    departments = [world.hanoi, world.vinhphuc, world.haiphong, world.bacninh]
    votes = [(user, world.hanoi) for dept in departments for user in signatories(dept, 2)]
    outcomes = vote_together(ballot, votes)
    assert Counter(outcomes) == {"voted": 4, "already_voted": 4}
    roll = Counter(BallotVoter.objects.values_list("membership__department_id", flat=True))
    assert roll == {dept.pk: 1 for dept in departments}
    assert BallotPaper.objects.filter(ballot=ballot).count() == 4
