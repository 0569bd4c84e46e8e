"""Export the archive (whole or filtered) as CSV, XLSX or JSON, in the importer's columns.

In CSV and XLSX the headers, the types and the provinces are in the file's language (the importer
reads them back in either language); JSON keeps the codes. Only public aggregates leave the site:
there is no beneficiary name in the archive to export.
"""

import json

from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import QuerySet
from django.utils import translation
from django.utils.translation import gettext_lazy

import exports

from .importer import COLUMNS, SHEET_COLUMNS
from .models import ActivityPage
from .services import COUNT_FIELDS

EXPORT_COLUMNS = SHEET_COLUMNS
SHEET_TITLE = gettext_lazy("Archive")


def _trainer(person) -> str:
    """"Name|affiliation|kind" as the importer reads it, in the active language."""
    return f"{person.name}|{person.affiliation}|{person.get_kind_display()}"


def export_rows(activities: QuerySet[ActivityPage], *, language: str = "ar") -> list[dict]:
    """One dict per activity, keyed by the import columns; French titles come from the translations.

    Themes and trainers are named in ``language`` (each activity's themes are those of its own
    locale); the type and the province stay codes, which the CSV/XLSX columns write as labels.
    Six queries whatever the number of activities.
    """
    activities = list(activities.prefetch_related("themes", "trainers", "partners", "documents__document"))
    translations = {
        (page.translation_key, page.locale.language_code): page
        for page in ActivityPage.objects.filter(translation_key__in=[a.translation_key for a in activities]).select_related("locale")
    }
    rows = []
    with translation.override(language):
        for activity in activities:
            ar = translations.get((activity.translation_key, "ar"), activity)
            fr = translations.get((activity.translation_key, "fr"))
            row = {
                "reference": activity.reference_code,
                "type": activity.activity_type,
                "title_ar": ar.title, "title_fr": fr.title if fr else "",
                "summary_ar": ar.summary, "summary_fr": fr.summary if fr else "",
                "start_date": activity.start_date, "end_date": activity.end_date,
                "venue": activity.venue, "province": activity.province, "commune": activity.commune,
                "themes": [t.name for t in activity.themes.all()],
                "trainers": [_trainer(p) for p in activity.trainers.all()],
                "partners_ar": [p.name_ar for p in activity.partners.all()],
                "partners_fr": [p.name_fr for p in activity.partners.all()],
                **{name: getattr(activity, name) for name in COUNT_FIELDS},
                "total": activity.beneficiaries_total,
                "communes": activity.communes_count,
                "source": activity.source_note, "rights": activity.rights_notes,
                "attachments": [d.document.title for d in activity.documents.all()],
            }
            rows.append({column: row.get(column) for column in COLUMNS})
    return rows


def to_csv(rows: list[dict], *, language: str = "ar") -> bytes:
    """The rows as CSV (UTF-8 with a BOM, formulas defused) through the project's export module."""
    return exports.to_csv(EXPORT_COLUMNS, rows, language=language)


def to_xlsx(rows: list[dict], *, language: str = "ar") -> bytes:
    """The rows as an XLSX sheet (real dates, text never run as a formula; right to left in Arabic)."""
    return exports.to_xlsx(EXPORT_COLUMNS, rows, language=language, sheet_title=SHEET_TITLE)


def to_json(rows: list[dict]) -> bytes:
    """The rows as JSON, dates in ISO 8601, codes for the type and the province, lists as lists."""
    return json.dumps({"activities": rows}, ensure_ascii=False, indent=1, cls=DjangoJSONEncoder).encode("utf-8")
