"""Vietnamese alphabetical order, the same on SQLite and PostgreSQL.

Names are sorted by a key computed once in Python and stored next to them
(``Department.sort_key``, ``Membership.sort_key``), so both databases order rows by
comparing plain strings of digits, which every collation compares the same way, and
Python lists sort by the same key.

The order is the one of Vietnamese dictionaries:

* the alphabet a ă â b c d đ e ê (f) g h i (j) k l m n o ô ơ p q r s t u ư v (w) x y (z),
  digits before letters, case ignored; f, j, w and z (foreign names) in their Latin places;
* syllable by syllable: a syllable's letters first, then its tone, then the next syllable,
  so "Hà Nội" < "Hải Dương" < "Hưng Yên" and "Dương" < "Đà Nẵng";
* tones after the base letters, in the common dictionary order: no tone, huyền (à),
  hỏi (ả), ngã (ã), sắc (á), nặng (ạ);
* punctuation and spaces only separate syllables ("Bà Rịa - Vũng Tàu" sorts as
  "Bà Rịa Vũng Tàu"); a shorter name sorts before a longer one it begins.

Both ways of placing the tone ("hoà" and "hòa") and both Unicode forms (composed and
decomposed) give the same key.
"""

import unicodedata

# Every symbol is two digits, never starting with 0: "0" ends a syllable, and separates the
# parts of a composite key, so that it sorts before any letter.
_ALPHABET = "0123456789aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"
_CODES = {symbol: f"{10 + n:02d}" for n, symbol in enumerate(_ALPHABET)}
_UNKNOWN = "99"  # letters of other scripts: after z, equal to each other

# Combining marks that make another letter of the alphabet (NFD splits them off).
_BREVE, _CIRCUMFLEX, _HORN = "\u0306", "\u0302", "\u031b"
_MODIFIED = {
    ("a", _BREVE): "ă",
    ("a", _CIRCUMFLEX): "â",
    ("e", _CIRCUMFLEX): "ê",
    ("o", _CIRCUMFLEX): "ô",
    ("o", _HORN): "ơ",
    ("u", _HORN): "ư",
}
# The five marked tones, in dictionary order after the unmarked one (0).
_TONES = {"\u0300": "1", "\u0309": "2", "\u0303": "3", "\u0301": "4", "\u0323": "5"}
# Đ has no decomposition; the look-alike Ð (eth) is often typed for it.
_D_BAR = {"đ": "đ", "Đ": "đ", "ð": "đ", "Ð": "đ"}


def _syllables(text: str):
    """The syllables of ``text`` as (letters, tone) pairs."""
    letters: list[str] = []
    tone = "0"
    for char in unicodedata.normalize("NFD", text):
        if char in _D_BAR:
            letters.append("đ")
        elif unicodedata.combining(char):
            if letters and (letters[-1], char) in _MODIFIED:
                letters[-1] = _MODIFIED[letters[-1], char]
            elif char in _TONES and tone == "0":
                tone = _TONES[char]
        elif char.isalnum():
            letters.append(char.casefold())
        elif letters:
            yield letters, tone
            letters, tone = [], "0"
    if letters:
        yield letters, tone


def _name_key(text: str) -> str:
    return "".join(
        "".join(_CODES.get(letter, _UNKNOWN) for letter in letters) + "0" + tone
        for letters, tone in _syllables(text)
    )


def vi_sort_key(*parts: str, max_length: int | None = None) -> str:
    """The key that sorts ``parts`` (e.g. province, then full name) in Vietnamese order.

    Parts are compared one after the other, each syllable by syllable. The key is a string
    of digits; ``max_length`` cuts it to fit a column (names that long still sort by their
    first hundreds of letters).
    """
    key = "0".join(_name_key(part or "") for part in parts)
    return key[:max_length] if max_length is not None else key
