"""Staff's import of attendees without accounts: dry run with a row-level report in the staff's
language, all or nothing, idempotent re-import, Moroccan phone formats, unknown communes, duplicates."""

import io

import pytest
from openpyxl import Workbook

from programme.models import Registration
from programme.services.imports import normalise_phone, run_import
from vocabulary.services import commune_ensure

HEADER = "full_name,email,phone,gender,category,province,commune,language\n"


@pytest.fixture
def communes(db):
    commune_ensure(province="safi", name_ar="آسفي", name_fr="Safi", kind="urban")
    commune_ensure(province="marrakech", name_ar="مراكش", name_fr="Marrakech", kind="urban")


def _csv(*rows: str) -> bytes:
    return (HEADER + "\n".join(rows) + "\n").encode()


GOOD = [
    "Ahmed Ali,ahmed@example.ma,06 12 34 56 78,male,elected,safi,Safi,ar",
    "Salma B,salma@example.ma,,female,staff,,Marrakech,fr",
]


@pytest.mark.parametrize(("raw", "expected"), [
    ("0612345678", "+212612345678"), ("06 12 34 56 78", "+212612345678"), ("06.12.34.56.78", "+212612345678"),
    ("+212 6 12 34 56 78", "+212612345678"), ("00212712345678", "+212712345678"), ("0524-43-21-00", "+212524432100"),
    (612345678.0, "+212612345678"), ("0812345678", None), ("061234567", None), ("+33612345678", None), ("abc", None),
])
def test_moroccan_phone_numbers(raw, expected):
    """Mobile and fixed Moroccan numbers in their usual spellings; anything else is refused."""
    assert normalise_phone(raw) == expected


def test_dry_run_writes_nothing_then_import_registers_all(session, communes):
    """A clean dry run reports 2 to register and writes nothing; the real import registers both."""
    report = run_import(session=session, data=_csv(*GOOD), filename="people.csv", dry_run=True, language="fr")
    assert report.ok and report.new == 2 and not report.written
    assert not Registration.objects.exists()
    report = run_import(session=session, data=_csv(*GOOD), filename="people.csv", dry_run=False, language="fr")
    assert report.written and report.new == 2
    rows = {r.full_name: r for r in Registration.objects.filter(session=session)}
    assert rows["Ahmed Ali"].phone == "+212612345678" and rows["Ahmed Ali"].commune.name_fr == "Safi"
    assert rows["Salma B"].province == "marrakech" and rows["Salma B"].language == "fr"
    assert all(r.user is None and r.source == "import" for r in rows.values())


def test_reimport_is_idempotent(session, communes):
    """Importing the same file again registers nobody twice: every row is "already registered"."""
    run_import(session=session, data=_csv(*GOOD), filename="people.csv", dry_run=False, language="ar")
    report = run_import(session=session, data=_csv(*GOOD), filename="people.csv", dry_run=False, language="ar")
    assert report.ok and report.unchanged == 2 and report.new == 0
    assert Registration.objects.filter(session=session).count() == 2


def test_bad_rows_are_reported_per_row_and_nothing_is_written(session, communes):
    """Unknown commune, malformed e-mail and phone, a duplicate person: each row named, in French; no row written."""
    data = _csv(
        GOOD[0],
        "Nadia,nadia@example,0612,female,staff,safi,Safi,fr",
        "Omar,omar@example.ma,,male,elected,safi,Atlantis,ar",
        "Ahmed again,AHMED@example.ma,,male,elected,safi,Safi,ar",
        ",,,,,,,",
        "Sans contact,,,female,staff,,,fr",
    )
    report = run_import(session=session, data=data, filename="people.csv", dry_run=False, language="fr")
    assert not report.ok and not report.written
    by_row = {row.number: " ".join(row.errors) for row in report.rows}
    assert "nadia@example" in by_row[3] and "n'est pas un numéro marocain" in by_row[3]
    assert "Commune inconnue" in by_row[4]
    assert "même personne qu'à la ligne 2" in by_row[5]
    assert "adresse électronique ou un numéro" in by_row[6]
    assert by_row[2] == ""
    assert not Registration.objects.exists()


def test_beyond_capacity_the_whole_import_is_refused(session, communes):
    """Four people for three places: the fourth row says so and nobody is registered (all or nothing)."""
    rows = [f"Person {n},p{n}@example.ma,,female,staff,,,ar" for n in range(4)]
    report = run_import(session=session, data=_csv(*rows), filename="people.csv", dry_run=False, language="ar")
    assert not report.ok and report.rows[3].errors
    assert not Registration.objects.exists()


def test_xlsx_with_number_cells(session, communes):
    """An XLSX whose phone column holds numbers (the leading 0 lost) is read correctly."""
    book = Workbook()
    sheet = book.active
    sheet.append(["full_name", "email", "phone", "gender", "category", "province", "commune", "language"])
    sheet.append(["Hafsa", "", 661234567, "أنثى", "منتخبة", "آسفي", "آسفي", "ar"])
    out = io.BytesIO()
    book.save(out)
    report = run_import(session=session, data=out.getvalue(), filename="people.xlsx", dry_run=False, language="ar")
    assert report.written, [row.errors for row in report.rows]
    registration = Registration.objects.get(session=session)
    assert registration.phone == "+212661234567" and registration.gender == "female" and registration.category == "elected"


@pytest.mark.parametrize(("data", "name"), [
    (b"", "empty.csv"), (b"\xff\xfe\x00garbage", "bad.csv"), (b"PK\x03\x04broken", "bad.xlsx"),
    (b"name,mail\nx,y\n", "wrong.csv"), (HEADER.encode(), "header-only.csv"), (b"x", "people.txt"),
])
def test_unreadable_files_are_a_file_error(session, data, name):
    """A broken, empty, header-only or foreign file: one clear file error, nothing written."""
    report = run_import(session=session, data=data, filename=name, dry_run=False, language="ar")
    assert report.file_errors and not report.written
    assert not Registration.objects.exists()


def test_admin_import_screen(client, session, communes):
    """The admin screen: a dry run shows the report, the real import registers; learners get a 403."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.factories import UserFactory

    admin = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(admin)
    url = "/admin/programme/import/"
    assert client.get(url).status_code == 200
    response = client.post(url, {"session": session.pk, "spreadsheet": SimpleUploadedFile("p.csv", _csv(*GOOD))})
    assert response.status_code == 200 and b'data-testid="import-dry-run"' in response.content
    response = client.post(url, {"session": session.pk, "commit": "on", "spreadsheet": SimpleUploadedFile("p.csv", _csv(*GOOD))})
    assert b'data-testid="import-done"' in response.content
    assert Registration.objects.filter(session=session).count() == 2
    client.force_login(UserFactory(is_staff=True))
    assert client.get(url).status_code in (302, 403)


def test_headers_and_values_in_arabic_or_french_are_read(session, communes):
    """A sheet whose header row is in Arabic (as staff type it) and whose values are labels is
    imported like one with the column keys."""
    data = "الاسم الكامل,البريد الإلكتروني,الهاتف,الجنس,الفئة,الإقليم,الجماعة,اللغة\nأمينة,amina@example.ma,,امرأة,منتخبة,آسفي,آسفي,ar\n"
    report = run_import(session=session, data=data.encode(), filename="people.csv", dry_run=False, language="ar")
    assert report.written, [row.errors for row in report.rows]
    registration = Registration.objects.get(session=session)
    assert (registration.full_name, registration.gender, registration.province) == ("أمينة", "female", "safi")
