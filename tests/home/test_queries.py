"""The home page, the catalogue and search run at most 15 SQL queries, as many with many
modules and activities as with few (the page cache off: these count what rendering costs)."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tests.archive.conftest import activity_on, make_archive_index
from tests.courses.factories import make_course

pytestmark = pytest.mark.django_db

URLS = ["/", "/fr/", "/courses/", "/search/?q=%D9%88%D8%B1%D8%B4%D8%A9", "/search/?q=module"]


def count_queries(client, url) -> int:
    client.get(url)  # warm Wagtail's cached site root paths, as on a running site
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx.captured_queries)


def test_public_pages_stay_within_fifteen_queries_as_content_grows(settings):
    """One module and one activity, then 12 modules and 12 activities: the same count, at most 15."""
    settings.PAGECACHE_SECONDS = 0
    index = make_archive_index()
    make_course(slug="m0", lessons=2, revisions=False, featured=True)
    activity_on(index, "MDE-2016-001")
    client = Client()
    small = {url: count_queries(client, url) for url in URLS}
    for n in range(1, 12):
        make_course(slug=f"m{n}", lessons=2, revisions=False, featured=n % 2 == 0)
        activity_on(index, f"MDE-2016-{n + 1:03d}")
    for url, expected in small.items():
        assert expected <= 15, (url, expected)
        assert count_queries(client, url) == expected, url
