"""Wording addressed to or about a learner agrees with their gender: each message that has a
feminine form (context "feminine") has one in Arabic that differs from the masculine one."""

from pathlib import Path

import polib
import pytest
from django.utils import translation
from django.utils.translation import gettext, pgettext

from accounts.selectors import gendered

LOCALE = Path(__file__).resolve().parents[2] / "locale"


def test_every_feminine_entry_differs_from_the_masculine_in_arabic():
    """A feminine entry copied from the masculine one says nothing: in Arabic they must differ."""
    catalogue = polib.pofile(str(LOCALE / "ar" / "LC_MESSAGES" / "django.po"))
    masculine = {e.msgid: e.msgstr for e in catalogue if not e.msgctxt and not e.obsolete}
    feminine = [e for e in catalogue if e.msgctxt == "feminine" and not e.obsolete]
    assert len(feminine) >= 3
    same = [e.msgid for e in feminine if not e.msgstr or e.msgstr == masculine.get(e.msgid)]
    assert same == []


@pytest.mark.parametrize(
    ("gender", "expected"),
    [("female", "قد أتمّت الوحدة التكوينية"), ("male", "قد أتمّ الوحدة التكوينية"), ("", "قد أتمّ الوحدة التكوينية")],
)
def test_gendered_picks_the_form_of_the_learner(gender, expected):
    """A woman reads أتمّت; a man, or a learner whose gender is unknown, reads أتمّ."""
    user = type("User", (), {"gender": gender})()
    message = "has completed the training module"
    with translation.override("ar"):
        assert gendered(user, default=gettext(message), feminine=pgettext("feminine", message)) == expected
