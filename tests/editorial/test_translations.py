"""Translations kept in step: each page says whether its other-language version exists and
whether it is older than the last change to this one; one click makes the copy, a draft."""

import pytest
from wagtail.models import Locale

from courses.models import CoursePage
from editorial.selectors import outdated_translations, translation_status
from tests.courses.factories import lessons_of, make_course

from .conftest import client_for

pytestmark = pytest.mark.django_db


def test_translate_in_one_click_gives_a_draft_then_flags_it_after_an_arabic_change(editor):
    """Missing → one POST → a French draft level with its source → out of date after the next
    Arabic revision; the edit screen and the listing both say so."""
    course = make_course(slug="translated", lessons=1)
    lesson = lessons_of(course)[0]
    [row] = translation_status(page=course)
    assert row.state == "missing" and row.locale.language_code == "fr"
    client = client_for(editor)
    listing = client.get(f"/admin/pages/{course.get_parent().pk}/").content.decode()
    assert f"/admin/editorial/pages/{course.pk}/translate/fr/" in listing

    response = client.post(f"/admin/editorial/pages/{lesson.pk}/translate/fr/")
    french_lesson = lesson.get_translation(Locale.objects.get(language_code="fr"))
    assert response.status_code == 302 and response["Location"] == f"/admin/pages/{french_lesson.pk}/edit/"
    french_module = CoursePage.objects.get(translation_key=course.translation_key, locale__language_code="fr")
    assert not french_lesson.live and not french_module.live, "copies are drafts (the module copied as its parent)"
    assert translation_status(page=lesson)[0].state == "up_to_date"
    assert outdated_translations() == [] or french_lesson not in outdated_translations()

    lesson.title = "الدرس الأول بعد التعديل"
    lesson.save_revision(user=editor)
    lesson.refresh_from_db()
    assert translation_status(page=lesson)[0].state == "out_of_date"
    assert french_lesson.page_ptr in outdated_translations()
    edit = client.get(f"/admin/pages/{lesson.pk}/edit/").content.decode()
    assert 'data-translation-state="out_of_date"' in edit
    listing = client.get(f"/admin/pages/{course.pk}/").content.decode()
    assert f"/admin/pages/{french_lesson.pk}/edit/" in listing
    # The French side flags itself: its source changed after its last edit.
    assert translation_status(page=french_lesson)[0].state == "source_changed"
    edit = client.get(f"/admin/pages/{french_lesson.pk}/edit/").content.decode()
    assert 'data-translation-state="source_changed"' in edit
    listing = client.get(f"/admin/pages/{french_module.pk}/").content.decode()
    assert 'data-translation-state="source_changed"' in listing and f"/admin/pages/{lesson.pk}/edit/" in listing
    french_lesson.save_revision(user=editor)
    assert translation_status(page=french_lesson)[0].state == "up_to_date"
    assert french_lesson.page_ptr not in outdated_translations()


def test_the_listing_reads_translations_in_a_constant_number_of_queries(admin, settings):
    """A module's page listing with 5 lessons and with 20 costs the same number of queries:
    the rows' translation buttons read what the listing's query annotated. (As an administrator:
    for an editor, who may not publish, Wagtail's own delete check adds two queries per row.)"""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    settings.PAGECACHE_SECONDS = 0
    client = client_for(admin)
    counts = []
    for n in (5, 20):
        course = make_course(slug=f"listing-{n}", lessons=n, revisions=False)
        client.post(f"/admin/editorial/pages/{lessons_of(course)[0].pk}/translate/fr/")
        client.get(f"/admin/pages/{course.pk}/")  # warm the caches every page shares
        with CaptureQueriesContext(connection) as queries:
            html = client.get(f"/admin/pages/{course.pk}/").content.decode()
        assert html.count("/translate/fr/") == n - 1 and 'data-translation-state="up_to_date"' in html
        counts.append(len(queries))
    assert counts[0] == counts[1], counts


def test_translating_twice_opens_the_existing_copy(editor):
    """A second click makes no second copy."""
    course = make_course(slug="twice", lessons=0)
    client = client_for(editor)
    client.post(f"/admin/editorial/pages/{course.pk}/translate/fr/")
    client.post(f"/admin/editorial/pages/{course.pk}/translate/fr/")
    assert CoursePage.objects.filter(translation_key=course.translation_key).count() == 2


def test_translate_refuses_get_and_unknown_languages(editor):
    """GET is not allowed (405), an unknown language is a 404: nothing is copied."""
    course = make_course(slug="refused", lessons=0)
    client = client_for(editor)
    assert client.get(f"/admin/editorial/pages/{course.pk}/translate/fr/").status_code == 405
    assert client.post(f"/admin/editorial/pages/{course.pk}/translate/xx/").status_code == 404
    assert CoursePage.objects.filter(translation_key=course.translation_key).count() == 1
