"""Counts are printed with the plural form their language asks for (six in Arabic, two in French)."""

from pathlib import Path

import polib
import pytest
from django.template import Context, Template
from django.utils import translation
from django.utils.translation import ngettext

LOCALE = Path(__file__).resolve().parents[2] / "locale"
NPLURALS = {"ar": 6, "fr": 2}


def plural_entries(lang: str) -> list[polib.POEntry]:
    catalogue = polib.pofile(str(LOCALE / lang / "LC_MESSAGES" / "django.po"))
    return [e for e in catalogue if e.msgid_plural and not e.obsolete]


@pytest.mark.parametrize("lang", ["ar", "fr"])
def test_every_plural_entry_fills_every_form(lang):
    """Each plural entry has all the language's forms (nplurals=6 in Arabic, 2 in French), none empty."""
    entries = plural_entries(lang)
    assert entries
    incomplete = [
        e.msgid
        for e in entries
        if sorted(e.msgstr_plural) != list(range(NPLURALS[lang])) or not all(e.msgstr_plural.values())
    ]
    assert incomplete == []


def test_arabic_plural_forms_are_not_one_copy():
    """Arabic's one, two and few forms differ from each other (a form copied six times is a mistake)."""
    copied = [
        e.msgid for e in plural_entries("ar") if len({e.msgstr_plural[1], e.msgstr_plural[2], e.msgstr_plural[3]}) < 3
    ]
    assert copied == []


@pytest.mark.parametrize(
    ("count", "expected"),
    [
        (0, "0 نشاط"),
        (1, "نشاط واحد"),
        (2, "نشاطان"),
        (3, "3 أنشطة"),
        (11, "11 نشاطًا"),
        (95, "95 نشاطًا"),
        (100, "100 نشاط"),
    ],
)
def test_arabic_activity_count_takes_the_right_form(count, expected):
    """The archive's activity count reads "3 أنشطة", "95 نشاطًا", "100 نشاط"."""
    with translation.override("ar"):
        assert ngettext("%(n)s activity", "%(n)s activities", count) % {"n": count} == expected


@pytest.mark.parametrize(
    ("count", "expected"),
    [
        (1, "حوالي ساعة"),
        (2, "حوالي ساعتين"),
        (3, "حوالي 3 ساعات"),
        (11, "حوالي 11 ساعة"),
        (100, "حوالي 100 ساعة"),
    ],
)
def test_arabic_module_duration_takes_the_right_form(count, expected):
    """A module's estimate reads "حوالي ساعتين", not "حوالي 2 ساعات"."""
    with translation.override("ar"):
        assert ngettext("About %(hours)s hour", "About %(hours)s hours", count) % {"hours": count} == expected


@pytest.mark.parametrize(
    ("lang", "count", "expected"),
    [
        ("ar", 1, "سؤال واحد في البنك"),
        ("ar", 2, "سؤالان في البنك"),
        ("ar", 3, "3 أسئلة في البنك"),
        ("ar", 11, "11 سؤالًا في البنك"),
        ("fr", 1, "1 question dans la banque"),
        ("fr", 3, "3 questions dans la banque"),
    ],
)
def test_quiz_pool_size_is_rendered_with_blocktranslate_count(lang, count, expected):
    """The quiz panel's template prints the pool size in the right form."""
    template = Template("{% load i18n %}{% include 'lessons/includes/quiz_panel.html' %}")
    quiz = type(
        "Quiz",
        (),
        {
            "pk": 1,
            "title": "Q",
            "intro": "",
            "draw_count": 0,
            "pass_mark": 50,
            "time_limit_minutes": 0,
            "max_attempts": 0,
            "questions": type("Qs", (), {"count": count})(),
        },
    )()
    with translation.override(lang):
        html = template.render(Context({"state": {"quiz": quiz}}))
    assert expected in html
