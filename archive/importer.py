"""Import past activities from the institution's spreadsheets (CSV or XLSX) and a ZIP of attachments.

Every row is checked first and every problem reported, in the editor's language; only a file
without problems is written, in one transaction, through ``services.activity_upsert``.
Re-importing the same reference codes updates the activities, never duplicates them.
"""

import datetime
import re
import zipfile
from dataclasses import dataclass, field
from typing import ClassVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

import exports
from exports.readers import choice_lookup, fold, read_rows
from exports.reports import ImportReport as BaseImportReport
from exports.reports import RowReport
from vocabulary.models import Person, Theme
from vocabulary.regions import Province

from .attachments import attachment_problem
from .models import REFERENCE_RE, ActivityPage, ActivitySeriesPage, ActivityType, ArchiveIndexPage
from .services import COUNT_FIELDS, ActivityData, PartnerData, activity_upsert

COUNT_LABELS = {
    "elected_women": gettext_lazy("Elected women"), "elected_men": gettext_lazy("Elected men"),
    "staff_women": gettext_lazy("Staff women"), "staff_men": gettext_lazy("Staff men"),
    "other_women": gettext_lazy("Other women"), "other_men": gettext_lazy("Other men"),
}
#: The sheet's columns: the key each header names (the key itself, or its label in Arabic, French
#: or English, as the archive's export writes it) and, for codes, their choices (labels in the file).
SHEET_COLUMNS = [
    exports.Column("reference", gettext_lazy("Reference")),
    exports.Column("type", gettext_lazy("Type"), choices=ActivityType.choices),
    exports.Column("title_ar", gettext_lazy("Title in Arabic")), exports.Column("title_fr", gettext_lazy("Title in French")),
    exports.Column("summary_ar", gettext_lazy("Summary in Arabic")),
    exports.Column("summary_fr", gettext_lazy("Summary in French")),
    exports.Column("start_date", gettext_lazy("Start date")), exports.Column("end_date", gettext_lazy("End date")),
    exports.Column("venue", gettext_lazy("Venue")),
    exports.Column("province", gettext_lazy("Province"), choices=Province.choices),
    exports.Column("commune", gettext_lazy("Commune")), exports.Column("themes", gettext_lazy("Themes")),
    exports.Column("trainers", gettext_lazy("Trainers and speakers")),
    exports.Column("partners_ar", gettext_lazy("Partners in Arabic")),
    exports.Column("partners_fr", gettext_lazy("Partners in French")),
    *(exports.Column(name, COUNT_LABELS[name]) for name in COUNT_FIELDS),
    exports.Column("total", gettext_lazy("Total beneficiaries")),
    exports.Column("communes", gettext_lazy("Communes represented")),
    exports.Column("series", gettext_lazy("Series")), exports.Column("source", gettext_lazy("Source")),
    exports.Column("rights", gettext_lazy("Rights")), exports.Column("attachments", gettext_lazy("Attachments")),
]
COLUMNS = [column.key for column in SHEET_COLUMNS]
LABELS = {column.key: column.label for column in SHEET_COLUMNS}
REQUIRED = ["reference", "type", "title_ar", "start_date"]
LIST_SEPARATOR = exports.writers.LIST_SEPARATOR


def import_max_zip_bytes() -> int:
    """The largest ZIP of attachments, once unpacked (``ARCHIVE_IMPORT_MAX_ZIP_BYTES``, 200 MB)."""
    return getattr(settings, "ARCHIVE_IMPORT_MAX_ZIP_BYTES", 200 * 1024 * 1024)


@dataclass
class ImportReport(BaseImportReport):
    """The archive import's report: rows labelled by reference, created or updated."""

    ACTION_LABELS: ClassVar = {"create": gettext_lazy("New activity"), "update": gettext_lazy("Update")}

    # whether the importing user's activities go live (else: drafts submitted to moderation)
    publishes: bool = True

    @property
    def created(self) -> int:
        return self.count("create")

    @property
    def updated(self) -> int:
        return self.count("update")


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


def _parse_trainer(text: str, kinds: dict[str, str]) -> tuple[str, str, str]:
    # "Name | affiliation | kind", the last two optional; the kind as a code or its label
    parts = [p.strip() for p in text.split("|")]
    kind = kinds.get(fold(parts[2]), Person.Kind.EXPERT) if len(parts) > 2 else Person.Kind.EXPERT
    return parts[0], parts[1] if len(parts) > 1 else "", kind


@dataclass
class _Known:
    """What the rows are checked against, read once per import; ``seen`` fills up row by row."""

    provinces: dict
    types: dict
    kinds: dict
    themes: dict  # folded slug or name (in any language) -> slug
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
    code = table.get(fold(value), "")
    if not code:
        errors.append(unknown % {"value": value})
    return code


def _check_dates(row, errors: list[str]):
    start = _parse_date(_cell(row, "start_date"), str(LABELS["start_date"]), errors)
    end = _parse_date(_cell(row, "end_date"), str(LABELS["end_date"]), errors)
    if start and end and end < start:
        errors.append(_("The end date %(end)s is before the start date %(start)s.") % {"end": end.isoformat(), "start": start.isoformat()})
    if start and not (2000 <= start.year <= datetime.date.today().year + 1):
        errors.append(_("The start date %(date)s is outside the archive's years.") % {"date": start.isoformat()})
    return start, end


def _check_counts(row, errors: list[str]):
    counts = {}
    for name in COUNT_FIELDS:
        value = _parse_count(_cell(row, name), str(LABELS[name]), errors)
        counts[name] = value or 0
    total = _parse_count(_cell(row, "total"), str(LABELS["total"]), errors)
    communes = _parse_count(_cell(row, "communes"), str(LABELS["communes"]), errors)
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


def _check_themes(row, known: _Known, errors: list[str]) -> list[str]:
    """The slugs of the row's themes, each given by its slug or its name in either language."""
    slugs = []
    for value in _split(_cell(row, "themes")):
        slug = known.themes.get(fold(value))
        if slug is None:
            errors.append(_("Unknown theme “%(value)s”.") % {"value": value})
        elif slug not in slugs:
            slugs.append(slug)
    return slugs


def _check_row(number: int, row, known: _Known) -> RowReport:
    """One row's report, with its parsed data (``data``) when it has no problem."""
    errors: list[str] = []

    def cell(name):
        return _cell(row, name)

    reference = str(cell("reference") or "").strip()
    report = RowReport(number=number, label=reference)
    for name in REQUIRED:
        if cell(name) in ("", None):
            errors.append(_("The column “%(column)s” is empty.") % {"column": LABELS[name]})
    _check_reference(reference, number, known, errors)
    activity_type = _look_up(cell("type"), known.types, _("Unknown type “%(value)s”."), errors)
    start, end = _check_dates(row, errors)
    province = _look_up(cell("province"), known.provinces, _("Unknown province “%(value)s”."), errors)
    theme_slugs = _check_themes(row, known, errors)
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
        return report
    report.action = "update" if reference.lower() in known.existing else "create"
    count = max(len(partners_ar), len(partners_fr))
    report.data = ActivityData(
        reference_code=reference, activity_type=activity_type, start_date=start, end_date=end,
        titles={"ar": str(cell("title_ar")), "fr": str(cell("title_fr") or "")},
        summaries={"ar": str(cell("summary_ar") or ""), "fr": str(cell("summary_fr") or "")},
        venue=str(cell("venue") or ""), province=province, commune=str(cell("commune") or ""),
        theme_slugs=theme_slugs, trainers=[_parse_trainer(t, known.kinds) for t in _split(cell("trainers"))],
        partners=[PartnerData(
            name_ar=partners_ar[i] if i < len(partners_ar) else "",
            name_fr=partners_fr[i] if i < len(partners_fr) else "",
        ) for i in range(count)],
        counts=counts, beneficiaries_total=total, communes_count=communes, series_slug=series,
        source_note=str(cell("source") or ""), rights_notes=str(cell("rights") or ""), attachments=files,
    )
    return report


def _theme_lookup() -> dict[str, str]:
    """Folded slug and name (in every language) of each theme → its slug."""
    lookup = {}
    for slug, name in Theme.objects.values_list("slug", "name"):
        lookup[fold(slug)] = slug
        lookup.setdefault(fold(name), slug)
    return lookup


def validate_rows(rows, *, index: ArchiveIndexPage, attachments: dict[str, bytes]) -> list[RowReport]:
    """Check every row: one report per row, with its parsed data (``data``) when it has no problem."""
    known = _Known(
        provinces=choice_lookup(Province.choices),
        types=choice_lookup(ActivityType.choices),
        kinds=choice_lookup(Person.Kind.choices),
        themes=_theme_lookup(),
        series=set(ActivitySeriesPage.objects.child_of(index).values_list("slug", flat=True)),
        existing={
            code.lower()
            for code in ActivityPage.objects.filter(locale=index.locale).values_list("reference_code", flat=True)
        },
        attachments=attachments,
    )
    return [_check_row(number, row, known) for number, row in enumerate(rows, start=2)]  # row 1: the header


def run_import(*, index: ArchiveIndexPage, data: bytes, filename: str, zip_file=None, dry_run: bool = True,
               language: str = "ar", user=None) -> ImportReport:
    """Check a spreadsheet (and its attachments) and, unless ``dry_run``, write it all or nothing.

    Messages are in ``language``. With a ``user``, the activities go live only if that user may
    publish them; otherwise they are saved as drafts and submitted to moderation. Without one
    (the management command, run by the operator) they are published.
    """
    report = ImportReport(dry_run=dry_run, publishes=user is None or index.permissions_for_user(user).can_publish_subpage())
    with translation.override(language):
        try:
            rows = read_rows(data, filename, columns=SHEET_COLUMNS, required=REQUIRED)
        except ValueError as exc:
            report.file_errors.append(str(exc))
            return report
        attachments, zip_errors = read_zip(zip_file)
        report.file_errors.extend(zip_errors)
        report.rows = validate_rows(rows, index=index, attachments=attachments)
        if dry_run or not report.ok:
            return report
        try:
            with transaction.atomic():
                for row in report.rows:
                    try:
                        activity_upsert(index=index, data=row.data, user=user)
                    except ValidationError as exc:
                        row.errors.extend(exc.messages)
                        raise
        except ValidationError:
            return report
        report.written = True
    return report
