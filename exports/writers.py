"""Write a table (columns and rows of dicts) as CSV bytes or XLSX bytes."""

import csv
import datetime
import io
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from django.conf import settings
from django.utils import timezone, translation
from django.utils.functional import Promise

# A spreadsheet program runs a cell starting with one of these as a formula (OWASP's list).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
# Excel's limit for a sheet name, and the characters it refuses in one.
SHEET_TITLE_MAX = 31
SHEET_TITLE_FORBIDDEN = str.maketrans(dict.fromkeys("[]:*?/\\", " "))
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


# How a list of values (themes, partners) is written in one cell, and read back by the imports.
LIST_SEPARATOR = ";"


@dataclass(frozen=True)
class Column:
    """One column: the row key it reads, its header (a lazy translation) and, for a column of codes,
    its ``choices`` (code → label, as a model's ``choices``): the file then holds each code's label in
    the file's language, never the code. A list or tuple value is written as its items joined by
    :data:`LIST_SEPARATOR`, each a label when the column has choices."""

    key: str
    label: str | Promise
    choices: Sequence[tuple[str, str | Promise]] = field(default=(), hash=False, compare=False)

    def value(self, row: Mapping, labels: Mapping | None = None):
        """The cell's value for ``row`` in the active language: labels for codes, lists joined.

        ``labels`` is ``dict(self.choices)``, made once per file by the writers.
        """
        value = row.get(self.key)
        labels = dict(self.choices) if labels is None else labels
        if isinstance(value, list | tuple):
            return LIST_SEPARATOR.join(str(labels.get(item, item)) for item in value)
        if labels and isinstance(value, str) and value in labels:
            return str(labels[value])
        return value


def escape_formula(value):
    """``value`` made inert for a CSV cell: a string that a spreadsheet would run gets a leading apostrophe.

    Numbers, dates and other non-strings are returned unchanged (a negative number stays a number).
    """
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def headers(columns: Sequence[Column], *, language: str) -> list[str]:
    """The columns' headers translated into ``language``."""
    with translation.override(language):
        return [str(column.label) for column in columns]


def _values(columns: Sequence[Column], rows: Iterable[Mapping]) -> Iterable[list]:
    """Each row's cell values in the columns' order (call in the file's language)."""
    labels = [dict(column.choices) for column in columns]
    for row in rows:
        yield [column.value(row, column_labels) for column, column_labels in zip(columns, labels, strict=True)]


def _local(value):
    """Aware datetimes in the site's time zone, without tzinfo (spreadsheets have no time zones)."""
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        return timezone.localtime(value).replace(tzinfo=None)
    return value


def _csv_cell(value) -> str | int | float:
    value = _local(value)
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.isoformat(sep=" ", timespec="seconds")
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, int | float) and not isinstance(value, bool):
        return value
    return escape_formula(str(value))


def to_csv(columns: Sequence[Column], rows: Iterable[Mapping], *, language: str) -> bytes:
    """UTF-8 CSV with a BOM (so that spreadsheet programs read Arabic as UTF-8), header row first."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([escape_formula(h) for h in headers(columns, language=language)])
    with translation.override(language):
        for values in _values(columns, rows):
            writer.writerow([_csv_cell(value) for value in values])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _xlsx_cell(sheet, value):
    from openpyxl.cell import WriteOnlyCell

    value = _local(value)
    if isinstance(value, bool) or not isinstance(value, str | int | float | datetime.date):
        value = None if value is None else str(value)
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, str):
        # Always a string cell, never a formula, whatever the text starts with; the quote prefix
        # keeps it text when someone edits the cell in Excel or LibreOffice.
        cell.data_type = "s"
        cell.quotePrefix = value.startswith(FORMULA_PREFIXES)
    return cell


def _sheet_title(title: str) -> str:
    return (title.translate(SHEET_TITLE_FORBIDDEN).strip() or "Sheet")[:SHEET_TITLE_MAX]


def to_xlsx(
    columns: Sequence[Column], rows: Iterable[Mapping], *, language: str, sheet_title: str | Promise = ""
) -> bytes:
    """An XLSX workbook with one sheet: translated headers, string cells that are never formulas,
    real dates, right to left when ``language`` is Arabic."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    with translation.override(language):
        title = _sheet_title(str(sheet_title))
    sheet = workbook.create_sheet(title)
    sheet.sheet_view.rightToLeft = language.split("-")[0] in settings.LANGUAGES_BIDI
    sheet.append([_xlsx_cell(sheet, h) for h in headers(columns, language=language)])
    with translation.override(language):
        for values in _values(columns, rows):
            sheet.append([_xlsx_cell(sheet, value) for value in values])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
