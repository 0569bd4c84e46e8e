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
