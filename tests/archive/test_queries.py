"""The archive's public pages run at most 15 SQL queries, as many with many activities as with one.

Each test counts the queries of a small archive (one activity), then asserts a larger one
(activities of every type, theme, province, trainer and partner) runs exactly as many.
"""

import datetime

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from archive.services import PartnerData
from tests.archive.conftest import activity_on

pytestmark = pytest.mark.django_db

TYPES = ["workshop", "seminar", "training-session", "conference"]
PROVINCES = ["safi", "marrakech", "al-haouz", "chichaoua", "essaouira"]
THEME_SLUGS = ["governance", "gis", "gender-approach"]


def count_queries(client, url) -> int:
    client.get(url)  # warm Wagtail's cached site root paths, as on a running site
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx.captured_queries)


def grow(index, n: int) -> list:
    """``n`` more activities with varied types, years, provinces, themes, trainers and partners."""
    pages = []
    for i in range(n):
        pages.append(activity_on(
            index, f"MDE-{2015 + i % 6}-{100 + i:03d}", activity_type=TYPES[i % len(TYPES)],
            start_date=datetime.date(2015 + i % 6, 1 + i % 12, 1 + i % 27), end_date=None,
            province=PROVINCES[i % len(PROVINCES)], theme_slugs=THEME_SLUGS[: 1 + i % 3],
            trainers=[(f"Expert {i}", "Université", "academic"), ("Ahmed Expert", "Université Cadi Ayyad", "academic")],
            partners=[PartnerData(name_ar=f"شريك {i % 4}", name_fr=f"Partenaire {i % 4}")],
        ))
    return pages


@pytest.fixture
def anonymous():
    """A visitor's client, with the page cache off: these tests count what rendering costs."""
    return Client()


@pytest.fixture(autouse=True)
def _no_page_cache(settings):
    settings.PAGECACHE_SECONDS = 0


URLS = ["/archive/", "/archive/?type=workshop&theme=governance&sort=title", "/archive/statistics/", "/fr/archive/",
        "/archive/timeline/", "/archive/map/"]


def test_archive_pages_stay_within_fifteen_queries_as_the_archive_grows(archive_index, anonymous):
    """Browse (with and without filters), statistics, timeline and map run ≤ 15 queries, as many
    with 25 activities as with one."""
    first = activity_on(archive_index)
    small = {url: count_queries(anonymous, url) for url in URLS}
    small[first.url] = count_queries(anonymous, first.url)
    grow(archive_index, 24)
    for url, expected in small.items():
        assert expected <= 15, (url, expected)
        assert count_queries(anonymous, url) == expected, url


def test_activity_page_does_not_grow_with_its_relations(archive_index, anonymous):
    """An activity with many related activities, trainers and partners runs as many queries as a lone one."""
    lone = activity_on(archive_index, "MDE-2014-001", theme_slugs=["gis"], province="essaouira")
    expected = count_queries(anonymous, lone.url)
    assert expected <= 15
    pages = grow(archive_index, 8)
    assert count_queries(anonymous, pages[-1].url) == expected
