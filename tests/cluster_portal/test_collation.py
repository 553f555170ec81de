"""The Vietnamese sort key: a pure function, the same order on every database."""

import unicodedata

import pytest

from cluster_portal.collation import vi_sort_key


def in_order(names):
    return sorted(names, key=vi_sort_key)


def test_provinces_sort_in_vietnamese_alphabetical_order():
    expected = [
        "Bắc Ninh",
        "Dương Kinh",
        "Đà Nẵng",
        "Đắk Lắk",
        "Điện Biên",
        "Hà Nam",
        "Hà Nội",
        "Hải Dương",
        "Hải Phòng",
        "Hưng Yên",
        "Óc Eo",
        "Ô Môn",
        "Ơ Rê",
        "Uông Bí",
        "Ứng Hòa",
    ]
    assert in_order(reversed(expected)) == expected


def test_hai_duong_sorts_before_hung_yen():
    assert vi_sort_key("Hải Dương") < vi_sort_key("Hưng Yên")


def test_d_with_stroke_sorts_after_every_d_and_before_e():
    assert vi_sort_key("Dương Kinh") < vi_sort_key("Đà Nẵng") < vi_sort_key("Eo Gió")


def test_o_with_circumflex_and_o_with_horn_sort_after_o():
    assert in_order(["Ơ", "Ô", "O"]) == ["O", "Ô", "Ơ"]


def test_u_with_horn_sorts_after_u_and_before_v():
    assert in_order(["Vĩnh Phúc", "Ứng Hòa", "Uông Bí"]) == ["Uông Bí", "Ứng Hòa", "Vĩnh Phúc"]


def test_a_with_breve_and_a_with_circumflex_sort_after_a():
    assert in_order(["Ân Thi", "Ăn Mày", "An Giang"]) == ["An Giang", "Ăn Mày", "Ân Thi"]


def test_tones_follow_the_letters_in_dictionary_order():
    # no tone, huyền, hỏi, ngã, sắc, nặng; then a longer syllable
    expected = ["ma", "mà", "mả", "mã", "má", "mạ", "mác"]
    assert in_order(reversed(expected)) == expected


def test_names_compare_syllable_by_syllable():
    # "Ba" before "Bà" decides, although "bavi" comes after "baria" letter by letter.
    assert in_order(["Bà Rịa", "Ba Vì"]) == ["Ba Vì", "Bà Rịa"]


def test_a_name_sorts_before_a_longer_name_it_begins():
    assert in_order(["Hà Nam Ninh", "Hà Nam", "Hà"]) == ["Hà", "Hà Nam", "Hà Nam Ninh"]


def test_parts_are_compared_one_after_the_other():
    # The province decides before the full name does, however the full name begins.
    assert vi_sort_key("Hà", "Sở Nội vụ") < vi_sort_key("Hà Nam", "Ban Thi đua")


def test_case_unicode_form_and_tone_placement_give_the_same_key():
    variants = ["Hòa Bình", "HÒA BÌNH", "Hoà Bình", unicodedata.normalize("NFD", "Hòa Bình")]
    assert len({vi_sort_key(name) for name in variants}) == 1


def test_punctuation_and_spaces_only_separate_syllables():
    assert vi_sort_key("Bà Rịa - Vũng Tàu") == vi_sort_key("Bà Rịa  Vũng Tàu")


def test_eth_typed_for_d_with_stroke_sorts_as_d_with_stroke():
    assert vi_sort_key("\u00d0à Nẵng") == vi_sort_key("\u0110à Nẵng")


def test_digits_sort_before_letters():
    assert in_order(["Quận Ba", "Quận 3"]) == ["Quận 3", "Quận Ba"]


@pytest.mark.parametrize("name", ["Thừa Thiên Huế", "Sở Nội vụ tỉnh Hải Dương", "Zürich 2", "東京"])
def test_the_key_is_made_of_digits_so_every_database_compares_it_alike(name):
    assert vi_sort_key(name).isdigit()


def test_the_key_is_cut_to_the_length_asked():
    assert len(vi_sort_key("Sở Nội vụ thành phố Hồ Chí Minh", max_length=10)) == 10
