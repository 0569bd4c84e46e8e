"""The public side: browse with facets, the record page, timeline, map, statistics, feed, exports, sitemap."""

import datetime
import json
import re
from functools import partial

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.documents.models import Document

from archive.models import ActivityDocument, ActivityPage
from archive.selectors import ArchiveFilters, archive_statistics, facets

from .conftest import activity_on

# The archive index and the three activities are made once for the module (module_db).
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("module_archive_index")]


@pytest.fixture(scope="module")
def _three(module_archive_index, django_db_blocker):
    with django_db_blocker.unblock():
        return _make_three(partial(activity_on, module_archive_index))


@pytest.fixture
def three(_three, db):
    """Three activities across years, provinces, themes and types (the module's, fresh from the database)."""
    return tuple(ActivityPage.objects.get(pk=page.pk) for page in _three)


def _make_three(make_activity):
    a = make_activity("A-2012-1", start_date=datetime.date(2012, 5, 1), end_date=None, province="safi", theme_slugs=["governance"], activity_type="seminar")
    b = make_activity("B-2017-1", start_date=datetime.date(2017, 5, 1), end_date=None, province="marrakech", theme_slugs=["gis", "governance"],
                      titles={"ar": "نظم المعلومات", "fr": "SIG pour les communes"}, trainers=[("Nadia Geo", "ANCFCC", "state-official")])
    c = make_activity("C-2021-1", start_date=datetime.date(2021, 11, 2), end_date=None, province="marrakech", theme_slugs=["gender-approach"],
                      counts={}, beneficiaries_total=300, activity_type="training-of-trainers")
    return a, b, c


def test_browse_lists_facets_with_counts(client, three):
    """The Arabic browse page lists all activities and facet counts per theme and province."""
    html = client.get("/archive/").content.decode()
    assert html.count('class="activity-item"') == 3
    assert re.search(r'name="province" value="marrakech"[^>]*>\s*<span class="facet__label"[^>]*>[^<]+</span>\s*<span class="facet__count"[^>]*>2<', html)
    assert re.search(r'value="governance"[^>]*>\s*<span class="facet__label"[^>]*>تحسين الحكامة</span>\s*<span class="facet__count"[^>]*>2<', html)


def test_french_facets_use_french_labels(client, three):
    """The French browse page names the themes and types in French."""
    html = client.get("/fr/archive/").content.decode()
    assert "Séminaire" in html and "Training of trainers" not in html
    assert '<html lang="fr" dir="ltr">' in html
    assert "Amélioration de la gouvernance" in html and "SIG pour les communes" in html


def test_filters_narrow_by_theme_province_and_year_range(client, three):
    """Theme, province and a year range combine; other facets count within the selection."""
    html = client.get("/archive/?theme=governance&province=marrakech&year_from=2015&year_to=2018").content.decode()
    assert html.count('class="activity-item"') == 1 and "نظم المعلومات" in html
    html = client.get("/archive/?year_from=2013").content.decode()
    assert html.count('class="activity-item"') == 2
    html = client.get("/archive/?type=training-of-trainers").content.decode()
    assert html.count('class="activity-item"') == 1


def test_trainer_and_media_filters(client, three, archive_index):
    """The trainer facet and the 'with documents' filter narrow the list."""
    a, b, c = three
    from vocabulary.models import Person

    nadia = Person.objects.get(name_fr="Nadia Geo")
    assert client.get(f"/archive/?trainer={nadia.pk}").content.decode().count('class="activity-item"') == 1
    doc = Document(title="programme.pdf")
    doc.file.save("programme.pdf", ContentFile(b"%PDF"), save=False)
    doc.save()
    ActivityDocument.objects.create(page=a, document=doc, kind="programme")
    assert client.get("/archive/?has_documents=1").content.decode().count('class="activity-item"') == 1


def test_facets_cost_a_constant_number_of_queries(archive_index, three, make_activity, django_assert_num_queries):
    """Facets take the same number of queries for three or for six activities."""
    filters = ArchiveFilters(themes=["governance"])
    with CaptureQueriesContext(connection) as small:
        facets(locale=archive_index.locale, filters=filters)
    for i in range(3):
        make_activity(f"D-2019-{i}", start_date=datetime.date(2019, 1, 1 + i), end_date=None, province="essaouira")
    with django_assert_num_queries(len(small.captured_queries)):
        result = facets(locale=archive_index.locale, filters=filters)
    assert len(small.captured_queries) == 9  # view restrictions, then one per facet and the theme names
    # the province facet counts within the theme filter: the three new ones have the default theme
    assert {o.value: o.count for o in result["province"].options} == {"marrakech": 1, "safi": 1, "essaouira": 3}
    assert {o.value: o.count for o in result["theme"].options}["governance"] == 5


def test_browse_page_queries_do_not_grow(client, three, make_activity):
    """The browse page's query count does not depend on the number of activities listed."""
    client.get("/archive/")  # warms the site-root cache, which publishing clears
    with CaptureQueriesContext(connection) as before:
        client.get("/archive/")
    for i in range(4):
        make_activity(f"E-2020-{i}", start_date=datetime.date(2020, 2, 1 + i), end_date=None)
    client.get("/archive/")
    with CaptureQueriesContext(connection) as after:
        html = client.get("/archive/").content.decode()
    assert html.count('class="activity-item"') == 7
    assert len(after.captured_queries) == len(before.captured_queries)


def test_activity_page_has_json_ld_documents_and_no_names_of_beneficiaries(client, three):
    """A record page carries schema.org Event JSON-LD, its people, and beneficiary numbers only."""
    a, b, c = three
    html = client.get(b.url).content.decode()
    data = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1))
    assert data["@type"] == "Event" and data["startDate"] == "2017-05-01" and data["identifier"] == "B-2017-1"
    assert data["performer"][0]["name"] == "Nadia Geo"
    assert "Nadia Geo" in html and "ANCFCC" in html
    assert 'class="big-number">20<' in html


def test_statistics_totals_and_tables(client, three, archive_index):
    """The statistics page shows headline totals, SVG charts and a table beside each chart."""
    stats = archive_statistics(locale=archive_index.locale)
    assert stats["totals"]["activities"] == 3 and stats["totals"]["beneficiaries"] == 340
    assert [r["year"] for r in stats["by_year"]] == [2012, 2017, 2021]
    html = client.get("/fr/archive/statistics/").content.decode()
    assert 'data-testid="total-beneficiaries">340<' in html
    assert html.count('<svg class="chart"') == 5 and html.count('<table class="data-table"') == 4


def test_map_shades_provinces_by_count(client, three):
    """The map draws all eight provinces with their counts and links to the filtered browse."""
    html = client.get("/archive/map/").content.decode()
    assert html.count("<polygon") == 8
    assert 'data-province="marrakech" data-count="2"' in html
    assert 'href="/archive/?province=marrakech"' in html


def test_timeline_groups_by_year(client, three):
    """The timeline has one section per year."""
    html = client.get("/fr/archive/timeline/").content.decode()
    assert re.findall(r'id="y(\d{4})"', html) == ["2012", "2017", "2021"]


def test_atom_feed_and_exports(client, three):
    """The Atom feed lists the entries; the browse exports follow the filters."""
    response = client.get("/fr/archive/feed/")
    assert response["Content-Type"].startswith("application/atom+xml")
    assert response.content.decode().count("<entry>") == 3
    response = client.get("/archive/export/csv/?province=marrakech")
    assert response["Content-Disposition"].endswith('.csv"')
    assert response.content.decode("utf-8-sig").count("\n") == 3
    assert client.get("/archive/export/json/").json()["activities"][0]["reference"]


def test_sitemap_lists_permalinks(client, three):
    """The sitemap lists the activities at their permalinks."""
    xml = client.get("/sitemap.xml").content.decode()
    assert "/archive/2017/B-2017-1/" in xml


def test_map_shading_spreads_between_the_extremes():
    """No activity is palest; the fewest and the most get the lightest and darkest of the other shades."""
    from archive.charts import PALETTE, shade

    assert shade(0, 11, 17) == PALETTE[0]
    assert shade(11, 11, 17) == PALETTE[1]
    assert shade(17, 11, 17) == PALETTE[-1]
    assert PALETTE.index(shade(14, 11, 17)) in (2, 3, 4)
