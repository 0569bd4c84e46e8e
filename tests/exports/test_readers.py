"""The one spreadsheet reader and upload form of every import: headers matched in any language,
every problem with the file a clear message in the user's language."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from django.utils.translation import gettext_lazy

from exports import Column
from exports.forms import SpreadsheetImportForm
from exports.readers import choice_lookup, fold, read_rows
from exports.reports import ImportReport, RowReport
from tests.exports.sheets import xlsx_bytes

COLUMNS = [Column("full_name", gettext_lazy("Full name")), Column("email", gettext_lazy("E-mail"))]


def test_headers_are_matched_by_key_or_by_label_in_arabic_french_or_english():
    """A header names its column by key, or by its label in any language, whatever its case,
    accents and spacing; an unknown header is kept under its lower-case text."""
    assert read_rows(b"full_name,EMAIL\nA,a@x.ma\n", "a.csv", columns=COLUMNS) == [{"full_name": "A", "email": "a@x.ma"}]
    arabic = xlsx_bytes(["الاسم الكامل", "البريد الإلكتروني", "Note"], ["أمينة", "a@x.ma", "x"])
    assert read_rows(arabic, "a.xlsx", columns=COLUMNS) == [{"full_name": "أمينة", "email": "a@x.ma", "note": "x"}]
    french = "Nom  complet;e-mail\nÉlise;e@x.ma\n".encode()
    assert read_rows(french, "a.csv", columns=COLUMNS) == [{"full_name": "Élise", "email": "e@x.ma"}]


def test_choices_are_looked_up_by_code_or_label_in_any_language():
    """A choice is found by its code or by its label in Arabic, French or English, folded."""
    from vocabulary.regions import Province

    lookup = choice_lookup(Province.choices)
    assert {lookup[fold(text)] for text in ("al-haouz", "Al Haouz", "AL_HAOUZ", "الحوز")} == {"al-haouz"}
    assert fold("  Élue  d’Essaouira ") == "elue-d-essaouira"


@pytest.mark.parametrize(("data", "name", "message"), [
    (b"x", "a.txt", "Seuls les fichiers CSV et XLSX peuvent être importés."),
    (b"", "a.csv", "Le fichier est vide."),
    (b"\xff\xfe\x00a", "a.csv", "Le fichier CSV doit être encodé en UTF-8."),
    (b"PK\x03\x04broken", "a.xlsx", "Le fichier XLSX est illisible."),
    (b"full_name,email\n", "a.csv", "Le fichier n'a aucune ligne sous son en-tête."),
    (b"name,mail\nx,y\n", "a.csv", "full_name"),
])
def test_every_problem_with_the_file_is_one_message_in_the_users_language(data, name, message):
    """Wrong type, empty file, bad encoding, a broken workbook, no rows, a missing required column."""
    with translation.override("fr"), pytest.raises(ValueError) as error:
        read_rows(data, name, columns=COLUMNS, required=["full_name"])
    assert message in str(error.value)


def test_more_rows_than_the_limit_is_a_file_error(settings):
    """Reading stops one row past IMPORT_MAX_ROWS with a message naming the limit."""
    settings.IMPORT_MAX_ROWS = 2
    with translation.override("en"), pytest.raises(ValueError, match="more than 2 rows"):
        read_rows(b"full_name\na\nb\nc\nd\n", "a.csv", columns=COLUMNS)


@pytest.mark.parametrize(("name", "content", "message"), [
    ("people.pdf", b"%PDF-1.4", "CSV"),
    ("people.xlsx", b"full_name\nA\n", "XLSX"),
    ("people.csv", "full_name\nA\n".encode("utf-16"), "UTF-8"),
    ("people.csv", "full_name\nA\n".encode("utf-16-le"), "UTF-8"),
    ("people.csv", b"", "empty"),
])
def test_the_upload_form_checks_the_files_type_by_name_and_content(name, content, message):
    """A foreign file, a CSV disguised as XLSX, a UTF-16 CSV or an empty upload is refused by the
    form, in the user's language; a real CSV passes."""
    with translation.override("en"):
        form = SpreadsheetImportForm(data={}, files={"spreadsheet": SimpleUploadedFile(name, content)})
        assert not form.is_valid()
        assert message in " ".join(form.errors["spreadsheet"])
        good = SpreadsheetImportForm(data={}, files={"spreadsheet": SimpleUploadedFile("a.csv", b"full_name\nA\n")})
        assert good.is_valid() and good.cleaned_data["commit"] is False


def test_the_report_counts_problems_and_actions():
    """ok, error_count and count(action) read the file's and the rows' problems; a row without
    an action of the report's own says "Valid"."""

    class Report(ImportReport):
        ACTION_LABELS = {"create": "new"}

    report = Report(rows=[RowReport(2, action="create"), RowReport(3), RowReport(4, errors=["bad", "worse"])])
    assert not report.ok and report.error_count == 2 and report.count("create") == 1
    with translation.override("en"):
        assert [str(result) for _row, result in report.results] == ["new", "Valid", "Valid"]
    assert Report(rows=[RowReport(2)]).ok and not Report(file_errors=["x"]).ok
