"""The annual plan page (list by month, by theme, month calendar, filters), the session page and the
plan's iCalendar feed: served in both languages, a fixed number of queries, hostile parameters harmless."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from icalendar import Calendar

from programme.models import PlanPage, SessionPage

from .factories import make_session


def _plan_url(plan, lang="ar"):
    page = plan if lang == "ar" else PlanPage.objects.get(translation_key=plan.translation_key, locale__language_code=lang)
    return page.url


def test_plan_page_lists_sessions_by_month_in_both_languages(client, plan, session):
    """The plan shows its sessions under their month, in Arabic (rtl, Moroccan month names) and French."""
    response = client.get(_plan_url(plan))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'dir="rtl"' in html and "دورة تكوينية" in html
    fr = client.get(_plan_url(plan, "fr"))
    assert fr.status_code == 200 and "Session de formation" in fr.content.decode()


def test_calendar_view_shows_the_month_of_the_session(client, plan, session):
    """?view=calendar&month=M draws the month grid with a link to the session on its days."""
    day = session.half_days.first().date
    response = client.get(_plan_url(plan), {"view": "calendar", "month": day.month})
    html = response.content.decode()
    assert 'data-testid="month-grid"' in html
    page = SessionPage.objects.get(session=session, locale__language_code="ar")
    assert html.count(f'href="{page.url}"') >= 2  # in the grid and in the month's list


def test_filters_keep_matching_sessions_only(client, plan):
    """Province and audience filters; an audience filter keeps the sessions for both."""
    make_session(plan, province="safi", audience="elected", titles={"ar": "دورة آسفي", "fr": "Session Safi"})
    make_session(plan, province="marrakech", audience="staff", titles={"ar": "دورة مراكش", "fr": "Session Marrakech"})
    html = client.get(_plan_url(plan), {"province": "safi"}).content.decode()
    assert "دورة آسفي" in html and "دورة مراكش" not in html
    html = client.get(_plan_url(plan), {"audience": "elected"}).content.decode()
    assert "دورة آسفي" in html and "دورة مراكش" not in html
    html = client.get(_plan_url(plan), {"view": "themes", "theme": "governance"}).content.decode()
    assert "دورة آسفي" in html and "دورة مراكش" in html


def test_filters_fold_and_active_ones_show_as_chips(client, plan, session):
    """The filters sit in a disclosure that folds on a phone and jump to the results when applied; each
    active filter is a chip whose link drops it and keeps the others (and the view)."""
    html = client.get(_plan_url(plan), {"province": "safi", "audience": "staff", "view": "themes"}).content.decode()
    assert 'data-collapse-on-small="yes"' in html and '#plan-results"' in html
    assert 'data-testid="plan-chips"' in html
    assert 'href="?audience=staff&amp;view=themes#plan-results"' in html  # the province chip
    assert 'href="?view=themes#plan-results"' in html  # clear all
    assert 'data-testid="plan-chips"' not in client.get(_plan_url(plan)).content.decode()


@pytest.mark.parametrize("query", [
    {"month": "99999999999999999999"}, {"month": "-1"}, {"view": "<script>"}, {"theme": "x" * 300},
    {"province": "../../etc"}, {"audience": "\x00"}, {"view": "calendar", "month": "13"},
])
def test_hostile_filters_are_ignored(client, plan, session, query):
    """A value that is not a choice is ignored: 200, never a 500."""
    assert client.get(_plan_url(plan), query).status_code == 200


def _queries(client, url, params=None) -> int:
    with CaptureQueriesContext(connection) as context:
        assert client.get(url, params or {}).status_code == 200
    return len(context.captured_queries)


@pytest.mark.parametrize("view", ["list", "themes", "calendar"])
def test_plan_page_queries_are_few_and_constant(client, plan, view):
    """≤ 15 queries for a visitor whatever the number of sessions (2, then 6)."""
    day = datetime.date.today() + datetime.timedelta(days=14)
    params = {"view": view, "month": day.month}
    for _ in range(2):
        make_session(plan)
    client.get(_plan_url(plan), params)  # warm the site and locale caches
    few = _queries(client, _plan_url(plan), params)
    for _ in range(4):
        make_session(plan)
    client.get(_plan_url(plan), params)  # a new page drops the cached routes (pagecache): warm them again
    many = _queries(client, _plan_url(plan), params)
    assert few <= 15 and many == few


def test_session_page_queries_are_few_and_constant_as_sessions_grow(client, plan, session, official):
    """The session page costs an anonymous visitor ≤ 15 queries (the archive permalink's routing is
    cached per content generation), the same with more sessions and registrations; it shows its places."""
    page = SessionPage.objects.get(session=session, locale__language_code="fr")
    client.get(page.url)
    few = _queries(client, page.url)
    for _ in range(3):
        make_session(plan)
    from programme.services.registration import register
    from tests.factories import UserFactory

    for _ in range(2):
        register(session=session, user=UserFactory(category="elected"))
    client.get(page.url)  # the new pages dropped the cached routes (pagecache): warm them again
    assert _queries(client, page.url) == few <= 15
    client.force_login(official)
    html = client.get(page.url).content.decode()
    assert 'data-testid="register"' in html and "1 place restante sur 3" in html


def test_plan_feed_is_icalendar_with_one_event_per_half_day(client, plan, session):
    """The plan's feed parses as iCalendar; each half-day is an event at its hours, Moroccan time."""
    make_session(plan, half_days=[(datetime.date.today() + datetime.timedelta(days=30), "pm")])
    response = client.get(plan.url + "calendar/")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    events = list(calendar.walk("VEVENT"))
    assert len(events) == 3
    first = min(events, key=lambda e: e.decoded("dtstart"))
    assert first.decoded("dtstart").hour == 9 and str(first.decoded("dtstart").tzinfo) == "Africa/Casablanca"
    expected = {f"{session.code}-{d.isoformat()}-{p}@takwin" for d, p in session.half_days.values_list("date", "part")}
    assert expected <= {str(e["uid"]) for e in events}


def test_a_permalink_cached_before_a_view_restriction_is_refused_after(client, session):
    """The permalink's page is remembered per generation; making the page private starts a new one, so
    the next anonymous visitor gets a 404 (the archive serves public activities only), not the remembered page."""
    from wagtail.models import PageViewRestriction

    page = SessionPage.objects.get(session=session, locale__language_code="fr")
    assert client.get(page.url).status_code == 200
    PageViewRestriction.objects.create(page=page, restriction_type=PageViewRestriction.LOGIN)
    assert client.get(page.url).status_code == 404
