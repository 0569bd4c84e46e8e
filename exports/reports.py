"""What an import found (a dry run) or did, row by row: the report every import screen shows
through ``templates/exports/import_report.html``."""

from collections import Counter
from dataclasses import dataclass, field
from typing import ClassVar

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass
class RowReport:
    """One row of the sheet: its number (the header is row 1), what names it on screen (a
    reference, a person), its problems, what it does once valid (``action``) and its parsed data."""

    number: int
    label: str = ""
    errors: list[str] = field(default_factory=list)
    action: str = ""
    data: object = None


@dataclass
class ImportReport:
    """The file's problems and the rows' reports; ``written`` once the import went through.

    A subclass names its actions in ``ACTION_LABELS`` (action → what the screen says of such a row).
    """

    ACTION_LABELS: ClassVar[dict[str, str | Promise]] = {}

    file_errors: list[str] = field(default_factory=list)
    rows: list[RowReport] = field(default_factory=list)
    dry_run: bool = True
    written: bool = False

    @property
    def ok(self) -> bool:
        """No problem with the file nor with any row."""
        return not self.file_errors and not any(row.errors for row in self.rows)

    @property
    def error_count(self) -> int:
        """Every problem found, in the file and in its rows."""
        return len(self.file_errors) + sum(len(row.errors) for row in self.rows)

    def count(self, action: str) -> int:
        """How many rows do ``action``."""
        return Counter(row.action for row in self.rows)[action]

    @property
    def results(self) -> list[tuple[RowReport, str | Promise]]:
        """Each row with what the screen says of it when it has no problem."""
        return [(row, self.ACTION_LABELS.get(row.action, _("Valid"))) for row in self.rows]
