"""Search finds archive activities by the words of their facets: a theme's name, the province,
the type, the people and the partners, in the page's language; snippets never glue the title to the body."""

import pytest
from django.core.management import call_command

from vocabulary.services import theme_ensure

pytestmark = pytest.mark.django_db


@pytest.fixture
def indexed(make_activity, tmp_path, settings):
    theme_ensure(slug="digital", names={"ar": "التحول الرقمي", "fr": "Transformation numérique"}, sort_order=9)
    page = make_activity(
        "MDE-2020-007", theme_slugs=["digital"], province="al-haouz",
        titles={"ar": "لقاء تواصلي", "fr": "Rencontre"}, summaries={"ar": "تبادل التجارب", "fr": "Échanges"},
        trainers=[("Nadia Berrada", "Université Cadi Ayyad", "academic")],
    )
    conf = {"default": {"BACKEND": "search.backends.whoosh", "PATH": str(tmp_path / "index")}}
    settings.WAGTAILSEARCH_BACKENDS = conf
    settings.MODELSEARCH_BACKENDS = conf
    call_command("update_index", verbosity=0)
    return page


def _found(client, url, query):
    response = client.get(url, {"q": query})
    assert response.status_code == 200
    return [hit.page.pk for hit in response.context["result"].hits], response


@pytest.mark.parametrize(
    ("url", "query"),
    [("/search/", "التحول الرقمي"), ("/fr/search/", "numerique"), ("/search/", "الحوز"),
     ("/fr/search/", "Al Haouz"), ("/fr/search/", "Berrada"), ("/fr/search/", "atelier")],
)
def test_an_activity_is_found_by_its_facets_words(client, indexed, url, query):
    """The theme's name (Arabic, or French without accents), the province, the trainer and the
    type find the activity whose own text says none of them."""
    from archive.models import ActivityPage

    language = "fr" if url.startswith("/fr") else "ar"
    expected = ActivityPage.objects.get(translation_key=indexed.translation_key, locale__language_code=language)
    found, _ = _found(client, url, query)
    assert expected.pk in found


def test_the_snippet_does_not_repeat_the_title(client, indexed):
    """The snippet starts with the body's words, not with the title glued to them."""
    _, response = _found(client, "/search/", "تبادل")
    snippet = str(response.context["result"].hits[0].snippet_html)
    assert "لقاء تواصلي" not in snippet and "تبادل" in snippet
