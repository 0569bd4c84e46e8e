"""The /search/ page and the autocomplete endpoint."""

import pytest
from django.core.management import call_command
from django.utils import timezone

from search import registry
from search.registry import register_facet
from tests.search.factories import TopicPageFactory

pytestmark = pytest.mark.django_db

PROVINCES = {"safi": "Safi", "al-haouz": "Al Haouz"}


@pytest.fixture
def facets():
    """Facets as content apps register them (theme, year, province); the project's own come back after."""
    saved = dict(registry._FACETS)
    for key in ("activity_type",):
        registry.unregister_facet(key)
    register_facet("theme", label="Theme", field_name="theme")
    register_facet("year", label="Year", field_name="year", sort="value")
    register_facet("province", label="Province", field_name="province", value_labels=lambda keys: PROVINCES)
    yield
    registry._FACETS.clear()
    registry._FACETS.update(saved)


@pytest.fixture
def pages(search_index_dir, facets):
    now = timezone.now()
    made = [
        TopicPageFactory(
            title="تكوين المنتخبين في الميزانية",
            body="دورة تكوينية حول إعداد الميزانية الجماعية بإقليم آسفي.",
            theme="finance",
            year=2024,
            province="safi",
            first_published_at=now - timezone.timedelta(days=30),
        ),
        TopicPageFactory(
            title="الميزانية التشاركية",
            body="ورشة حول الميزانية التشاركية بالحوز.",
            theme="finance",
            year=2025,
            province="al-haouz",
            first_published_at=now - timezone.timedelta(days=1),
        ),
        TopicPageFactory(
            title="مُحَمَّد الخامس والتَّكْوِين",
            body="نص مُشَكَّل: يتحدث عن التَّكْوِينِ المستمر للمنتخبين.",
            theme="governance",
            year=2024,
            province="safi",
            first_published_at=now - timezone.timedelta(days=10),
        ),
        TopicPageFactory(
            title="Le budget participatif",
            body="Atelier sur la gouvernance et le budget des communes d'Essaouira.",
            theme="finance",
            year=2023,
            province="safi",
        ),
    ]
    call_command("update_index", verbosity=0)
    return made


def test_results_with_highlighted_arabic_snippets(client, pages):
    """An unvowelled query finds the vowelled page; the highlight wraps the whole
    vowelled word, marks included."""
    response = client.get("/search/", {"q": "تكوين"})
    assert response.status_code == 200
    result = response.context["result"]
    titles = {hit.page.title for hit in result.hits}
    assert "مُحَمَّد الخامس والتَّكْوِين" in titles
    html = response.content.decode()
    assert "<mark>والتَّكْوِين</mark>" in html
    assert "<mark>التَّكْوِينِ</mark>" in html


def test_facet_counts_and_filters(client, pages):
    """Facets count in the index; choosing a value filters, and the other
    facets are counted with that choice applied."""
    response = client.get("/search/", {"q": "الميزانية"})
    result = response.context["result"]
    assert result.total == 2
    by_key = {f.facet.key: {v.key: v.count for v in f.values} for f in result.facets}
    assert by_key["theme"] == {"finance": 2}
    assert by_key["year"] == {"2024": 1, "2025": 1}
    assert by_key["province"] == {"safi": 1, "al-haouz": 1}
    labels = {v.key: v.label for f in result.facets if f.facet.key == "province" for v in f.values}
    assert labels["al-haouz"] == "Al Haouz"

    response = client.get("/search/", {"q": "الميزانية", "province": "al-haouz"})
    result = response.context["result"]
    assert [hit.page.title for hit in result.hits] == ["الميزانية التشاركية"]
    by_key = {f.facet.key: {v.key: v.count for v in f.values} for f in result.facets}
    assert by_key["year"] == {"2025": 1}
    assert by_key["province"] == {"safi": 1, "al-haouz": 1}  # still widenable


def test_content_type_facet_is_built_in(client, pages):
    """Content types are a facet without any registration by content apps."""
    result = client.get("/search/", {"q": "budget"}).context["result"]
    type_facet = next(f for f in result.facets if f.facet.key == "type")
    assert [v.count for v in type_facet.values] == [1]
    assert type_facet.values[0].label == "Topic pages"


def test_sort_by_date(client, pages):
    """Sorting by date puts the newest first, whatever the relevance."""
    result = client.get("/search/", {"q": "الميزانية", "sort": "date"}).context["result"]
    assert [hit.page.title for hit in result.hits] == ["الميزانية التشاركية", "تكوين المنتخبين في الميزانية"]


def test_phrase_search(client, pages):
    """Quoted words must appear together, in order."""
    result = client.get("/search/", {"q": '"budget participatif"'}).context["result"]
    assert [hit.page.title for hit in result.hits] == ["Le budget participatif"]
    result = client.get("/search/", {"q": '"participatif budget"'}).context["result"]
    assert result.total == 0


def test_all_words_then_any_word(client, pages):
    """All words first; when nothing has them all, pages with any of them."""
    result = client.get("/search/", {"q": "budget Essaouira"}).context["result"]
    assert result.total == 1
    result = client.get("/search/", {"q": "budget inexistantmot"}).context["result"]
    assert [hit.page.title for hit in result.hits] == ["Le budget participatif"]


def test_did_you_mean(client, pages):
    """A misspelt word gets a suggestion from the index's vocabulary."""
    result = client.get("/search/", {"q": "gouvernanse"}).context["result"]
    assert result.total == 0
    assert result.suggestion == "gouvernance"
    assert "gouvernance" in client.get("/search/", {"q": "gouvernanse"}).content.decode()


def test_pagination(client, search_index_dir):
    """Twenty results a page, with a link to the next one keeping the query."""
    for n in range(25):
        TopicPageFactory(title=f"Commune {n}")
    call_command("update_index", verbosity=0)
    first = client.get("/search/", {"q": "commune"})
    assert first.context["result"].total == 25
    assert len(first.context["result"].hits) == 20
    assert "q=commune&amp;page=2" in first.content.decode()
    second = client.get("/search/", {"q": "commune", "page": 2})
    assert len(second.context["result"].hits) == 5


@pytest.mark.parametrize(
    "query",
    [
        '"unbalanced',
        'budget" "',
        "AND OR NOT ( ) * ? ~ ^ : [ ] { }",
        "budget -atelier +commune",
        "x" * 5000,
        "ميزانية " * 1000,
        "\x00\x01\x1b[31m\x7f",
        "\u200f\u202eالميزانية\u202c\u200e",
        "😀🇲🇦 budget 👍🏽",
        "' OR 1=1; --",
        "<script>alert(1)</script>",
    ],
)
def test_odd_input_returns_a_page(client, pages, query):
    """Odd input never gives an error: the page answers 200."""
    response = client.get("/search/", {"q": query, "page": "x", "sort": "nope", "year": "<b>"})
    assert response.status_code == 200
    assert "<script>alert" not in response.content.decode()


def test_invalid_utf8_returns_a_page(client, pages):
    """Bytes that are not UTF-8 in the query string still give a page."""
    response = client.get("/search/?q=%ED%A0%80%FF%C3&page=%FF")
    assert response.status_code == 200


def test_rtl_marks_do_not_break_the_query(client, pages):
    """Bidi and zero-width marks around words are ignored."""
    result = client.get("/search/", {"q": "\u200fالميزانية\u200e"}).context["result"]
    assert result.total == 2


def test_search_page_queries_are_constant(client, pages, django_assert_max_num_queries):
    """The database work does not grow with the number of hits (pages are loaded in one query)."""
    with django_assert_max_num_queries(12):
        client.get("/search/", {"q": "الميزانية"})


def test_autocomplete_after_two_letters(client, pages):
    """Titles starting with the typed letters, none for one letter."""
    assert client.get("/search/autocomplete/", {"q": "ا"}).json() == {"results": []}
    data = client.get("/search/autocomplete/", {"q": "الميز"}).json()
    assert {item["title"] for item in data["results"]} == {"الميزانية التشاركية", "تكوين المنتخبين في الميزانية"}
    assert data["results"][0]["url"].endswith("/")
    data = client.get("/search/autocomplete/", {"q": "تشارك"}).json()  # without the article
    assert [item["title"] for item in data["results"]] == ["الميزانية التشاركية"]
    data = client.get("/search/autocomplete/", {"q": "Le bud"}).json()
    assert [item["title"] for item in data["results"]] == ["Le budget participatif"]


def test_header_box_loads_the_autocomplete_script(client, pages):
    """Every page's header box points at the endpoint and loads the script."""
    html = client.get("/search/").content.decode()
    assert 'data-autocomplete-url="/search/autocomplete/"' in html
    assert "js/search-autocomplete.js" in html


def test_other_backends_serve_the_page_with_facets(client, pages, settings):
    """With modelsearch's database backend (the path to OpenSearch is the same),
    the page still gives results, counts and facets, through modelsearch's API."""
    conf = {"default": {"BACKEND": "wagtail.search.backends.database"}}
    settings.WAGTAILSEARCH_BACKENDS = conf
    settings.MODELSEARCH_BACKENDS = conf
    call_command("update_index", verbosity=0)
    response = client.get("/search/", {"q": "budget"})
    assert response.status_code == 200
    result = response.context["result"]
    assert [hit.page.title for hit in result.hits] == ["Le budget participatif"]
    by_key = {f.facet.key: {v.key: v.count for v in f.values} for f in result.facets}
    assert by_key["theme"] == {"finance": 1} and by_key["year"] == {"2023": 1}


def test_empty_slices_and_admin_listings(client, pages, admin_user):
    """An empty slice is an empty list, and the admin's searchable listings answer 200."""
    from modelsearch.backends import get_search_backend
    from wagtail.models import Page

    results = get_search_backend("default").search("budget", Page)
    assert list(results[0:0]) == []
    assert list(results[5:5]) == []
    client.force_login(admin_user)
    parent = pages[0].get_parent()
    for url in (
        f"/admin/pages/{parent.pk}/?q=budget",
        "/admin/documents/?q=x",
        "/admin/images/?q=x",
        "/admin/pages/search/?q=budget",
    ):
        assert client.get(url).status_code == 200, url
