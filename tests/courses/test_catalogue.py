"""The catalogue page narrows its modules by theme, level and words (courses.selectors.catalogue)."""

import pytest
from django.test import Client
from wagtail.models import Locale

from courses.selectors import catalogue
from tests.courses.factories import catalogue as catalogue_page
from tests.courses.factories import make_course
from vocabulary.models import Theme

pytestmark = pytest.mark.django_db


@pytest.fixture
def modules(homes):
    arabic = Locale.objects.get(language_code="ar")
    finance = Theme.objects.create(name="المالية المحلية", slug="finance", locale=arabic)
    law = Theme.objects.create(name="القانون", slug="law", locale=arabic)
    return {
        "budget": make_course(slug="budget", title="إعداد الميزانية", theme=finance, level="introductory", lessons=0),
        "audit": make_course(
            slug="audit", title="الافتحاص", summary="مراقبة الميزانية", theme=finance, level="advanced", lessons=0
        ),
        "statute": make_course(slug="statute", title="النظام الأساسي", theme=law, level="advanced", lessons=0),
    }


def slugs(data: dict) -> list[str]:
    return [course.slug for course in data["courses"]]


def test_filters_by_theme_level_and_words_of_title_or_summary(modules):
    """Each filter narrows the list; words match the title or the summary."""
    index = catalogue_page()
    assert slugs(catalogue(index=index)) == ["budget", "audit", "statute"]
    assert slugs(catalogue(index=index, theme="finance")) == ["budget", "audit"]
    assert slugs(catalogue(index=index, theme="finance", level="advanced")) == ["audit"]
    assert slugs(catalogue(index=index, query="  الميزانية ")) == ["budget", "audit"]
    data = catalogue(index=index, theme="law", query="الميزانية")
    assert slugs(data) == [] and data["filters"] == {"theme": "law", "level": "", "q": "الميزانية"}


def test_unknown_level_is_ignored_and_long_queries_are_cut(modules):
    """A level that does not exist filters nothing; the words are cut at 200 characters."""
    index = catalogue_page()
    data = catalogue(index=index, level="expert", query="م" * 300)
    assert data["filters"]["q"] == "م" * 200
    assert slugs(catalogue(index=index, level="expert")) == ["budget", "audit", "statute"]
    assert {theme.slug for theme in data["themes"]} == {"finance", "law"}


def test_catalogue_page_shows_the_filtered_modules(modules):
    """The page reads its filters from the address and keeps them in the form."""
    html = Client().get(catalogue_page().url + "?theme=finance&level=advanced").content.decode()
    assert "الافتحاص" in html and "إعداد الميزانية" not in html and "النظام الأساسي" not in html
    assert '<option value="finance" selected>' in html and '<option value="advanced" selected>' in html
