"""Short answers compare after Arabic- and French-aware folding; numbers within a tolerance."""

from decimal import Decimal

import pytest

from lessons.grading import grade_question, normalise_text, parse_number
from lessons.models import Question


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("مُحَمَّد", "محمد"),            # harakat
        ("أحمد", "احمد"),               # hamza on alef
        ("إسلام", "اسلام"),             # hamza below
        ("آمال", "امال"),               # madda
        ("ٱلجماعة", "الجماعه"),         # alef wasla, ta marbuta
        ("مستشفى", "مستشفي"),           # alef maqsura
        ("مسـؤول", "مسوول"),            # tatweel, waw with hamza
        ("Élu  Communal!", "elu communal"),  # case, accent, punctuation, spaces
        ("Collectivité", "collectivite"),
    ],
)
def test_normalise_text_folds_arabic_and_french(typed, expected):
    """Diacritics, alef and hamza forms, case and accents do not count."""
    assert normalise_text(typed) == expected


def test_parse_number_reads_arabic_digits_and_commas():
    """Arabic-Indic digits and a decimal comma are read; garbage is None."""
    assert parse_number("١٢٫٥") == Decimal("12.5")
    assert parse_number("3,75") == Decimal("3.75")
    assert parse_number("abc") is None
    assert parse_number("NaN") is None


def test_short_text_and_numeric_grading():
    """An accented or vowelled variant of an accepted answer is correct; numbers use the tolerance."""
    q = Question(kind="short_text", accepted_answers="المجلس الجماعي\nconseil communal")
    assert grade_question(q, "المَجْلِس الجَماعي")
    assert grade_question(q, "Conseil Communal")
    assert not grade_question(q, "البرلمان")
    assert not grade_question(q, "")
    n = Question(kind="numeric", numeric_answer=Decimal("100"), tolerance=Decimal("0.5"))
    assert grade_question(n, "100.4") and not grade_question(n, "101")


@pytest.mark.parametrize("typed", ["9e9999999", "-9E+999999999", "1e-9999999", "9" * 25 + "e99"])
def test_numeric_answer_with_an_absurd_exponent_is_wrong_not_an_error(typed):
    """An exponent beyond any stored answer is graded wrong; it used to raise decimal.Overflow."""
    n = Question(kind="numeric", numeric_answer=Decimal("8"), tolerance=Decimal("0.5"))
    assert parse_number(typed) is None
    assert grade_question(n, typed) is False
    assert parse_number("0") == 0 and parse_number("1e3") == Decimal("1000")
