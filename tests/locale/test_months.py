"""Dates printed in Arabic use the month names of Moroccan administrations."""

import datetime

import pytest
from django.template import Context, Template
from django.utils import translation

MOROCCAN_MONTHS = [
    "يناير",
    "فبراير",
    "مارس",
    "أبريل",
    "ماي",
    "يونيو",
    "يوليوز",
    "غشت",
    "شتنبر",
    "أكتوبر",
    "نونبر",
    "دجنبر",
]
FRENCH_MONTHS = [
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
]


def render(fmt: str, day: datetime.date, lang: str) -> str:
    with translation.override(lang):
        return Template("{{ d|date:fmt }}").render(Context({"d": day, "fmt": fmt}))


@pytest.mark.parametrize("fmt", ["F", "N", "b", "E"])
@pytest.mark.parametrize("month", range(1, 13))
def test_every_arabic_date_format_uses_the_moroccan_month_name(fmt, month):
    """F (name), N (abbreviation), b (short) and E (alternative) all print the Moroccan name."""
    assert render(fmt, datetime.date(2026, month, 3), "ar") == MOROCCAN_MONTHS[month - 1]


@pytest.mark.parametrize("month", range(1, 13))
def test_a_full_arabic_date_reads_day_month_year(month):
    """The pattern "j F Y" gives for instance "3 غشت 2026"."""
    assert render("j F Y", datetime.date(2026, month, 3), "ar") == f"3 {MOROCCAN_MONTHS[month - 1]} 2026"


@pytest.mark.parametrize("month", range(1, 13))
def test_french_month_names_are_unchanged(month):
    """The French catalogue keeps French names (the project's entries do not break them)."""
    assert render("j F Y", datetime.date(2026, month, 3), "fr") == f"3 {FRENCH_MONTHS[month - 1]} 2026"
