"""The archive on a phone: the filter panel folds even with filters applied, Apply jumps to the
results, and the active filters show as chips that each remove one filter; statistics print
their figures grouped like the charts."""

import datetime

import pytest

pytestmark = pytest.mark.django_db


@pytest.fixture
def two(make_activity):
    make_activity("A-2012-1", start_date=datetime.date(2012, 5, 1), end_date=None, province="safi",
                  theme_slugs=["governance"], counts={}, beneficiaries_total=4820)
    make_activity("B-2017-1", start_date=datetime.date(2017, 5, 1), end_date=None, province="marrakech")


def test_active_filters_are_removable_chips(client, two):
    """With a province and a year range applied, each chip's link keeps the other filters and drops its own."""
    html = client.get("/archive/?province=safi&year_from=2010&year_to=2013&page=1").content.decode()
    assert 'data-collapse-on-small="yes"' in html and 'action="/archive/#results-title"' in html
    chips = html.split('class="list-plain chips"')[1].split("</ul>")[0]
    assert 'href="?year_from=2010&amp;year_to=2013#results-title"' in chips  # the province chip
    assert 'href="?province=safi#results-title"' in chips  # the years chip
    assert "page=" not in chips
    assert 'class="list-plain chips"' not in client.get("/archive/").content.decode()


def test_statistics_group_thousands_like_the_charts(client, two):
    """The table says "4 820" (narrow no-break space), as the chart does, not "4820"."""
    html = client.get("/archive/statistics/").content.decode()
    assert "<td>4\u202f820</td>" in html and "<td>4820</td>" not in html
