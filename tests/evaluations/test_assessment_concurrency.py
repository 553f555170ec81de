"""Two saves of one assessment from the same version at the same moment, on PostgreSQL: the
row lock and the compare-and-set on the version let exactly one through.

Real threads, each with its own database connection, released together by a barrier.
SQLite serialises writers with its database-wide write lock, so this only proves something
on PostgreSQL and is skipped elsewhere (CI runs the suite on both).
"""

import threading
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from evaluations import services
from evaluations.models import Assessment, Score
from tests.helpers import codes, line_entries, open_self_assessment

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="concurrency is only meaningful on PostgreSQL (SQLite has one write lock)",
    ),
]

TIMEOUT = 60


def save_together(assessment_pk: int, saves: list) -> list:
    """Run each ``(user, entries)`` save from version 1 in its own thread, all at once;
    each outcome ("saved" or the refusal's code), in order."""
    barrier = threading.Barrier(len(saves), timeout=TIMEOUT)
    outcomes = [None] * len(saves)

    def run(index, user, entries):
        try:
            assessment = Assessment.objects.get(pk=assessment_pk)
            barrier.wait()
            services.assessment_save(assessment=assessment, version=1, entries=entries, by=user)
            outcomes[index] = "saved"
        except ValidationError as error:
            outcomes[index] = codes(error).pop()
        except Exception as error:  # any other failure is an outcome the test reports
            outcomes[index] = repr(error)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=run, args=(i, user, entries))
        for i, (user, entries) in enumerate(saves)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(TIMEOUT)
    assert not any(thread.is_alive() for thread in threads), "a saving thread hung"
    return outcomes


@pytest.fixture
def two_tabs(world):
    assessment = open_self_assessment(world)
    saves = [
        (world.staff, line_entries(assessment, I_1="5")),
        (world.signatory, line_entries(assessment, I_1="9")),
    ]
    return assessment, saves


def test_two_simultaneous_saves_of_one_version_keep_exactly_one(two_tabs):
    assessment, saves = two_tabs
    outcomes = save_together(assessment.pk, saves)
    assert sorted(outcomes) == ["conflict", "saved"]


def test_the_kept_save_is_stored_whole_and_the_version_grows_once(two_tabs):
    assessment, saves = two_tabs
    outcomes = save_together(assessment.pk, saves)
    kept = {0: Decimal("5.00"), 1: Decimal("9.00")}[outcomes.index("saved")]
    points = Score.objects.get(assessment=assessment, criterion__code="I.1").self_points
    assert (points, Assessment.objects.get(pk=assessment.pk).version) == (kept, 2)


def test_eight_simultaneous_saves_of_one_version_keep_exactly_one(world):
    assessment = open_self_assessment(world)
    saves = [(world.staff, line_entries(assessment, I_1=str(i))) for i in range(8)]
    outcomes = save_together(assessment.pk, saves)
    assert (outcomes.count("saved"), outcomes.count("conflict")) == (1, 7)
