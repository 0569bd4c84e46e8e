"""Export the archive (whole or filtered) as CSV, XLSX or JSON, in the importer's columns.

Only public aggregates leave the site: there is no beneficiary name in the archive to export.
"""

import json

from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import QuerySet

import exports

from .importer import COLUMNS
from .models import ActivityPage
from .services import COUNT_FIELDS

# The headers are the importer's column names, untranslated, so that an export imports back as is.
EXPORT_COLUMNS = [exports.Column(name, name) for name in COLUMNS]


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
            "start_date": activity.start_date, "end_date": activity.end_date or "",
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


def to_csv(rows: list[dict], *, language: str = "ar") -> bytes:
    """The rows as CSV (UTF-8 with a BOM, formulas defused) through the project's export module."""
    return exports.to_csv(EXPORT_COLUMNS, rows, language=language)


def to_xlsx(rows: list[dict], *, language: str = "ar") -> bytes:
    """The rows as an XLSX sheet (real dates, text never run as a formula; right to left in Arabic)."""
    return exports.to_xlsx(EXPORT_COLUMNS, rows, language=language, sheet_title="archive")


def to_json(rows: list[dict]) -> bytes:
    """The rows as JSON, dates in ISO 8601."""
    return json.dumps({"activities": rows}, ensure_ascii=False, indent=1, cls=DjangoJSONEncoder).encode("utf-8")
