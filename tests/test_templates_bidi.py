"""Numbers with units, percentages and Latin runs in parentheses are isolated inside Arabic text.

Without isolation the bidi algorithm reorders them: "58 %" shows as "% 58", "1×" as "×1",
"(360p)" as "(360p (" and a chart label as "33 نساء%".
"""

import re
from pathlib import Path

import polib
import pytest
from django.utils import translation

ROOT = Path(__file__).resolve().parents[1]
ISOLATED = re.compile(r"<bdi\b[^>]*>.*?</bdi>|\{%\s*blocktranslate\b.*?\{%\s*endblocktranslate\s*%\}", re.S)
# A value printed by the template followed by a unit or percent, or a literal number with "×".
UNSAFE = [
    re.compile(r"(\}\}|%\})[ \u00a0]?%(?!\})"),
    re.compile(r"\}\}[ \u00a0]?(p\b|×|/s\b|[KMG]B\b|[KMG]o\b)"),
    re.compile(r"×[ \u00a0]?\{\{"),
    re.compile(r">\s*\d+(\.\d+)?\s?×"),
]


def unsafe_spots(source: str) -> list[str]:
    """The unit/percent patterns left outside <bdi> (blocktranslate text is checked in the catalogue)."""
    bare = ISOLATED.sub("", source)
    return [m.group(0) for pattern in UNSAFE for m in pattern.finditer(bare)]


def test_templates_isolate_numbers_with_units():
    """Every "{{ n }}%", "{{ n }} MB", "1×" in a template sits inside <bdi> (or a translated string)."""
    found = {}
    for path in (ROOT / "templates").rglob("*.html"):
        spots = unsafe_spots(path.read_text(encoding="utf-8"))
        if spots:
            found[str(path.relative_to(ROOT))] = spots
    assert found == {}


@pytest.mark.parametrize(
    ("source", "flagged"),
    [
        ("<strong>{{ score }}%</strong>", True),
        ("<span>{{ progress }} %</span>", True),
        ("{{ value }}{% endif %}%{% endif %}", True),
        ('<option value="1">1×</option>', True),
        ("<strong><bdi>{{ score }}%</bdi></strong>", False),
        ('<option value="1">&#x2066;1×&#x2069;</option>', False),
        ("{% blocktranslate %}{{ p }}% watched{% endblocktranslate %}", False),
        ('{{ a }} {% translate "x" %}', False),
        ("{% if a %}<b>{{ a }}</b>{% endif %}", False),
    ],
)
def test_the_template_check_tells_unsafe_from_isolated(source, flagged):
    """The lint flags bare values with units and accepts isolated ones and ordinary markup."""
    assert bool(unsafe_spots(source)) is flagged


def arabic_bidi_mistakes(msgstr: str) -> list[str]:
    """A space before %% (shows "% 58"), or a number with a Latin unit in parentheses (shows "(360p (")."""
    text = re.sub(r"%\(\w+\)[sd]", "0", msgstr)
    mistakes = re.findall(r"0 %%", text)
    mistakes += re.findall(r"\(\d[^()\u2066\u2068]*[A-Za-z]\)", text)
    return mistakes


def test_arabic_catalogue_isolates_latin_runs_and_percentages():
    """No Arabic msgstr puts a space before %, or a bare number with a Latin unit in parentheses."""
    catalogue = polib.pofile(str(ROOT / "locale" / "ar" / "LC_MESSAGES" / "django.po"))
    bad = {}
    for entry in catalogue.translated_entries():
        for msgstr in [entry.msgstr, *entry.msgstr_plural.values()]:
            if msgstr and arabic_bidi_mistakes(msgstr):
                bad[entry.msgid] = msgstr
    assert bad == {}


def test_the_catalogue_check_sees_the_old_mistakes():
    """The check flags "تنزيل الفيديو (360p)" and "%(p)s %%", not the isolated forms."""
    assert arabic_bidi_mistakes("تنزيل الفيديو (360p)")
    assert arabic_bidi_mistakes("أنجز %(p)s %%")
    assert not arabic_bidi_mistakes("تنزيل الفيديو (\u2066360p\u2069)")
    assert not arabic_bidi_mistakes("لا نتائج (%(counter)s)")
    assert not arabic_bidi_mistakes("تحميل (PDF)")


def test_arabic_chart_labels_isolate_their_share():
    """The gender bar's legend writes "نساء: ⁨33%⁩" right to left, the share isolated from its label."""
    from archive.charts import split_bar_svg

    with translation.override("ar"):
        svg = str(split_bar_svg([("نساء", 1), ("رجال", 2)], title="t", chart_id="g"))
    assert '\u2067نساء: \u206833%\u2069 (\u20681\u2069)\u2069</text>' in svg
