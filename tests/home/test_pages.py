"""The home page, sections, languages, the language switcher, the admin language and 404s."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

pytestmark = pytest.mark.django_db


def test_home_is_arabic_right_to_left_with_modules(client, demo_site):
    """`/` serves the Arabic home page, right to left, with modules and a search box."""
    html = client.get("/").content.decode()
    assert '<html lang="ar" dir="rtl">' in html
    assert "تكوين المنتخبين" in html
    assert 'role="search"' in html and 'action="/search/"' in html
    assert html.count('class="card card--module"') == 6


def test_french_home_is_left_to_right(client, demo_site):
    """`/fr/` serves the French home page, left to right, with French links."""
    html = client.get("/fr/").content.decode()
    assert '<html lang="fr" dir="ltr">' in html
    assert "Former les élus" in html
    assert 'href="/fr/courses/"' in html and 'href="/fr/archive/"' in html


@pytest.mark.parametrize(("path", "lang"), [("/courses/", "ar"), ("/fr/courses/", "fr")])
def test_catalogue_lists_the_twelve_modules(client, demo_site, path, lang):
    """The catalogue lists the twelve themes' modules in each language."""
    html = client.get(path).content.decode()
    assert f'lang="{lang}"' in html
    assert html.count('class="card card--module"') == 12


def test_language_switcher_leads_to_the_translation(client, demo_site):
    """On a module page the switcher links to the same module in the other language."""
    html = client.get("/courses/gis/").content.decode()
    assert re.search(r'href="/fr/courses/gis/"[^>]*data-lang-switch="fr"', html)
    html = client.get("/fr/courses/gis/").content.decode()
    assert re.search(r'href="/courses/gis/"[^>]*data-lang-switch="ar"', html)


def test_language_switcher_on_non_page_views(client, demo_site):
    """On the search page the switcher keeps the address and the query."""
    html = client.get("/search/?q=x").content.decode()
    assert 'href="/fr/search/?q=x"' in html


@pytest.mark.parametrize(("path", "lang", "text"), [("/nowhere/", "ar", "الصفحة غير موجودة"), ("/fr/nowhere/", "fr", "Page introuvable")])
def test_unknown_url_gives_the_localised_404(demo_site, settings, path, lang, text):
    """An unknown address answers 404 with the site's page in that language."""
    settings.DEBUG = False
    response = Client().get(path)
    assert response.status_code == 404
    html = response.content.decode()
    assert f'lang="{lang}"' in html and text in html


def test_admin_is_arabic_for_an_arabic_preferring_editor(client, demo_site):
    """The demo editor prefers Arabic and gets the Wagtail admin in Arabic, right to left."""
    client.force_login(get_user_model().objects.get(email="editor@takwin.test"))
    html = client.get("/admin/").content.decode()
    assert 'lang="ar"' in html and 'dir="rtl"' in html


def test_admin_is_french_for_a_french_preferring_trainer(client, demo_site):
    """The demo trainer prefers French and gets the admin in French."""
    client.force_login(get_user_model().objects.get(email="trainer@takwin.test"))
    html = client.get("/admin/").content.decode()
    assert 'lang="fr"' in html and 'dir="ltr"' in html


def test_home_page_query_count_is_constant(client, demo_site, django_assert_max_num_queries):
    """The home page runs a bounded number of queries."""
    client.get("/")
    with django_assert_max_num_queries(20):
        client.get("/")


def test_fonts_are_self_hosted(client, demo_site):
    """Pages load no third-party font or script."""
    html = client.get("/").content.decode()
    assert "fonts.googleapis" not in html and "cdn" not in html.lower()


def test_password_reset_page_exists_in_both_languages(client, demo_site):
    for path, text in (("/accounts/password-reset/", "كلمة المرور"), ("/fr/accounts/password-reset/", "mot de passe")):
        assert text in client.get(path).content.decode()


