"""Builders for the programme's tests: a plan page (both languages) and sessions made through the services.

progdoor and progafter add theirs in ``factories_<name>.py`` until the merge.
"""

import datetime
import itertools

from django.utils import timezone

from programme.models import PlanPage, Session
from programme.services.sessions import SessionData, plan_ensure, session_create, session_open
from tests.archive.conftest import make_archive_index

_codes = itertools.count(1)


def make_plan(year: int | None = None) -> PlanPage:
    """The Arabic plan page of ``year`` (this year by default) under the archive; its French translation too."""
    year = year or timezone.localdate().year
    return plan_ensure(index=make_archive_index(), year=year, titles={"ar": f"مخطط التكوين {year}", "fr": f"Plan de formation {year}"})


def session_data(**overrides) -> SessionData:
    """A valid session two weeks from now (two half-days), open to registration from yesterday until the
    day before it starts; keyword arguments replace fields."""
    start = timezone.localdate() + datetime.timedelta(days=14)
    number = next(_codes)
    values = {
        "code": f"MDE-{start.year}-T{number:03d}",
        "titles": {"ar": f"دورة تكوينية {number}", "fr": f"Session de formation {number}"},
        "summaries": {"ar": "ملخص الدورة", "fr": "Résumé de la session"},
        "half_days": [(start, "am"), (start, "pm")],
        "capacity": 3, "audience": "both", "venue": "Dar Al-Muntakhab", "province": "marrakech",
        "theme_slugs": ["governance"],
        "opens_at": timezone.now() - datetime.timedelta(days=1),
        "deadline": timezone.make_aware(datetime.datetime.combine(start - datetime.timedelta(days=1), datetime.time(18))),
    }
    values.update(overrides)
    return SessionData(**values)


def make_session(plan: PlanPage, *, open_it: bool = True, **overrides) -> Session:
    """A session of ``plan`` with its two pages, opened for registration unless ``open_it`` is False."""
    session = session_create(plan=plan, data=session_data(**overrides))
    if open_it:
        session = session_open(session=session)
    return session
