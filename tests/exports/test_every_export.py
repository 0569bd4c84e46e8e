"""Every CSV/XLSX download of the project, in Arabic and in French, read back: headers in the file's
language, choices as their labels (never a raw code), dates as real date cells (ISO in CSV), and
the sheet right to left in Arabic only. A new export endpoint that this walk does not know fails it."""

import csv
import datetime
import io
import re
from pathlib import Path

import polib
import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import translation
from openpyxl import load_workbook
from wagtail.models import get_page_models

from accounts.models import User
from archive.models import ActivityType, ArchiveIndexPage
from courses.services import enrolment_create
from lessons.reports import LEARNER_STATES
from lessons.services import progress_mark_viewed
from programme.models import SessionStatus
from tests.archive.conftest import activity_on, make_archive_index
from tests.courses.factories import lessons_of, make_course
from tests.factories import UserFactory
from tests.programme.factories_after import attend, make_session, register
from vocabulary.models import Person, Theme
from vocabulary.regions import Province

pytestmark = pytest.mark.django_db

LOCALE = Path(__file__).resolve().parents[2] / "locale"
# The exports this walk downloads, by URL name (routable page routes: "<page model>:<route>").
WALKED = {"courses:report_export", "programme:figures_export", "archive.ArchiveIndexPage:export"}
# Text that a spreadsheet would take for a date typed by hand, or that only looks like one.
DATE_TEXT = re.compile(r"^\d{4}-\d{2}-\d{2}|^\d{1,2}/\d{1,2}/\d{2,4}$")
ARABIC = re.compile(r"[\u0600-\u06ff]")
LATIN = re.compile(r"[A-Za-z]")


def _export_names(patterns, namespace="") -> set[str]:
    names = set()
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            names |= _export_names(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern) and pattern.name and "export" in pattern.name:
            names.add(namespace + pattern.name)
    return names


def every_export_name() -> set[str]:
    """The URL names and page routes of the project that name an export (admin screens aside)."""
    names = {name for name in _export_names(get_resolver().url_patterns) if not name.startswith("wagtail")}
    for model in get_page_models():
        for route in getattr(model, "get_subpage_urls", lambda: [])():
            if route.name and "export" in route.name and model.__module__.split(".")[0] != "wagtail":
                names.add(f"{model._meta.label}:{route.name}")
    return names


def _msgstrs(language: str) -> set[str]:
    catalogue = polib.pofile(str(LOCALE / language / "LC_MESSAGES" / "django.po"))
    return {entry.msgstr for entry in catalogue.translated_entries() if not entry.obsolete}


def _raw_codes() -> set[str]:
    """The codes of every choice set an export uses, and the themes' slugs."""
    choice_sets = [Province, User.Gender, User.Category, ActivityType, Person.Kind, SessionStatus]
    codes = {str(value) for choices in choice_sets for value in choices.values}
    codes |= {code for code, _label in LEARNER_STATES}
    return codes | set(Theme.objects.values_list("slug", flat=True))


@pytest.fixture
def data():
    """One archive activity, a module with a learner in progress and one not started, a held session
    with a woman present and a man absent: every choice set of the exports has a value to show."""
    index = make_archive_index()
    activity_on(index, province="al-haouz", activity_type="training-session", theme_slugs=["governance", "gis"],
                trainers=[("Ahmed Expert", "Université Cadi Ayyad", "academic")], commune="تحناوت")
    course = make_course(slug="exports", lessons=2, revisions=False)
    started = UserFactory(full_name="أمينة", province="al-haouz", gender="female", category="elected")
    enrolment_create(user=started, course=course)
    enrolment_create(user=UserFactory(full_name="يوسف", province="safi", gender="male", category="staff"), course=course)
    progress_mark_viewed(user=started, lesson=lessons_of(course)[0], course_id=course.pk)
    session = make_session(theme_slugs=["governance"], province="al-haouz")
    attend(register(session, gender="female", category="elected", province="al-haouz"))
    register(session, gender="male", category="other", province="safi")
    return {"course": course, "index": index}


def _urls(data, language: str, fmt: str) -> dict[str, tuple[str, bool]]:
    """Each export's address in ``language`` and ``fmt``, and whether it holds dates."""
    with translation.override(language):
        index = ArchiveIndexPage.objects.get(locale__language_code=language)
        return {
            "courses:report_export": (reverse("courses:report_export", args=[data["course"].pk, fmt]), True),
            "programme:figures_export": (reverse("programme:figures_export", args=[fmt]), False),
            "archive.ArchiveIndexPage:export": (index.url + index.reverse_subpage("export", kwargs={"fmt": fmt}), True),
        }


def _check_text(value: str, codes: set[str], where: str) -> None:
    parts = {part.strip() for part in re.split(r"[;|]", value)}
    assert not parts & codes, f"{where}: raw code {parts & codes} in {value!r}"


def _check_csv(content: bytes, *, codes: set[str], where: str) -> list[str]:
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    assert len(rows) > 1, f"{where}: no rows"
    for row in rows[1:]:
        for value in row:
            _check_text(value, codes, where)
            if DATE_TEXT.match(value):
                datetime.datetime.fromisoformat(value)  # dates in CSV are ISO 8601
    return rows[0]


def _check_xlsx(content: bytes, *, language: str, codes: set[str], where: str, dated: bool) -> tuple[list[str], str]:
    sheet = load_workbook(io.BytesIO(content)).active
    assert bool(sheet.sheet_view.rightToLeft) == (language == "ar"), f"{where}: wrong sheet direction"
    rows = list(sheet.iter_rows(min_row=2))
    assert rows, f"{where}: no rows"
    dates = 0
    for row in rows:
        for cell in row:
            dates += cell.is_date
            if isinstance(cell.value, str):
                _check_text(cell.value, codes, where)
                assert not DATE_TEXT.match(cell.value), f"{where}: a date stored as text: {cell.value!r}"
    assert dates or not dated, f"{where}: no date cell"
    return [cell.value for cell in sheet[1]], sheet.title


def _check_words(words: list[str], *, language: str, msgstrs: set[str], where: str) -> None:
    for word in words:
        assert word in msgstrs, f"{where}: {word!r} is not a {language} translation (English or a raw name?)"
        if language == "ar":
            assert ARABIC.search(word) and not LATIN.search(word), f"{where}: {word!r} is not Arabic"


def test_the_walk_knows_every_export_endpoint():
    """Every URL name or page route of the project that names an export is walked below."""
    assert every_export_name() == WALKED


def test_every_export_is_in_the_files_language(data):
    """Each export, in Arabic and in French, as CSV and as XLSX: headers and sheet title translated
    into the file's language, no raw code of any choice set, dates as date cells (ISO text in CSV),
    the sheet's direction by language; the fixture's codes (al-haouz, female, in_progress, the
    activity type) come out as their labels (الحوز / Al Haouz, …)."""
    client = Client()
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    codes = _raw_codes()
    for language in ("ar", "fr"):
        msgstrs, texts = _msgstrs(language), []
        for name, (url, _dated) in _urls(data, language, "csv").items():
            where = f"{name} ({language}) csv"
            response = client.get(url)
            assert response.status_code == 200, where
            _check_words(_check_csv(response.content, codes=codes, where=where), language=language, msgstrs=msgstrs, where=where)
            texts.append(response.content.decode("utf-8-sig"))
        for name, (url, dated) in _urls(data, language, "xlsx").items():
            where = f"{name} ({language}) xlsx"
            response = client.get(url)
            assert response.status_code == 200, where
            header, title = _check_xlsx(response.content, language=language, codes=codes, where=where, dated=dated)
            _check_words([*header, title], language=language, msgstrs=msgstrs, where=where)
        with translation.override(language):
            expected = {str(Province("al-haouz").label), str(User.Gender("female").label),
                        str(dict(LEARNER_STATES)["in_progress"]), str(ActivityType("training-session").label)}
        assert {label for label in expected if label not in "".join(texts)} == set(), language
