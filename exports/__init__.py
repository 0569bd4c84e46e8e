"""Spreadsheets in and out (CSV and XLSX): the one place where the project writes and reads them.

Every export goes through :func:`export_response` (or :func:`to_csv` / :func:`to_xlsx` for a
file on disk): strings are defused against formula injection, headers are translated in the
file's language, a column's codes (``Column.choices``) are written as their labels in that
language, dates stay dates in XLSX (ISO in CSV) and only an Arabic sheet reads right to left.
Every import reads its file through :mod:`exports.readers` (headers by key or by label in any
language), takes it through :mod:`exports.forms` and reports through :mod:`exports.reports`
(shown by ``templates/exports/import_report.html``).
This package imports Django only, never a content app, so every app may use it.
"""

from .responses import FORMATS, export_response
from .writers import Column, escape_formula, to_csv, to_xlsx

__all__ = ["FORMATS", "Column", "escape_formula", "export_response", "to_csv", "to_xlsx"]
