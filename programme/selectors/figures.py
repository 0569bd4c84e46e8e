"""The programme's figures, from the data: sessions held, registrations, attendance, no-shows,
participations and distinct beneficiaries, with the online modules' completions beside them.

A *participation* is one person present at one session (at one half-day at least); a *beneficiary* is
one person (``Registration.beneficiary_key``) however many sessions they attended: a person at three
sessions is three participations and one beneficiary. Province, category and gender are the
attendee's (the registration's snapshot, kept after a person is deleted), the theme and the year the
session's. Three queries whatever the number of sessions, plus one for the completions (those of
deleted accounts are kept as anonymous rows, ``ErasedCompletion``, read from the cache).
"""

from collections import defaultdict
from dataclasses import dataclass

from django.core.cache import cache
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from courses.selectors import completion_rows
from programme.models import Attendance, ErasedCompletion, Registration, SessionPage, SessionStatus
from vocabulary.models import Theme
from vocabulary.regions import Province

#: Statuses of a session that took place (closed ones are held sessions published in the archive).
HELD_STATUSES = (SessionStatus.HELD, SessionStatus.CLOSED)
DIMENSIONS = ("year", "theme", "province", "category", "gender")
DIMENSION_LABELS = {
    "year": _("Plan year"), "theme": _("Theme"), "province": _("Province"), "category": _("Category"),
    "gender": _("Gender"),
}
UNKNOWN = ""


@dataclass(frozen=True)
class FigureFilters:
    """What the figures are restricted to (``None`` or empty: everything)."""

    year: int | None = None
    theme: str = ""
    province: str = ""
    category: str = ""
    gender: str = ""

    @classmethod
    def from_querydict(cls, data) -> "FigureFilters":
        """Unknown values are ignored (the figures of everything), never an error."""
        from params.converters import parse_int

        def pick(name, allowed):
            value = data.get(name, "")
            return value if value in allowed else ""

        year = parse_int(data.get("year", ""), minimum=2000, maximum=2100)
        return cls(
            year=year, theme=(data.get("theme", "") or "")[:80], province=pick("province", Province.values),
            category=pick("category", User.Category.values), gender=pick("gender", User.Gender.values),
        )


def _sessions(filters: FigureFilters) -> dict[int, dict]:
    """Held sessions matching the year and theme: {session id: {"year", "themes"}}. One query."""
    rows = SessionPage.objects.filter(session__status__in=HELD_STATUSES).values_list(
        "session_id", "start_date", "themes__slug",
    )
    sessions: dict[int, dict] = {}
    for session_id, start, theme in rows:
        entry = sessions.setdefault(session_id, {"year": start.year, "themes": set()})
        if theme:
            entry["themes"].add(theme)
    return {
        pk: entry for pk, entry in sessions.items()
        if (filters.year is None or entry["year"] == filters.year) and (not filters.theme or filters.theme in entry["themes"])
    }


def _registration_rows(session_ids, filters: FigureFilters) -> list[tuple]:
    qs = Registration.objects.filter(session_id__in=session_ids, status=Registration.Status.CONFIRMED)
    for name in ("province", "category", "gender"):
        if getattr(filters, name):
            qs = qs.filter(**{name: getattr(filters, name)})
    present = Exists(Attendance.objects.filter(registration=OuterRef("pk")))
    return list(qs.annotate(present=present).values_list(
        "session_id", "beneficiary_key", "province", "category", "gender", "present",
    ).order_by())


class _Tally:
    """Counts of one group: registrations, participations, distinct beneficiaries, sessions."""

    def __init__(self):
        self.registrations = 0
        self.participations = 0
        self.beneficiaries: set = set()
        self.sessions: set = set()
        self.completions = 0

    def add(self, session_id, key, present):
        self.registrations += 1
        self.sessions.add(session_id)
        if present:
            self.participations += 1
            self.beneficiaries.add(key)

    def as_dict(self) -> dict:
        rate = round(100 * self.participations / self.registrations, 1) if self.registrations else None
        return {
            "sessions": len(self.sessions), "registrations": self.registrations,
            "participations": self.participations, "no_shows": self.registrations - self.participations,
            "attendance_rate": rate, "beneficiaries": len(self.beneficiaries), "completions": self.completions,
        }


def _labels(language: str) -> dict[str, dict[str, str]]:
    themes = {}
    for theme in Theme.objects.select_related("locale").order_by("sort_order"):
        if theme.slug not in themes or theme.locale.language_code == language:
            themes[theme.slug] = theme.name
    return {
        "theme": themes, "province": {k: str(v) for k, v in Province.choices},
        "category": {k: str(v) for k, v in User.Category.choices}, "gender": {k: str(v) for k, v in User.Gender.choices},
        "year": {},
    }


#: The kept completions of deleted accounts, cached until the next deletion (``ERASED_KEY`` is dropped then).
ERASED_KEY = "programme:erased-completions"


def _erased_completions(year: int | None) -> list[dict]:
    """The kept completions of deleted accounts, shaped as ``completion_rows``' rows; read from the
    cache (they change only when an account is deleted), so the pages showing figures pay no query."""
    rows = cache.get(ERASED_KEY)
    if rows is None:
        rows = list(ErasedCompletion.objects.values("completed_at", "theme", "province", "category", "gender"))
        cache.set(ERASED_KEY, rows, None)
    return [row for row in rows if year is None or row["completed_at"].year == year]


def _completions(filters: FigureFilters, total: _Tally, groups: dict) -> None:
    for row in [*completion_rows(year=filters.year), *_erased_completions(filters.year)]:
        values = {"year": row["completed_at"].year, "theme": row["theme"] or UNKNOWN, "province": row["province"],
                  "category": row["category"], "gender": row["gender"]}
        if any(getattr(filters, name) and values[name] != getattr(filters, name) for name in ("theme", "province", "category", "gender")):
            continue
        total.completions += 1
        for name in DIMENSIONS:
            groups[name][values[name] or UNKNOWN].completions += 1


def programme_figures(*, filters: FigureFilters | None = None, language: str = "ar") -> dict:
    """Totals and one table per dimension (year, theme, province, category, gender).

    Each row: ``key``, ``label``, ``sessions``, ``registrations``, ``participations``, ``no_shows``,
    ``attendance_rate`` (percent of confirmed registrations present, or None), ``beneficiaries``
    (distinct people) and ``completions`` (online modules completed). A person of two themes counts
    once in each theme's row; the totals count them once.
    """
    filters = filters or FigureFilters()
    sessions = _sessions(filters)
    total = _Tally()
    groups = {name: defaultdict(_Tally) for name in DIMENSIONS}
    for session_id, key, province, category, gender, present in _registration_rows(list(sessions), filters):
        total.add(session_id, key, present)
        entry = sessions[session_id]
        groups["year"][entry["year"]].add(session_id, key, present)
        for theme in entry["themes"] or {UNKNOWN}:
            if not filters.theme or theme == filters.theme:
                groups["theme"][theme].add(session_id, key, present)
        groups["province"][province or UNKNOWN].add(session_id, key, present)
        groups["category"][category or UNKNOWN].add(session_id, key, present)
        groups["gender"][gender or UNKNOWN].add(session_id, key, present)
    _completions(filters, total, groups)
    labels = _labels(language)
    tables = {}
    for name in DIMENSIONS:
        order = list(labels[name]) if name != "year" else sorted(groups[name])
        keys = [k for k in order if k in groups[name]] + sorted((k for k in groups[name] if k not in order), key=str)
        tables[name] = [
            {"key": key, "label": labels[name].get(key, str(key)) if key != UNKNOWN else str(_("Not recorded")),
             **groups[name][key].as_dict()}
            for key in keys
        ]
    totals = total.as_dict()
    totals["sessions"] = len(sessions)
    return {"totals": totals, "tables": tables, "filters": filters}


def plan_years() -> list[int]:
    """The years that have held sessions, newest first (the figures page's year filter)."""
    dates = SessionPage.objects.filter(session__status__in=HELD_STATUSES).dates("start_date", "year", order="DESC")
    return [d.year for d in dates]


__all__ = ["DIMENSIONS", "DIMENSION_LABELS", "FigureFilters", "HELD_STATUSES", "plan_years", "programme_figures"]
