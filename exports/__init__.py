"""Downloads of tables (CSV and XLSX): the one place where the project writes spreadsheets.

Every export goes through :func:`export_response` (or :func:`to_csv` / :func:`to_xlsx` for a
file on disk): strings are defused against formula injection, headers are translated in the
file's language, dates stay dates in XLSX and an Arabic sheet reads right to left.
This package imports Django only, never a content app, so every app may use it.
"""

from .responses import FORMATS, export_response
from .writers import Column, escape_formula, to_csv, to_xlsx

__all__ = ["FORMATS", "Column", "escape_formula", "export_response", "to_csv", "to_xlsx"]
