"""Sealing papers and hashing receipts (ballots.crypto)."""

import pytest
from cryptography.exceptions import InvalidTag

from ballots.crypto import (
    paper_open,
    paper_seal,
    receipt_code_new,
    receipt_digest,
    receipt_normalise,
)


def test_a_sealed_paper_opens_into_the_same_choices_sorted():
    sealed = paper_seal(ballot_id=7, choices=[12, 3])
    assert paper_open(ballot_id=7, sealed=sealed) == [3, 12]


def test_a_blank_paper_opens_into_no_choices():
    assert paper_open(ballot_id=7, sealed=paper_seal(ballot_id=7, choices=[])) == []


def test_a_paper_does_not_open_on_another_ballot():
    with pytest.raises(InvalidTag):
        paper_open(ballot_id=8, sealed=paper_seal(ballot_id=7, choices=[3]))


def test_a_paper_does_not_open_under_another_key(settings):
    settings.BALLOT_KEY = "khoa-thu-nhat"
    sealed = paper_seal(ballot_id=7, choices=[3])
    settings.BALLOT_KEY = "khoa-thu-hai"
    with pytest.raises(InvalidTag):
        paper_open(ballot_id=7, sealed=sealed)


def test_an_altered_paper_does_not_open():
    sealed = bytearray(paper_seal(ballot_id=7, choices=[3]))
    sealed[-1] ^= 1
    with pytest.raises(InvalidTag):
        paper_open(ballot_id=7, sealed=bytes(sealed))


def test_the_same_choice_sealed_twice_gives_different_bytes():
    assert paper_seal(ballot_id=7, choices=[3]) != paper_seal(ballot_id=7, choices=[3])


@pytest.mark.parametrize("choices", [[], [9], [10], [9, 10, 11], [123456]])
def test_the_sealed_length_is_the_same_whatever_the_choice(choices):
    assert len(paper_seal(ballot_id=7, choices=choices)) == len(
        paper_seal(ballot_id=7, choices=[1])
    )


def test_a_receipt_code_is_three_groups_of_four_without_look_alikes():
    code = receipt_code_new()
    groups = code.split("-")
    assert [len(g) for g in groups] == [4, 4, 4] and not set(code) & set("01IOL")


def test_a_receipt_digest_ignores_case_spaces_and_dashes():
    assert receipt_digest(ballot_id=7, code="7kqm 3wxd pa9t") == receipt_digest(
        ballot_id=7, code="7KQM-3WXD-PA9T"
    )


def test_a_receipt_digest_depends_on_the_ballot():
    assert receipt_digest(ballot_id=7, code="7KQM-3WXD-PA9T") != receipt_digest(
        ballot_id=8, code="7KQM-3WXD-PA9T"
    )


def test_a_receipt_digest_depends_on_the_key(settings):
    settings.BALLOT_KEY = "khoa-thu-nhat"
    first = receipt_digest(ballot_id=7, code="7KQM-3WXD-PA9T")
    settings.BALLOT_KEY = "khoa-thu-hai"
    assert receipt_digest(ballot_id=7, code="7KQM-3WXD-PA9T") != first


def test_normalising_keeps_letters_and_digits_in_upper_case():
    assert receipt_normalise(" 7kqm-3wxd pa9t ") == "7KQM3WXDPA9T"
