"""Importing spreadsheets (dry run, every kind of bad row, ZIP attachments, re-import) and exporting."""

import csv
import io
import json
import zipfile

import pytest
from django.core.management import CommandError, call_command
from openpyxl import Workbook, load_workbook

from archive.exporter import export_rows, to_csv, to_json, to_xlsx
from archive.importer import COLUMNS, run_import
from archive.models import ActivityPage
from archive.selectors import activity_list
from tests.exports.sheets import xlsx_bytes

# The archive index is made once for the module (module_db).
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("module_archive_index")]

GOOD = {
    "reference": "MDE-2014-003", "type": "seminar", "title_ar": "ندوة الميزانية", "title_fr": "Séminaire sur le budget",
    "start_date": "2014-04-10", "end_date": "12/04/2014", "province": "Essaouira", "commune": "Essaouira",
    "themes": "governance;gis", "trainers": "Salma Idrissi|Trésorerie générale|state-official",
    "partners_ar": "الخزينة العامة", "partners_fr": "Trésorerie générale du Royaume",
    "elected_women": "4", "elected_men": "6", "total": "10", "attachments": "programme.pdf",
}


# The smallest file that is a PDF by its content (header and end marker).
PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def sheet(*rows, columns=COLUMNS) -> bytes:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns)
    writer.writeheader()
    for row in rows:
        writer.writerow(row)
    return buffer.getvalue().encode("utf-8")


def zip_of(**files) -> io.BytesIO:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in files.items():
            archive.writestr(name.replace("__", "/"), content)
    buffer.seek(0)
    return buffer


def test_dry_run_reports_and_writes_nothing(archive_index):
    """A dry run of a good file reports one creation and writes no page."""
    report = run_import(index=archive_index, data=sheet(GOOD), filename="a.csv", zip_file=zip_of(**{"programme.pdf": PDF}))
    assert report.ok and report.created == 1 and not report.written
    assert not ActivityPage.objects.exists()


BAD_ROWS = [
    ({"start_date": "2014-02-30"}, "is not a real date"),
    ({"start_date": "next week"}, "is not a date"),
    ({"end_date": "2014-04-01"}, "is before the start date"),
    ({"province": "Casablanca"}, "Unknown province"),
    ({"elected_women": "-3", "total": "3"}, "cannot be negative"),
    ({"total": "11"}, "does not add up"),
    ({"themes": "astrology"}, "Unknown theme"),
    ({"type": "party"}, "Unknown type"),
    ({"title_ar": ""}, "is empty"),
    ({"attachments": "missing.pdf"}, "is not in the ZIP file"),
    ({"elected_men": "six"}, "is not a whole number"),
]


@pytest.mark.parametrize(("change", "message"), BAD_ROWS)
def test_every_kind_of_bad_row_is_reported(archive_index, change, message):
    """Each kind of bad cell gives a clear message naming the row, and nothing is imported."""
    report = run_import(index=archive_index, data=sheet(GOOD | change), filename="a.csv",
                        zip_file=zip_of(**{"programme.pdf": PDF}), dry_run=False, language="en")
    assert not report.ok and not report.written
    assert report.rows[0].number == 2
    assert any(message in error for error in report.rows[0].errors), report.rows[0].errors
    assert not ActivityPage.objects.exists()


def test_all_problems_of_a_file_are_reported_in_french_and_nothing_half_imported(archive_index):
    """Good rows are not written when another row fails; every bad row is reported, in French, with duplicates."""
    rows = [GOOD, GOOD | {"reference": "MDE-2014-004", "province": "Tanger"}, GOOD | {"title_ar": "نسخة"}]
    report = run_import(index=archive_index, data=sheet(*rows), filename="a.csv",
                        zip_file=zip_of(**{"programme.pdf": PDF}), dry_run=False, language="fr")
    assert not report.written
    assert report.rows[0].errors == []
    assert any("Province inconnue" in e for e in report.rows[1].errors), report.rows[1].errors
    assert any("figure déjà à la ligne 2" in e for e in report.rows[2].errors), report.rows[2].errors
    assert not ActivityPage.objects.exists()


def test_import_then_reimport_updates_without_duplicates(archive_index):
    """A real import creates the Arabic and French pages with the attachment; re-importing updates them."""
    files = {"programme.pdf": PDF}
    report = run_import(index=archive_index, data=sheet(GOOD), filename="a.csv", zip_file=zip_of(**files), dry_run=False)
    assert report.written and report.created == 1
    page = ActivityPage.objects.get(reference_code="MDE-2014-003", locale__language_code="ar")
    assert page.province == "essaouira" and page.end_date.isoformat() == "2014-04-12"
    assert [d.document.title for d in page.documents.all()] == ["programme.pdf"]
    assert sorted(t.slug for t in page.themes.all()) == ["gis", "governance"]
    report = run_import(index=archive_index, data=sheet(GOOD | {"title_fr": "Séminaire budgétaire"}), filename="a.csv",
                        zip_file=zip_of(**files), dry_run=False)
    assert report.written and report.updated == 1 and report.created == 0
    assert ActivityPage.objects.filter(reference_code="MDE-2014-003").count() == 2
    fr = ActivityPage.objects.get(reference_code="MDE-2014-003", locale__language_code="fr")
    assert fr.title == "Séminaire budgétaire"
    assert fr.documents.count() == 1 and page.documents.count() == 1


def test_xlsx_with_real_dates_is_imported(archive_index):
    """An XLSX sheet whose dates are real spreadsheet dates is imported."""
    import datetime

    workbook = Workbook()
    ws = workbook.active
    ws.append(COLUMNS)
    row = GOOD | {"start_date": datetime.datetime(2014, 4, 10), "end_date": datetime.datetime(2014, 4, 12), "attachments": "", "elected_women": 4, "elected_men": 6, "total": 10}
    ws.append([row.get(c, None) for c in COLUMNS])
    buffer = io.BytesIO()
    workbook.save(buffer)
    report = run_import(index=archive_index, data=buffer.getvalue(), filename="plan.xlsx", dry_run=False)
    assert report.written, report.rows[0].errors
    assert ActivityPage.objects.get(locale__language_code="ar").beneficiaries_total == 10


def test_zip_with_path_traversal_is_refused(archive_index):
    """A ZIP member climbing out with '..' is refused and the import does not run."""
    report = run_import(index=archive_index, data=sheet(GOOD), filename="a.csv",
                        zip_file=zip_of(**{"programme.pdf": PDF, "..__..__evil.pdf": b"x"}), dry_run=False, language="en")
    assert any("unsafe path" in e for e in report.file_errors)
    assert not report.written and not ActivityPage.objects.exists()


def test_zip_over_the_size_limit_is_refused(archive_index, settings):
    """Attachments larger than ARCHIVE_IMPORT_MAX_ZIP_BYTES once unpacked are refused."""
    settings.ARCHIVE_IMPORT_MAX_ZIP_BYTES = 1024 * 1024
    report = run_import(index=archive_index, data=sheet(GOOD), filename="a.csv",
                        zip_file=zip_of(**{"programme.pdf": b"0" * (1024 * 1024 + 1)}), language="en")
    assert any("larger than the limit" in e for e in report.file_errors)


def test_unreadable_files_are_reported(archive_index):
    """A non-spreadsheet or a broken XLSX gives a file-level message, not a crash."""
    assert run_import(index=archive_index, data=b"x", filename="a.pdf", language="en").file_errors == ["Only CSV and XLSX files can be imported."]
    assert run_import(index=archive_index, data=b"not a zip", filename="a.xlsx", language="en").file_errors == ["The XLSX file cannot be read."]
    assert run_import(index=archive_index, data=b"\xff\xfe\x00", filename="a.csv", language="en").file_errors == ["The CSV file must be encoded in UTF-8."]


def test_management_command_dry_run_then_commit(archive_index, tmp_path):
    """The command checks by default, imports with --commit, and fails loudly on a bad file."""
    good = tmp_path / "good.csv"
    good.write_bytes(sheet(GOOD | {"attachments": ""}))
    out = io.StringIO()
    call_command("import_activities", str(good), stdout=out)
    assert "dry run" in out.getvalue() and not ActivityPage.objects.exists()
    call_command("import_activities", str(good), "--commit", stdout=out)
    assert ActivityPage.objects.count() == 2
    bad = tmp_path / "bad.csv"
    bad.write_bytes(sheet(GOOD | {"province": "Atlantis"}))
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("import_activities", str(bad), "--commit", stdout=out, stderr=io.StringIO())


def test_export_round_trips_and_escapes(archive_index, make_activity, django_assert_num_queries):
    """CSV, XLSX and JSON exports hold every activity once, with the French title and escaped formulas."""
    make_activity(titles={"ar": "=HYPERLINK(\"x\")", "fr": "Atelier"})
    make_activity("MDE-2017-002")
    qs = activity_list(locale=archive_index.locale)
    with django_assert_num_queries(6):
        rows = export_rows(qs)
    assert {r["reference"] for r in rows} == {"MDE-2017-001", "MDE-2017-002"}
    parsed = list(csv.DictReader(io.StringIO(to_csv(rows, language="fr").decode("utf-8-sig"))))
    first = next(r for r in parsed if r["Cote"] == "MDE-2017-001")
    assert first["Titre en arabe"].startswith("'=") and first["Titre en français"] == "Atelier"
    assert first["Total des bénéficiaires"] == "20" and first["Province"] == "Safi" and first["Type"] == "Atelier"
    sheet_rows = list(load_workbook(io.BytesIO(to_xlsx(rows))).active.iter_rows(values_only=True))
    assert sheet_rows[0][0] == "المرجع" and len(sheet_rows) == 3
    assert len(json.loads(to_json(rows))["activities"]) == 2


def _png() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(buffer, "PNG")
    return buffer.getvalue()


def _docx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        package.writestr("[Content_Types].xml", "<Types/>")
        package.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


SCRIPT = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"
REFUSED_ATTACHMENTS = [
    ("evil.html", SCRIPT, "is of a type the archive does not accept"),
    ("evil.svg", b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>', "is of a type the archive does not accept"),
    ("evil.pdf", SCRIPT, "is not a real PDF file"),
    ("evil.png", SCRIPT, "is not a real PNG file"),
    ("evil.docx", SCRIPT, "is not a real DOCX file"),
    ("evil.txt", SCRIPT, "is not a real TXT file"),
    ("evil.mp4", SCRIPT, "is not a real MP4 file"),
]


@pytest.mark.parametrize(("name", "content", "message"), REFUSED_ATTACHMENTS)
def test_attachments_are_checked_by_content_not_by_name(archive_index, name, content, message):
    """An HTML page is refused as an attachment, whether named .html or disguised under an accepted
    extension; the row says why and nothing is written (no page, no document)."""
    from wagtail.documents.models import Document

    report = run_import(index=archive_index, data=sheet(GOOD | {"attachments": name}), filename="a.csv",
                        zip_file=zip_of(**{name: content}), dry_run=False, language="en")
    assert not report.written
    assert any(message in error and name in error for error in report.rows[0].errors), report.rows[0].errors
    assert not ActivityPage.objects.exists() and not Document.objects.exists()


@pytest.mark.parametrize(("language", "message"), [
    ("ar", "ليس ملف PDF حقيقيا"), ("fr", "n’est pas un vrai fichier PDF"),
])
def test_a_refused_attachment_is_explained_in_arabic_and_french(archive_index, language, message):
    """The content check's message is in the editor's language."""
    report = run_import(index=archive_index, data=sheet(GOOD), filename="a.csv",
                        zip_file=zip_of(**{"programme.pdf": SCRIPT}), language=language)
    assert any(message in error for error in report.rows[0].errors), report.rows[0].errors


def test_real_office_files_images_and_pdfs_are_accepted(archive_index):
    """A PDF, a PNG and a DOCX that are what their names say become the activity's documents."""
    files = {"programme.pdf": PDF, "photo.png": _png(), "rapport.docx": _docx()}
    report = run_import(index=archive_index, data=sheet(GOOD | {"attachments": ";".join(files)}), filename="a.csv",
                        zip_file=zip_of(**files), dry_run=False, language="en")
    assert report.written, [row.errors for row in report.rows]
    page = ActivityPage.objects.get(locale__language_code="ar")
    assert sorted(d.document.title for d in page.documents.all()) == sorted(files)


def test_a_csv_cell_over_the_csv_module_limit_is_a_file_error(archive_index):
    """A cell longer than 131,072 characters gives a clear file-level message naming the row, not a 500."""
    data = sheet(GOOD | {"attachments": "", "summary_ar": "س" * 140_000})
    report = run_import(index=archive_index, data=data, filename="a.csv", language="en")
    assert report.file_errors == ["Row 2 of the CSV file has a cell longer than 131072 characters."]
    french = run_import(index=archive_index, data=data, filename="a.csv", language="fr")
    assert "131072" in french.file_errors[0] and "ligne 2" in french.file_errors[0]


def test_malformed_and_oversized_xlsx_are_file_errors(archive_index, settings):
    """A ZIP that is no workbook, a workbook whose sheet XML is broken, a workbook that unpacks past
    the limit and a file over the size limit each give one file-level message."""
    not_a_workbook = zip_of(**{"hello.txt": b"hi"}).getvalue()
    good = xlsx_bytes(COLUMNS, [GOOD.get(c, "") for c in COLUMNS])
    broken = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(good)) as source, zipfile.ZipFile(broken, "w") as target:
        for info in source.infolist():
            content = source.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                content = content[: len(content) // 2]  # cut in the middle of the rows
            target.writestr(info, content)
    unreadable = ["The XLSX file cannot be read."]
    assert run_import(index=archive_index, data=not_a_workbook, filename="a.xlsx", language="en").file_errors == unreadable
    assert run_import(index=archive_index, data=broken.getvalue(), filename="a.xlsx", language="en").file_errors == unreadable
    settings.IMPORT_MAX_SHEET_BYTES = 1024 * 1024
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr("xl/sharedStrings.xml", b" " * (11 * 1024 * 1024))
    assert len(bomb.getvalue()) < 1024 * 1024
    assert run_import(index=archive_index, data=bomb.getvalue(), filename="a.xlsx", language="en").file_errors == [
        "The XLSX file is larger than 10 MB once unpacked."]
    assert run_import(index=archive_index, data=b"x" * (1024 * 1024 + 1), filename="a.csv", language="en").file_errors == [
        "The file is larger than 1 MB."]


def test_a_sheet_declaring_thousands_of_columns_and_rows_reads_only_what_the_import_needs(archive_index, settings):
    """Rows stop one past the row limit and columns at the import's cap, so a wide, long sheet
    gives the row-limit message quickly instead of exhausting memory."""
    settings.IMPORT_MAX_ROWS = 3
    wide = [*COLUMNS, *[f"extra{i}" for i in range(400)]]
    data = xlsx_bytes(wide, *([GOOD.get(c, "x") for c in wide] for _ in range(10)))
    report = run_import(index=archive_index, data=data, filename="a.xlsx", language="en")
    assert report.file_errors == ["The file has more than 3 rows."]


def test_archive_xlsx_export_holds_text_cells_and_real_dates(archive_index, make_activity):
    """In the archive's XLSX a formula-like title is a string cell with the exact text, the start date
    is a date cell, the Arabic sheet reads right to left, and the export imports back."""
    make_activity(titles={"ar": "=HYPERLINK(\"x\")", "fr": "Atelier"})
    rows = export_rows(activity_list(locale=archive_index.locale))
    book = load_workbook(io.BytesIO(to_xlsx(rows)))
    sheet = book.active
    header = [c.value for c in sheet[1]]
    title = sheet.cell(row=2, column=header.index("العنوان بالعربية") + 1)
    assert title.data_type == "s" and title.value == "=HYPERLINK(\"x\")"
    assert sheet.cell(row=2, column=header.index("تاريخ البداية") + 1).is_date
    assert sheet.sheet_view.rightToLeft


@pytest.mark.parametrize(("language", "writer", "filename"), [("ar", to_xlsx, "a.xlsx"), ("fr", to_csv, "a.csv")])
def test_an_export_in_either_language_imports_back(archive_index, make_activity, language, writer, filename):
    """An export with translated headers and labels (type, province, themes, trainers' kind) imports
    back as it is: the same activity, updated, with the same codes."""
    make_activity()
    rows = export_rows(activity_list(locale=archive_index.locale), language=language)
    report = run_import(index=archive_index, data=writer(rows, language=language), filename=filename, language="en")
    assert report.ok, [row.errors for row in report.rows]
    assert report.updated == 1
    data = report.rows[0].data
    assert (data.activity_type, data.province, data.theme_slugs) == ("workshop", "safi", ["governance"])
    assert data.trainers == [("Ahmed Expert", "Université Cadi Ayyad", "academic")]
    assert data.start_date.isoformat() == "2017-03-14" and data.beneficiaries_total == 20
