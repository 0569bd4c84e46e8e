"""The Arabic and French catalogues translate every interface string."""

from pathlib import Path

import polib
import pytest

LOCALE = Path(__file__).resolve().parents[2] / "locale"


@pytest.mark.parametrize("lang", ["ar", "fr"])
def test_catalogue_has_no_untranslated_or_fuzzy_entry(lang):
    """Every msgid has a translation, none is fuzzy, and the catalogue is not empty."""
    catalogue = polib.pofile(str(LOCALE / lang / "LC_MESSAGES" / "django.po"))
    active = [entry for entry in catalogue if not entry.obsolete]
    assert len(active) > 100
    assert [e.msgid for e in catalogue.untranslated_entries()] == []
    assert [e.msgid for e in catalogue.fuzzy_entries()] == []


def test_arabic_catalogue_is_really_arabic():
    """Arabic translations are written in Arabic script (no copied English)."""
    catalogue = polib.pofile(str(LOCALE / "ar" / "LC_MESSAGES" / "django.po"))
    latin_only = [
        e.msgid for e in catalogue.translated_entries()
        if e.msgstr and not any("\u0600" <= ch <= "\u06ff" for ch in e.msgstr) and e.msgid not in {"Takwin"}
    ]
    assert latin_only == []
