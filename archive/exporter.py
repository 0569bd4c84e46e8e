"""Export the archive (whole or filtered) as CSV, XLSX or JSON, in the importer's columns.

Only public aggregates leave the site: there is no beneficiary name in the archive to export.
"""

import csv
import io
import json

from django.db.models import QuerySet

from .importer import COLUMNS
from .models import ActivityPage
from .services import COUNT_FIELDS

# A spreadsheet runs a cell starting with these as a formula; a leading apostrophe keeps it text.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def escape_formula(value):
    """``value`` made safe for a spreadsheet cell (strings only; numbers stay numbers)."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def export_rows(activities: QuerySet[ActivityPage]) -> list[dict]:
    """One dict per activity, keyed by the import columns; French titles come from the translations.

    Six queries whatever the number of activities.
    """
    activities = list(activities.prefetch_related("themes", "trainers", "partners", "documents__document"))
    translations = {
        (page.translation_key, page.locale.language_code): page
        for page in ActivityPage.objects.filter(translation_key__in=[a.translation_key for a in activities]).select_related("locale")
    }
    rows = []
    for activity in activities:
        ar = translations.get((activity.translation_key, "ar"), activity)
        fr = translations.get((activity.translation_key, "fr"))
        row = {
            "reference": activity.reference_code,
            "type": activity.activity_type,
            "title_ar": ar.title, "title_fr": fr.title if fr else "",
            "summary_ar": ar.summary, "summary_fr": fr.summary if fr else "",
            "start_date": activity.start_date.isoformat(),
            "end_date": activity.end_date.isoformat() if activity.end_date else "",
            "venue": activity.venue, "province": activity.province, "commune": activity.commune,
            "themes": ";".join(t.slug for t in activity.themes.all()),
            "trainers": ";".join(f"{p.name}|{p.affiliation}|{p.kind}" for p in activity.trainers.all()),
            "partners_ar": ";".join(p.name_ar for p in activity.partners.all()),
            "partners_fr": ";".join(p.name_fr for p in activity.partners.all()),
            **{name: getattr(activity, name) for name in COUNT_FIELDS},
            "total": activity.beneficiaries_total,
            "communes": activity.communes_count if activity.communes_count is not None else "",
            "series": "",
            "source": activity.source_note, "rights": activity.rights_notes,
            "attachments": ";".join(d.document.title for d in activity.documents.all()),
        }
        rows.append({column: row.get(column, "") for column in COLUMNS})
    return rows


def to_csv(rows: list[dict]) -> bytes:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS)
    writer.writeheader()
    for row in rows:
        writer.writerow({key: escape_formula(value) for key, value in row.items()})
    # The BOM lets spreadsheet programs read the Arabic as UTF-8.
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def to_xlsx(rows: list[dict]) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("archive")
    sheet.append(COLUMNS)
    for row in rows:
        sheet.append([escape_formula(row[column]) for column in COLUMNS])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def to_json(rows: list[dict]) -> bytes:
    return json.dumps({"activities": rows}, ensure_ascii=False, indent=1).encode("utf-8")
