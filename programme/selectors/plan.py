"""Reads of the annual plan: its sessions (filtered), grouped by month or theme, and a month's calendar."""

import calendar
import datetime
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from params.converters import parse_int
from vocabulary.regions import Province

from ..models import Audience, PlanPage, Registration, SessionPage, SessionStatus

VIEWS = ("list", "themes", "calendar")


@dataclass(frozen=True)
class PlanFilters:
    """The plan page's filters, read from the query string; a value that is not a choice is ignored."""

    theme: str = ""
    province: str = ""
    audience: str = ""
    view: str = "list"
    month: int | None = None

    @classmethod
    def from_query(cls, query, *, theme_slugs) -> "PlanFilters":
        def choice(name, allowed):
            value = query.get(name, "")
            return value if value in allowed else ""

        return cls(
            theme=choice("theme", set(theme_slugs)), province=choice("province", set(Province.values)),
            audience=choice("audience", set(Audience.values)), view=choice("view", VIEWS) or "list",
            month=parse_int(query.get("month", ""), minimum=1, maximum=12),
        )

    def query(self, **changes) -> str:
        """The query string of these filters with ``changes`` (for links that keep the other filters)."""
        from urllib.parse import urlencode

        values = {"theme": self.theme, "province": self.province, "audience": self.audience, "view": self.view,
                  "month": self.month or ""}
        values.update(changes)
        return urlencode({k: v for k, v in values.items() if v not in ("", None, "list")})


def plan_session_pages(*, plan: PlanPage, filters: PlanFilters | None = None) -> QuerySet[SessionPage]:
    """The plan's live session pages in date order, with their session, half-days and themes.

    A filter by audience keeps the sessions for that audience and those for both.
    """
    pages = (
        SessionPage.objects.live().public().child_of(plan)
        .select_related("session").prefetch_related("themes", "session__half_days")
        .annotate(confirmed=Count(
            "session__registrations", filter=Q(session__registrations__status=Registration.Status.CONFIRMED), distinct=True,
        ))
        .order_by("start_date", "pk")
    )
    if filters is None:
        return pages
    if filters.theme:
        pages = pages.filter(themes__slug=filters.theme)
    if filters.province:
        pages = pages.filter(province=filters.province)
    if filters.audience:
        pages = pages.filter(session__audience__in=[filters.audience, Audience.BOTH])
    return pages


def by_month(pages) -> list[tuple[datetime.date, list[SessionPage]]]:
    """Pages grouped by the month they start in (the first day of that month, and its pages)."""
    groups: dict[datetime.date, list[SessionPage]] = {}
    for page in pages:
        groups.setdefault(page.start_date.replace(day=1), []).append(page)
    return sorted(groups.items())


def by_theme(pages) -> list[tuple[object, list[SessionPage]]]:
    """Pages grouped by theme (a session on two themes is in both), themes in the plan's order."""
    groups: dict[int, tuple[object, list[SessionPage]]] = {}
    for page in pages:
        for theme in page.themes.all():
            groups.setdefault(theme.pk, (theme, []))[1].append(page)
    return sorted(groups.values(), key=lambda group: (group[0].sort_order, group[0].name))


def default_month(*, year: int, pages, today: datetime.date) -> int:
    """The calendar's month when none is asked: this month during the plan year, else the first with sessions."""
    if today.year == year:
        return today.month
    months = sorted({page.start_date.month for page in pages if page.start_date.year == year})
    return months[0] if months else 1


def month_weeks(*, year: int, month: int, pages) -> list[list[tuple[datetime.date | None, list[SessionPage]]]]:
    """The month as weeks (Monday first) of days, each with the sessions held that day (by half-day)."""
    on_day: dict[datetime.date, list[SessionPage]] = {}
    for page in pages:
        days = {half_day.date for half_day in page.session.half_days.all()} or {page.start_date}
        for day in sorted(days):
            if day.year == year and day.month == month:
                on_day.setdefault(day, []).append(page)
    weeks = []
    for week in calendar.Calendar(firstweekday=calendar.MONDAY).monthdatescalendar(year, month):
        weeks.append([(day, on_day.get(day, [])) if day.month == month else (None, []) for day in week])
    return weeks


def places_left(page: SessionPage) -> int:
    """Free places of an annotated page (``plan_session_pages``)."""
    return max(page.session.capacity - getattr(page, "confirmed", 0), 0)


def is_bookable(page: SessionPage) -> bool:
    return page.session.status in (SessionStatus.OPEN, SessionStatus.FULL)


def plan_link(*, page: SessionPage, request) -> tuple[str, str]:
    """The URL and title of the plan a session page belongs to, cached in the content generation (a
    move or a new title bumps it): the session page pays no query for its way back to the plan."""
    from pagecache import cache_in_generation, versioned_key

    def compute():
        parent = page.get_parent()
        return parent.get_url(request), parent.title

    return tuple(cache_in_generation(versioned_key("programme:plan-link", page.pk, request.get_host()), compute))
