"""Read an uploaded spreadsheet (CSV or XLSX) into rows keyed by column: the one reader of every import.

Headers are matched loosely (case, accents, spaces and dashes folded) against each column's key and
its label in Arabic, French and English, so that a file the project exported imports back as is.
Every problem with the file itself is a ``ValueError`` whose message is in the active language.
"""

import contextlib
import csv
import io
import re
import unicodedata
import zipfile
from collections.abc import Iterable, Iterator, Sequence

from django.conf import settings
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from .writers import Column

# Columns read from an XLSX row: a sheet may declare 16,384 columns, an import has a few dozen.
XLSX_MAX_COLUMNS = 200
# An XLSX is a ZIP of XML: what it may unpack to, so that a small file cannot expand without bound.
XLSX_MAX_UNPACKED_FACTOR = 10
# The languages whose labels name a column in an uploaded header row (English: the source strings).
HEADER_LANGUAGES = ("ar", "fr", "en")


def max_sheet_bytes() -> int:
    """The largest spreadsheet an import accepts (``IMPORT_MAX_SHEET_BYTES``, 20 MB by default)."""
    return getattr(settings, "IMPORT_MAX_SHEET_BYTES", 20 * 1024 * 1024)


def max_rows() -> int:
    """The most rows an import reads below its header (``IMPORT_MAX_ROWS``, 5,000 by default)."""
    return getattr(settings, "IMPORT_MAX_ROWS", 5000)


def fold(text) -> str:
    """Lower case without accents, runs of spaces, dashes, underscores and apostrophes as one dash:
    the form in which names typed by hand are compared."""
    text = unicodedata.normalize("NFKD", str(text)).casefold()
    return re.sub(r"[\s_'’-]+", "-", "".join(c for c in text if not unicodedata.combining(c))).strip("-")


def choice_lookup(choices: Iterable[tuple[str, str | Promise]]) -> dict[str, str]:
    """Folded value and label (in Arabic, French and English) of each choice → the choice's value."""
    lookup = {}
    for value, label in choices:
        lookup[fold(value)] = value
        for language in HEADER_LANGUAGES:
            with translation.override(language):
                lookup[fold(str(label))] = value
    return lookup


def header_lookup(columns: Sequence[Column]) -> dict[str, str]:
    """Folded key and label (in Arabic, French and English) of each column → the column's key."""
    return choice_lookup((column.key, column.label) for column in columns)


def _xlsx_values(data: bytes) -> Iterator[tuple]:
    """The first sheet's rows; ValueError for a broken, disguised or oversized workbook."""
    from openpyxl import load_workbook

    unreadable = ValueError(_("The XLSX file cannot be read."))
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            unpacked = sum(info.file_size for info in package.infolist())
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise unreadable from exc
    limit = max_sheet_bytes() * XLSX_MAX_UNPACKED_FACTOR
    if unpacked > limit:
        raise ValueError(_("The XLSX file is larger than %(limit)s MB once unpacked.") % {"limit": limit // (1024 * 1024)})
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a broken file
        raise unreadable from exc
    try:
        yield from workbook.worksheets[0].iter_rows(values_only=True, max_col=XLSX_MAX_COLUMNS)
    except Exception as exc:  # a sheet broken past its first rows fails while it is read
        raise unreadable from exc
    finally:
        workbook.close()


def decode_csv(data: bytes) -> str:
    """The CSV's text (UTF-8, with or without a BOM); ValueError in the user's language otherwise."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ValueError(_("The CSV file must be encoded in UTF-8.")) from exc


def _csv_values(data: bytes) -> Iterator[list[str]]:
    """The CSV's rows (comma or semicolon separated); ValueError naming the row that cannot be read."""
    text = decode_csv(data)
    sample = text[:4096]
    delimiter = ";" if sample.count(";") > sample.count(",") and "\t" not in sample.split("\n", 1)[0] else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    try:
        yield from reader
    except csv.Error as exc:
        if "field larger than field limit" in str(exc):
            raise ValueError(_("Row %(row)s of the CSV file has a cell longer than %(limit)s characters.") % {
                "row": reader.line_num, "limit": csv.field_size_limit()}) from exc
        raise ValueError(_("The CSV file cannot be read near row %(row)s.") % {"row": reader.line_num}) from exc


def _header_keys(first, columns: Sequence[Column] | None) -> list[str]:
    """The key of each header cell: the column it names, or its folded text when it names none."""
    lookup = header_lookup(columns) if columns else {}
    keys = []
    for cell in first:
        text = str(cell or "").strip()
        keys.append(lookup.get(fold(text), text.lower()) if text else "")
    return keys


def read_rows(
    data: bytes, filename: str, *, columns: Sequence[Column] | None = None, required: Sequence[str] = (),
) -> list[dict]:
    """The spreadsheet's rows as dicts keyed by column (see :func:`header_lookup`; without
    ``columns``, by lower-case header); blank rows are skipped.

    Raises ValueError, in the active language, for a file that is too large, of another type,
    unreadable, empty, without rows below its header, without a header for every ``required``
    key, or longer than :func:`max_rows` (reading stops one row past it).
    """
    if len(data) > max_sheet_bytes():
        raise ValueError(_("The file is larger than %(limit)s MB.") % {"limit": max_sheet_bytes() // (1024 * 1024)})
    if filename.lower().endswith(".xlsx"):
        values = _xlsx_values(data)
    elif filename.lower().endswith(".csv"):
        values = _csv_values(data)
    else:
        raise ValueError(_("Only CSV and XLSX files can be imported."))
    first = next(values, None)
    if first is None:
        raise ValueError(_("The file is empty."))
    header = _header_keys(first, columns)
    if any(key not in header for key in required):
        raise ValueError(_("The first row must name the columns: %(columns)s.") % {"columns": ", ".join(required)})
    rows = []
    with contextlib.closing(values):  # a workbook left half read is closed at once
        for raw in values:
            cells = ["" if c is None else c for c in raw]
            if not any(str(c).strip() for c in cells):
                continue
            rows.append({name: cells[i] if i < len(cells) else "" for i, name in enumerate(header) if name})
            if len(rows) > max_rows():
                raise ValueError(_("The file has more than %(limit)s rows.") % {"limit": max_rows()})
    if not rows:
        raise ValueError(_("The file has no rows below its header."))
    return rows
