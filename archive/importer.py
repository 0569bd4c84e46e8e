"""Import past activities from the institution's spreadsheets (CSV or XLSX) and a ZIP of attachments.

Every row is checked first and every problem reported, in the editor's language; only a file
without problems is written, in one transaction, through ``services.activity_upsert``.
Re-importing the same reference codes updates the activities, never duplicates them.
"""

import contextlib
import csv
import datetime
import io
import re
import unicodedata
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from vocabulary.models import Person, Theme
from vocabulary.regions import Province

from .attachments import attachment_problem
from .models import REFERENCE_RE, ActivityPage, ActivitySeriesPage, ActivityType, ArchiveIndexPage
from .services import COUNT_FIELDS, ActivityData, PartnerData, activity_upsert

COLUMNS = [
    "reference", "type", "title_ar", "title_fr", "summary_ar", "summary_fr", "start_date", "end_date",
    "venue", "province", "commune", "themes", "trainers", "partners_ar", "partners_fr",
    *COUNT_FIELDS, "total", "communes", "series", "source", "rights", "attachments",
]
REQUIRED = ["reference", "type", "title_ar", "start_date"]
LIST_SEPARATOR = ";"


def import_max_zip_bytes() -> int:
    return getattr(settings, "ARCHIVE_IMPORT_MAX_ZIP_BYTES", 200 * 1024 * 1024)


def import_max_rows() -> int:
    return getattr(settings, "ARCHIVE_IMPORT_MAX_ROWS", 5000)


@dataclass
class RowReport:
    number: int
    reference: str
    action: str = ""  # "create" or "update" once the row is valid
    errors: list[str] = field(default_factory=list)


@dataclass
class ImportReport:
    rows: list[RowReport] = field(default_factory=list)
    file_errors: list[str] = field(default_factory=list)
    written: bool = False
    # whether the importing user's activities go live (else: drafts submitted to moderation)
    publishes: bool = True

    @property
    def ok(self) -> bool:
        return not self.file_errors and all(not row.errors for row in self.rows)

    @property
    def created(self) -> int:
        return sum(1 for row in self.rows if row.action == "create")

    @property
    def updated(self) -> int:
        return sum(1 for row in self.rows if row.action == "update")

    @property
    def error_count(self) -> int:
        return len(self.file_errors) + sum(len(row.errors) for row in self.rows)


def _fold(text: str) -> str:
    """Lower case without accents, for matching province names typed by hand."""
    text = unicodedata.normalize("NFKD", str(text)).casefold()
    return re.sub(r"[\s_'’-]+", "-", "".join(c for c in text if not unicodedata.combining(c))).strip("-")


def _choice_lookup(choices) -> dict[str, str]:
    """Folded value and label (in Arabic, French and English) of each choice → the choice's value."""
    lookup = {}
    for value, label in choices:
        lookup[_fold(value)] = value
        for language in ("ar", "fr", "en"):
            with translation.override(language):
                lookup[_fold(str(label))] = value
    return lookup


def import_max_sheet_bytes() -> int:
    return getattr(settings, "ARCHIVE_IMPORT_MAX_SHEET_BYTES", 20 * 1024 * 1024)


# Columns read from an XLSX row: a sheet may declare 16,384 columns, the import has about forty.
XLSX_MAX_COLUMNS = 200
# An XLSX is a ZIP of XML: what it may unpack to, so that a small file cannot expand without bound.
XLSX_MAX_UNPACKED_FACTOR = 10


def _xlsx_values(data: bytes) -> Iterator[tuple]:
    """The first sheet's rows; ValueError for a broken, disguised or oversized workbook."""
    from openpyxl import load_workbook

    unreadable = ValueError(_("The XLSX file cannot be read."))
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            unpacked = sum(info.file_size for info in package.infolist())
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise unreadable from exc
    limit = import_max_sheet_bytes() * XLSX_MAX_UNPACKED_FACTOR
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


def _csv_values(data: bytes) -> Iterator[list[str]]:
    """The CSV's rows (comma or semicolon separated); ValueError naming the row that cannot be read."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ValueError(_("The CSV file must be encoded in UTF-8.")) from exc
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


def read_rows(data: bytes, filename: str) -> list[dict[str, str]]:
    """The spreadsheet's rows as dicts keyed by lower-case header; raises ValueError if unreadable.

    Reading stops one row past ``import_max_rows()`` (the caller reports the excess).
    """
    if len(data) > import_max_sheet_bytes():
        raise ValueError(_("The file is larger than %(limit)s MB.") % {"limit": import_max_sheet_bytes() // (1024 * 1024)})
    if filename.lower().endswith(".xlsx"):
        values = _xlsx_values(data)
    elif filename.lower().endswith(".csv"):
        values = _csv_values(data)
    else:
        raise ValueError(_("Only CSV and XLSX files can be imported."))
    first = next(values, None)
    if first is None:
        raise ValueError(_("The file is empty."))
    header = [str(h or "").strip().lower() for h in first]
    rows = []
    with contextlib.closing(values):  # a workbook left half read is closed at once
        for raw in values:
            cells = ["" if c is None else c for c in raw]
            if not any(str(c).strip() for c in cells):
                continue
            rows.append({name: cells[i] if i < len(cells) else "" for i, name in enumerate(header) if name})
            if len(rows) > import_max_rows():
                break
    return rows


def read_zip(upload) -> tuple[dict[str, bytes], list[str]]:
    """Attachments by bare file name from an uploaded ZIP, and the problems found.

    Members are read in memory and matched by name only: nothing is extracted to disk, and a member
    whose path is absolute or climbs with ``..`` is refused.
    """
    if upload is None:
        return {}, []
    errors: list[str] = []
    limit = import_max_zip_bytes()
    try:
        archive = zipfile.ZipFile(upload)
    except zipfile.BadZipFile:
        return {}, [_("The attachments file is not a valid ZIP archive.")]
    files: dict[str, bytes] = {}
    infos = [i for i in archive.infolist() if not i.is_dir()]
    if sum(i.file_size for i in infos) > limit:
        return {}, [_("The attachments are larger than the limit of %(limit)s MB once unpacked.") % {"limit": limit // (1024 * 1024)}]
    for info in infos:
        name = info.filename.replace("\\", "/")
        if name.startswith("/") or ".." in name.split("/") or re.match(r"^[A-Za-z]:", name):
            errors.append(_("The ZIP member “%(name)s” has an unsafe path and was refused.") % {"name": info.filename})
            continue
        base = name.rsplit("/", 1)[-1]
        if base in files:
            errors.append(_("Two files in the ZIP are named “%(name)s”.") % {"name": base})
            continue
        files[base] = archive.read(info)
    return files, errors


DATE_FORMATS = [
    (re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$"), (0, 1, 2)),
    (re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$"), (2, 1, 0)),
    (re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$"), (2, 1, 0)),
]


def _parse_date(value, label: str, errors: list[str]) -> datetime.date | None:
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = str(value or "").strip()
    if not text:
        return None
    text = text.split(" ")[0].split("T")[0]
    for pattern, order in DATE_FORMATS:
        match = pattern.match(text)
        if match:
            parts = match.groups()
            year, month, day = (int(parts[i]) for i in order)
            try:
                return datetime.date(year, month, day)
            except ValueError:
                errors.append(_("%(field)s: “%(value)s” is not a real date.") % {"field": label, "value": text})
                return None
    errors.append(_("%(field)s: “%(value)s” is not a date (use YYYY-MM-DD or DD/MM/YYYY).") % {"field": label, "value": text})
    return None


def _parse_count(value, label: str, errors: list[str]) -> int | None:
    if value is None or str(value).strip() == "":
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip().replace("\u00a0", "").replace(" ", "")
    if re.fullmatch(r"-\d+", text):
        errors.append(_("%(field)s: a count cannot be negative (%(value)s).") % {"field": label, "value": text})
        return None
    if not text.isdigit():
        errors.append(_("%(field)s: “%(value)s” is not a whole number.") % {"field": label, "value": text})
        return None
    return int(text)


def _split(value) -> list[str]:
    return [part.strip() for part in str(value or "").split(LIST_SEPARATOR) if part.strip()]


def _parse_trainer(text: str) -> tuple[str, str, str]:
    # "Name | affiliation | kind", the last two optional
    parts = [p.strip() for p in text.split("|")]
    kind = parts[2] if len(parts) > 2 and parts[2] in Person.Kind.values else Person.Kind.EXPERT
    return parts[0], parts[1] if len(parts) > 1 else "", kind


@dataclass
class _Known:
    """What the rows are checked against, read once per import; ``seen`` fills up row by row."""

    provinces: dict
    types: dict
    themes: set
    series: set
    existing: set
    attachments: dict
    seen: dict = field(default_factory=dict)
    checked: dict = field(default_factory=dict)  # attachment name -> its problem, each file checked once


def _cell(row, name):
    value = row.get(name, "")
    return value.strip() if isinstance(value, str) else value


def _check_reference(reference: str, number: int, known: _Known, errors: list[str]) -> None:
    if reference and not re.fullmatch(REFERENCE_RE, reference):
        errors.append(_("The reference “%(reference)s” may only hold letters, digits, dots, dashes and underscores.") % {"reference": reference})
    if reference:
        if reference.lower() in known.seen:
            errors.append(_("The reference “%(reference)s” already appears on row %(row)s.") % {"reference": reference, "row": known.seen[reference.lower()]})
        else:
            known.seen[reference.lower()] = number


def _look_up(value, table: dict, unknown: str, errors: list[str]) -> str:
    """The code of a spelled-out value (type, province) in ``table``; ``unknown`` noted if absent."""
    if not value:
        return ""
    code = table.get(_fold(value), "")
    if not code:
        errors.append(unknown % {"value": value})
    return code


def _check_dates(row, errors: list[str]):
    start = _parse_date(_cell(row, "start_date"), "start_date", errors)
    end = _parse_date(_cell(row, "end_date"), "end_date", errors)
    if start and end and end < start:
        errors.append(_("The end date %(end)s is before the start date %(start)s.") % {"end": end.isoformat(), "start": start.isoformat()})
    if start and not (2000 <= start.year <= datetime.date.today().year + 1):
        errors.append(_("The start date %(date)s is outside the archive's years.") % {"date": start.isoformat()})
    return start, end


def _check_counts(row, errors: list[str]):
    counts = {}
    for name in COUNT_FIELDS:
        value = _parse_count(_cell(row, name), name, errors)
        counts[name] = value or 0
    total = _parse_count(_cell(row, "total"), "total", errors)
    communes = _parse_count(_cell(row, "communes"), "communes", errors)
    breakdown = sum(counts.values())
    if breakdown and total is not None and breakdown != total:
        errors.append(_("The total %(total)s does not add up: the breakdown by category and gender sums to %(sum)s.") % {"total": total, "sum": breakdown})
    return counts, total, communes


def _check_attachments(row, known: _Known, errors: list[str]) -> dict[str, bytes]:
    """The row's attachments that are in the ZIP and pass the content check; the others go to ``errors``."""
    files = {}
    for name in _split(_cell(row, "attachments")):
        if name not in known.attachments:
            errors.append(_("The attachment “%(name)s” is not in the ZIP file.") % {"name": name})
            continue
        if name not in known.checked:
            known.checked[name] = attachment_problem(name, known.attachments[name])
        if known.checked[name]:
            errors.append(known.checked[name])
        else:
            files[name] = known.attachments[name]
    return files


def _check_row(number: int, row, known: _Known) -> tuple[RowReport, ActivityData | None]:
    """One row's report, and its parsed data when it has no problem."""
    errors: list[str] = []

    def cell(name):
        return _cell(row, name)

    reference = str(cell("reference") or "").strip()
    report = RowReport(number=number, reference=reference)
    for name in REQUIRED:
        if cell(name) in ("", None):
            errors.append(_("The column “%(column)s” is empty.") % {"column": name})
    _check_reference(reference, number, known, errors)
    activity_type = _look_up(cell("type"), known.types, _("Unknown type “%(value)s”."), errors)
    start, end = _check_dates(row, errors)
    province = _look_up(cell("province"), known.provinces, _("Unknown province “%(value)s”."), errors)
    theme_slugs = _split(cell("themes"))
    for slug in theme_slugs:
        if slug not in known.themes:
            errors.append(_("Unknown theme “%(value)s”.") % {"value": slug})
    counts, total, communes = _check_counts(row, errors)
    series = str(cell("series") or "").strip()
    if series and series not in known.series:
        errors.append(_("Unknown series “%(series)s”.") % {"series": series})
    files = _check_attachments(row, known, errors)
    partners_ar, partners_fr = _split(cell("partners_ar")), _split(cell("partners_fr"))
    if partners_ar and partners_fr and len(partners_ar) != len(partners_fr):
        errors.append(_("The Arabic and French partner lists do not have the same length."))
    report.errors = errors
    if errors:
        return report, None
    report.action = "update" if reference.lower() in known.existing else "create"
    count = max(len(partners_ar), len(partners_fr))
    return report, ActivityData(
        reference_code=reference, activity_type=activity_type, start_date=start, end_date=end,
        titles={"ar": str(cell("title_ar")), "fr": str(cell("title_fr") or "")},
        summaries={"ar": str(cell("summary_ar") or ""), "fr": str(cell("summary_fr") or "")},
        venue=str(cell("venue") or ""), province=province, commune=str(cell("commune") or ""),
        theme_slugs=theme_slugs, trainers=[_parse_trainer(t) for t in _split(cell("trainers"))],
        partners=[PartnerData(
            name_ar=partners_ar[i] if i < len(partners_ar) else "",
            name_fr=partners_fr[i] if i < len(partners_fr) else "",
        ) for i in range(count)],
        counts=counts, beneficiaries_total=total, communes_count=communes, series_slug=series,
        source_note=str(cell("source") or ""), rights_notes=str(cell("rights") or ""), attachments=files,
    )


def validate_rows(rows, *, index: ArchiveIndexPage, attachments: dict[str, bytes]) -> tuple[list[RowReport], list[ActivityData]]:
    """Check every row; return one report per row and the parsed data of the rows without problems."""
    known = _Known(
        provinces=_choice_lookup(Province.choices),
        types=_choice_lookup(ActivityType.choices),
        themes=set(Theme.objects.values_list("slug", flat=True)),
        series=set(ActivitySeriesPage.objects.child_of(index).values_list("slug", flat=True)),
        existing={
            code.lower()
            for code in ActivityPage.objects.filter(locale=index.locale).values_list("reference_code", flat=True)
        },
        attachments=attachments,
    )
    reports, parsed = [], []
    for number, row in enumerate(rows, start=2):  # row 1 is the header
        report, data = _check_row(number, row, known)
        reports.append(report)
        if data is not None:
            parsed.append(data)
    return reports, parsed


def run_import(*, index: ArchiveIndexPage, data: bytes, filename: str, zip_file=None, dry_run: bool = True,
               language: str = "ar", user=None) -> ImportReport:
    """Check a spreadsheet (and its attachments) and, unless ``dry_run``, write it all or nothing.

    Messages are in ``language``. With a ``user``, the activities go live only if that user may
    publish them; otherwise they are saved as drafts and submitted to moderation. Without one
    (the management command, run by the operator) they are published.
    """
    report = ImportReport(publishes=user is None or index.permissions_for_user(user).can_publish_subpage())
    with translation.override(language):
        try:
            rows = read_rows(data, filename)
        except ValueError as exc:
            report.file_errors.append(str(exc))
            return report
        if len(rows) > import_max_rows():
            report.file_errors.append(_("The file has more than %(limit)s rows.") % {"limit": import_max_rows()})
            return report
        attachments, zip_errors = read_zip(zip_file)
        report.file_errors.extend(zip_errors)
        report.rows, parsed = validate_rows(rows, index=index, attachments=attachments)
        if dry_run or not report.ok:
            return report
        try:
            with transaction.atomic():
                for row, item in zip([r for r in report.rows if not r.errors], parsed, strict=True):
                    try:
                        activity_upsert(index=index, data=item, user=user)
                    except ValidationError as exc:
                        row.errors.extend(exc.messages)
                        raise
        except ValidationError:
            return report
        report.written = True
    return report
