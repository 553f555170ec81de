"""Numbers of official documents (``cluster_portal.numbering``): per issuing body and
calendar year, consecutive, never reused, and not consumed by a transaction that rolls
back; concurrent takes on PostgreSQL each get their own number."""

import threading

import pytest
from django.db import IntegrityError, connection, transaction

from cluster_portal.models import DocumentNumber
from cluster_portal.numbering import document_number_take


def take(issuer="bac-bo", year=2024, symbol="TTr-CTĐ"):
    return document_number_take(issuer=issuer, year=year, symbol=symbol, title="Tờ trình")


@pytest.mark.django_db
def test_the_first_number_of_an_issuer_s_year_prints_as_01_with_its_symbol():
    assert take().text == "01/TTr-CTĐ"


@pytest.mark.django_db
def test_numbers_run_on_across_symbols_of_the_same_issuer_and_year():
    assert [take(symbol=s).text for s in ("TTr-CTĐ", "BB-CTĐ", "TTr-CTĐ")] == [
        "01/TTr-CTĐ",
        "02/BB-CTĐ",
        "03/TTr-CTĐ",
    ]


@pytest.mark.django_db
def test_each_issuer_has_its_own_sequence():
    take(issuer="bac-bo")
    take(issuer="bac-bo")
    assert take(issuer="dong-bac").number == 1


@pytest.mark.django_db
def test_a_new_calendar_year_starts_again_at_one():
    take(year=2024)
    take(year=2024)
    assert take(year=2025).number == 1


@pytest.mark.django_db
def test_a_number_taken_in_a_transaction_that_rolls_back_is_not_consumed():
    take()
    with pytest.raises(RuntimeError), transaction.atomic():
        assert take().number == 2
        raise RuntimeError("rendering failed")
    assert take().number == 2


@pytest.mark.django_db
def test_a_committed_number_cannot_be_given_again():
    take()
    with pytest.raises(IntegrityError), transaction.atomic():
        DocumentNumber.objects.create(
            issuer="bac-bo", year=2024, number=1, symbol="BB-CTĐ", title="Biên bản"
        )


@pytest.mark.django_db
def test_a_number_stays_taken_when_later_numbers_are_taken():
    first = take()
    take()
    assert DocumentNumber.objects.get(pk=first.pk).number == 1
    assert take().number == 3


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="concurrency is only meaningful on PostgreSQL (SQLite has one write lock)",
)
def test_eight_simultaneous_takes_on_postgresql_get_eight_different_consecutive_numbers():
    count = 8
    barrier = threading.Barrier(count, timeout=60)
    results = [None] * count

    def run(index):
        try:
            barrier.wait()
            with transaction.atomic():
                results[index] = take().number
        except Exception as exc:  # the test inspects every outcome
            results[index] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert sorted(results) == list(range(1, count + 1))
    assert DocumentNumber.objects.filter(issuer="bac-bo", year=2024).count() == count
