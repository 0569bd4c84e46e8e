"""The editor's dashboard (Wagtail's home): their drafts, recordings ready but unused,
translations out of date, beside Wagtail's "awaiting your review"; in Arabic and French."""

import pytest

from tests.courses.factories import lessons_of, make_course

from .conftest import client_for, recording

pytestmark = pytest.mark.django_db


def test_the_dashboard_lists_drafts_unused_recordings_and_outdated_translations(editor, reviewer):
    """Each panel names its rows; a recording used in a lesson is not "unused"; the reviewer sees
    the page waiting for their review."""
    from wagtail.models import Locale

    from editorial.services import page_translate

    course = make_course(slug="dash", lessons=1)
    lesson = lessons_of(course)[0]
    course.title = "مسودة الوحدة"
    course.save_revision(user=editor)
    unused = recording("تسجيل غير مستعمل")
    used = recording("تسجيل مستعمل")
    lesson.body = [("video", {"recording": used, "video": None})]
    lesson.save_revision(user=editor).publish()
    french = page_translate(page=lesson, locale=Locale.objects.get(language_code="fr"), user=editor)
    lesson.save_revision(user=editor)
    course.get_workflow().start(course, editor)

    html = client_for(editor).get("/admin/").content.decode()
    assert 'id="editorial-drafts' in html and "مسودة الوحدة" in html
    assert "تسجيل غير مستعمل" in html and "تسجيل مستعمل<" not in html
    assert 'id="editorial-translations' in html and f"/admin/pages/{french.pk}/edit/" in html
    assert unused.title in html
    review = client_for(reviewer).get("/admin/").content.decode()
    assert "مسودة الوحدة" in review
    assert 'lang="fr"' in review and "Traductions obsolètes" in review
