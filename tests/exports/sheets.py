"""Spreadsheets made at test time for the import tests."""

import io

from openpyxl import Workbook


def xlsx_bytes(*rows) -> bytes:
    """An XLSX workbook whose first sheet holds ``rows`` (lists of cell values)."""
    book = Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
