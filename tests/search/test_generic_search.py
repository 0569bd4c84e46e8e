"""The search page on other modelsearch backends (OpenSearch at scale): facets
through ``results.facet()`` and highlighted body snippets, checked against modelsearch's
database backend configured as a second alias."""

import pytest
from django.core.management import call_command
from django.test import override_settings
from wagtail.models import Locale

from search import registry
from search.registry import register_facet
from search.selectors import site_search
from tests.search.factories import TopicPageFactory

pytestmark = pytest.mark.django_db

BACKENDS = {
    "default": {"BACKEND": "search.backends.whoosh", "PATH": None},
    "fallback": {"BACKEND": "wagtail.search.backends.database", "AUTO_UPDATE": False},
}


@pytest.fixture
def fallback(tmp_path):
    """Whoosh stays the default; "fallback" is modelsearch's database backend (SQLite FTS
    or PostgreSQL full text, whichever the test database is), rebuilt after the pages."""
    conf = {**BACKENDS, "default": {**BACKENDS["default"], "PATH": str(tmp_path / "index")}}
    saved = dict(registry._FACETS)
    for key in ("activity_type", "theme", "year", "province"):
        registry.unregister_facet(key)
    register_facet("theme", label="Theme", field_name="theme")
    register_facet("year", label="Year", field_name="year", sort="value")
    register_facet("province", label="Province", field_name="province", value_labels=lambda keys: {"safi": "Safi"})
    with override_settings(WAGTAILSEARCH_BACKENDS=conf, MODELSEARCH_BACKENDS=conf):
        TopicPageFactory(
            title="Budget participatif",
            body="Atelier sur le budget des communes de Safi.",
            theme="finance",
            year=2024,
            province="safi",
        )
        TopicPageFactory(
            title="Budget annuel",
            body="Le budget annuel de la région et ses dépenses.",
            theme="finance",
            year=2025,
            province="al-haouz",
        )
        TopicPageFactory(
            title="Gouvernance",
            body="Séminaire : la gouvernance et le budget local.",
            theme="governance",
            year=2024,
            province="safi",
        )
        TopicPageFactory(title="Urbanisme", body="Rien à voir.", theme="planning", year=2023, province="safi")
        call_command("update_index", backend_name="fallback", verbosity=0)
        yield
    registry._FACETS.clear()
    registry._FACETS.update(saved)


def run(query, selected=None, sort="relevance"):
    return site_search(query=query, locale=Locale.get_default(), selected=selected or {}, sort=sort, backend="fallback")


def counts(result):
    return {f.facet.key: {v.key: v.count for v in f.values} for f in result.facets}


def test_facet_counts_through_the_backend(fallback):
    """Each registered facet on a FilterField is counted by ``results.facet()``, the
    content type one included (Page's own field)."""
    result = run("budget")
    assert result.total == 3
    by_key = counts(result)
    assert by_key["theme"] == {"finance": 2, "governance": 1}
    assert by_key["year"] == {"2024": 2, "2025": 1}
    assert by_key["province"] == {"safi": 2, "al-haouz": 1}
    assert sum(by_key["type"].values()) == 3
    labels = {v.key: v.label for f in result.facets if f.facet.key == "province" for v in f.values}
    assert labels["safi"] == "Safi"


def test_choosing_a_value_filters_and_other_facets_follow(fallback):
    """A chosen value narrows the results; the other facets are counted with it applied,
    the facet itself stays widenable."""
    result = run("budget", selected={"year": ["2024"]})
    assert sorted(hit.page.title for hit in result.hits) == ["Budget participatif", "Gouvernance"]
    by_key = counts(result)
    assert by_key["theme"] == {"finance": 1, "governance": 1}
    assert by_key["year"] == {"2024": 2, "2025": 1}
    assert [v.key for f in result.facets if f.facet.key == "year" for v in f.values if v.selected] == ["2024"]


def test_body_snippets_are_highlighted(fallback):
    """Snippets come from the page's own text fields with the matched words marked."""
    result = run("dépenses")
    assert [hit.page.title for hit in result.hits] == ["Budget annuel"]
    assert "<mark>dépenses</mark>" in str(result.hits[0].snippet_html)
    assert result.hits[0].snippet_label == ""


def test_the_page_uses_the_fallback_when_it_is_the_default(client, fallback, settings):
    """With a non-Whoosh default backend, /search/ shows facets and marked snippets."""
    conf = {"default": BACKENDS["fallback"]}
    settings.WAGTAILSEARCH_BACKENDS = conf
    settings.MODELSEARCH_BACKENDS = conf
    response = client.get("/search/", {"q": "gouvernance"})
    result = response.context["result"]
    assert [hit.page.title for hit in result.hits] == ["Gouvernance"]
    assert counts(result)["theme"] == {"governance": 1}
    assert "<mark>gouvernance</mark>" in response.content.decode()
