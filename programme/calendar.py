"""Every iCalendar file of the programme: the plan's feed, an official's "my sessions" feed and the
``.ics`` attached to the e-mails.

A session becomes one event per half-day (morning 09:00–12:30, afternoon 14:00–17:30, Moroccan time),
so that a phone's calendar shows the real hours. The events' UIDs stay the same across feeds and
e-mails, so a subscribed calendar updates an event (or removes a cancelled one) instead of doubling it.
"""

import datetime
from collections.abc import Iterable
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from .models import HalfDay, SessionPage, SessionStatus

HOURS = {
    HalfDay.Part.MORNING: (datetime.time(9, 0), datetime.time(12, 30)),
    HalfDay.Part.AFTERNOON: (datetime.time(14, 0), datetime.time(17, 30)),
}
PRODID = "-//Dar Al-Muntakhab//Takwin//AR-FR"


def _location(page: SessionPage) -> str:
    parts = [page.venue, page.commune, page.get_province_display() if page.province else ""]
    return ", ".join(part for part in parts if part)


def _base_url() -> str:
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/")


def _events(page: SessionPage, *, cancelled: bool) -> Iterable[Event]:
    session = page.session
    zone = ZoneInfo(settings.TIME_ZONE)
    url = f"{_base_url()}{page.url}" if page.url and page.url.startswith("/") else (page.full_url or "")
    status = "CANCELLED" if cancelled or session.status == SessionStatus.CANCELLED else "CONFIRMED"
    half_days = list(session.half_days.all()) or [None]
    for half_day in half_days:
        event = Event()
        if half_day is None:  # no half-day yet: the page's dates, all day
            event.add("uid", f"{session.code}@takwin")
            event.add("dtstart", page.start_date)
            event.add("dtend", (page.end_date or page.start_date) + datetime.timedelta(days=1))
        else:
            start, end = HOURS[half_day.part]
            event.add("uid", f"{session.code}-{half_day.date.isoformat()}-{half_day.part}@takwin")
            event.add("dtstart", datetime.datetime.combine(half_day.date, start, tzinfo=zone))
            event.add("dtend", datetime.datetime.combine(half_day.date, end, tzinfo=zone))
        event.add("dtstamp", session.updated_at)
        event.add("summary", page.title)
        if location := _location(page):
            event.add("location", location)
        description = "\n\n".join(part for part in (page.summary, session.cancel_reason if status == "CANCELLED" else "", url) if part)
        if description:
            event.add("description", description)
        if url:
            event.add("url", url)
        event.add("status", status)
        yield event


def calendar_bytes(pages: Iterable[SessionPage], *, name: str, method: str = "PUBLISH") -> bytes:
    """An ``.ics`` of the sessions of ``pages`` (their ``session`` and its half-days read from them).

    ``method="CANCEL"`` makes the attachment of a cancellation e-mail (the events marked cancelled).
    """
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", method)
    calendar.add("x-wr-calname", name or _("Takwin"))
    calendar.add("x-wr-timezone", settings.TIME_ZONE)
    for page in pages:
        for event in _events(page, cancelled=method == "CANCEL"):
            calendar.add_component(event)
    calendar.add_missing_timezones()
    return calendar.to_ical()
