"""The programme's figures on a fixture with known answers: participations against distinct beneficiaries,
by year, theme, province, category and gender, with the online completions beside them."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from courses.models import Enrolment
from programme.models import SessionStatus
from programme.selectors.figures import FigureFilters, programme_figures
from tests.factories import UserFactory
from tests.programme.factories_after import attend, make_session, register

pytestmark = pytest.mark.django_db

PEOPLE = {
    # key: gender, category, province
    "A": ("female", "elected", "safi"),
    "B": ("male", "staff", "safi"),
    "C": ("female", "staff", "marrakech"),
    "D": ("male", "elected", "marrakech"),
    "E": ("male", "other", "safi"),
    "F": ("female", "staff", "safi"),
    "G": ("female", "staff", "safi"),
}


def _enrol(person, session, *, present):
    gender, category, province = PEOPLE[person]
    registration = register(session, email=f"{person.lower()}@example.ma", gender=gender, category=category, province=province)
    if present:
        attend(registration)
    return registration


@pytest.fixture
def fixture(plan):
    """2026: S1 governance (A, B, C came; D did not), S2 gis, closed (A, C, E came; F did not),
    S3 governance (A came), S4 open (G registered: not counted); 2025: S5 gis (B came)."""
    s1 = make_session(code="MDE-2026-F01", theme_slugs=["governance"])
    s2 = make_session(code="MDE-2026-F02", theme_slugs=["gis"], status=SessionStatus.CLOSED)
    s3 = make_session(code="MDE-2026-F03", theme_slugs=["governance"])
    s4 = make_session(code="MDE-2026-F04", theme_slugs=["gis"], status=SessionStatus.OPEN)
    s5 = make_session(code="MDE-2025-F05", theme_slugs=["gis"], year=2025)
    for person in "ABC":
        _enrol(person, s1, present=True)
    _enrol("D", s1, present=False)
    for person in "ACE":
        _enrol(person, s2, present=True)
    _enrol("F", s2, present=False)
    _enrol("A", s3, present=True)
    _enrol("G", s4, present=True)
    _enrol("B", s5, present=True)


def _row(table, key):
    return next(row for row in table if row["key"] == key)


def test_a_year_counts_participations_and_distinct_beneficiaries(fixture):
    """2026: 3 sessions held, 9 registrations, 7 participations, 2 no-shows (77.8 %), 4 distinct people."""
    figures = programme_figures(filters=FigureFilters(year=2026))
    totals = figures["totals"]
    assert totals["sessions"] == 3
    assert totals["registrations"] == 9
    assert totals["participations"] == 7
    assert totals["no_shows"] == 2
    assert totals["attendance_rate"] == 77.8
    assert totals["beneficiaries"] == 4


def test_by_gender_and_province(fixture):
    """Women: 6 registrations, 5 participations, 2 beneficiaries (A three times, C twice); men 3, 2, 2.
    Safi: 6, 5, 3 (A, B, E); Marrakech: 3, 2, 1 (C)."""
    tables = programme_figures(filters=FigureFilters(year=2026))["tables"]
    women, men = _row(tables["gender"], "female"), _row(tables["gender"], "male")
    assert (women["registrations"], women["participations"], women["beneficiaries"]) == (6, 5, 2)
    assert (men["registrations"], men["participations"], men["beneficiaries"]) == (3, 2, 2)
    safi, marrakech = _row(tables["province"], "safi"), _row(tables["province"], "marrakech")
    assert (safi["registrations"], safi["participations"], safi["beneficiaries"], safi["no_shows"]) == (6, 5, 3, 1)
    assert (marrakech["registrations"], marrakech["participations"], marrakech["beneficiaries"]) == (3, 2, 1)


def test_by_theme_and_category(fixture):
    """Governance (S1, S3): 2 sessions, 4 participations, 3 beneficiaries; gis (S2): 1, 3, 3.
    Elected: A×3 and D: 4 registrations, 3 participations, 1 beneficiary."""
    tables = programme_figures(filters=FigureFilters(year=2026))["tables"]
    governance, gis = _row(tables["theme"], "governance"), _row(tables["theme"], "gis")
    assert (governance["sessions"], governance["participations"], governance["beneficiaries"]) == (2, 4, 3)
    assert (gis["sessions"], gis["participations"], gis["beneficiaries"]) == (1, 3, 3)
    elected = _row(tables["category"], "elected")
    assert (elected["registrations"], elected["participations"], elected["beneficiaries"]) == (4, 3, 1)


def test_every_year_and_filters(fixture):
    """All years: 4 sessions, 8 participations, still 4 beneficiaries (B came in 2025 and 2026); by year
    2025 has 1 and 2026 has 7. Filtering on women and Safi leaves A only: 3 participations, 1 beneficiary."""
    figures = programme_figures()
    assert (figures["totals"]["sessions"], figures["totals"]["participations"], figures["totals"]["beneficiaries"]) == (4, 8, 4)
    by_year = {row["key"]: row["participations"] for row in figures["tables"]["year"]}
    assert by_year == {2025: 1, 2026: 7}
    narrow = programme_figures(filters=FigureFilters(year=2026, gender="female", province="safi"))["totals"]
    assert (narrow["registrations"], narrow["participations"], narrow["beneficiaries"]) == (4, 3, 1)
    theme = programme_figures(filters=FigureFilters(theme="gis"))["totals"]
    assert (theme["sessions"], theme["participations"], theme["beneficiaries"]) == (2, 4, 4)


def test_deleting_a_person_keeps_the_figures(fixture):
    """Blanking A's names and contacts (law 09-08) changes no figure: the key and the snapshot stay."""
    from programme.models import Registration

    before = programme_figures(filters=FigureFilters(year=2026))
    Registration.objects.filter(email="a@example.ma").update(full_name="", email="", phone="", user=None)
    assert programme_figures(filters=FigureFilters(year=2026)) == before


def test_online_completions_beside_them(fixture):
    """Two modules completed in 2026 by a woman of Safi and one in 2025: 2026 shows 2 completions."""
    from demo import home as home_demo
    from tests.courses.factories import make_course

    home_demo.load()
    course = make_course(slug="m-fig", lessons=1, revisions=False)
    other = make_course(slug="m-fig2", lessons=1, revisions=False)
    learner = UserFactory(gender="female", province="safi", category="staff")
    when = timezone.make_aware(datetime.datetime(2026, 5, 1))
    for module in (course, other):
        Enrolment.objects.create(user=learner, course=module, course_key=module.translation_key, enrolled_at=when, completed_at=when)
    late = UserFactory(gender="male")
    Enrolment.objects.create(user=late, course=course, course_key=course.translation_key, enrolled_at=when, completed_at=when.replace(year=2025))
    figures = programme_figures(filters=FigureFilters(year=2026))
    assert figures["totals"]["completions"] == 2
    assert _row(figures["tables"]["gender"], "female")["completions"] == 2
    assert _row(figures["tables"]["province"], "safi")["completions"] == 2


def test_queries_stay_constant(fixture):
    """A handful of queries, the same with twice the sessions (once the deleted accounts' kept
    completions are in the cache: the first reading after a deletion pays one query more)."""
    programme_figures()
    with CaptureQueriesContext(connection) as first:
        programme_figures()
    extra = make_session(code="MDE-2026-F09")
    for person in "ABCDEFG":
        _enrol(person, extra, present=True)
    with CaptureQueriesContext(connection) as second:
        programme_figures()
    assert len(first) == len(second) <= 6


def test_unknown_filter_values_are_ignored():
    filters = FigureFilters.from_querydict({"year": "99999999999999999999", "province": "<script>", "gender": "x"})
    assert filters == FigureFilters()


def test_the_figures_page_and_its_downloads(fixture, client):
    """The public page shows the totals (no name), each chart with its table; CSV and XLSX download."""
    response = client.get("/fr/programme/figures/?year=2026")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="fig-beneficiaries">4<' in html and 'data-testid="fig-participations">7<' in html
    for name in ("year", "theme", "province", "category", "gender"):
        assert f'data-testid="table-{name}"' in html and f'id="chart-{name}"' in html
    assert "a@example.ma" not in html
    csv = client.get("/fr/programme/figures/export/csv/?year=2026")
    assert csv.status_code == 200 and csv["Content-Type"].startswith("text/csv")
    text = csv.content.decode("utf-8-sig")
    assert "Bénéficiaires distincts" in text.splitlines()[0] or "Distinct beneficiaries" in text.splitlines()[0]
    xlsx = client.get("/programme/figures/export/xlsx/")
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
    assert client.get("/programme/figures/export/pdf/").status_code == 404
    assert client.get("/programme/figures/?year=abc&gender=%00").status_code == 200


def test_the_archive_statistics_page_uses_the_same_figures(fixture, client):
    """The archive's statistics page (which imports no programme) shows the programme's section through
    the hook, with the selector's numbers: 2026 has 3 sessions, 7 participations, 4 beneficiaries."""
    from archive.models import ArchiveIndexPage

    index = ArchiveIndexPage.objects.get(locale__language_code="fr")
    response = client.get(index.url + "statistics/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="section-programme"' in html
    section = html.split('data-testid="section-programme"', 1)[1]
    assert "<th scope=\"row\">2026</th><td>3</td><td>7</td><td>4</td>" in section
    assert "/fr/programme/figures/" in section
