"""Two editors saving the same lesson: Wagtail's concurrent-editing notice tells the one who
loaded the older version that someone saved a newer one; nothing is lost (both revisions kept)."""

import pytest
from django.urls import reverse
from wagtail.admin.models import EditingSession

from tests.courses.factories import lessons_of, make_course

from .conftest import client_for, member

pytestmark = pytest.mark.django_db


def test_the_second_editor_is_told_a_newer_version_was_saved(editor):
    """Salma opens the lesson, Karim saves it; Salma's next ping names Karim and his revision,
    and both revisions are kept."""
    course = make_course(slug="concurrent", lessons=1)
    lesson = lessons_of(course)[0]
    loaded = lesson.get_latest_revision()
    salma = client_for(editor)
    salma.get(f"/admin/pages/{lesson.pk}/edit/")
    session = EditingSession.objects.get(user=editor)
    other = member("Editors", full_name="كريم الإدريسي")
    client_for(other).get(f"/admin/pages/{lesson.pk}/edit/")
    lesson.title = "عنوان كريم"
    newer = lesson.save_revision(user=other)

    url = reverse("wagtailadmin_editing_sessions:ping", args=["wagtailcore", "page", lesson.pk, session.pk])
    response = salma.post(url, {"revision_id": loaded.pk, "revision_created_at": loaded.created_at.isoformat()})
    data = response.json()
    assert response.status_code == 200
    [notice] = [s for s in data["other_sessions"] if s["revision_id"]]
    assert notice["revision_id"] == newer.pk
    assert "كريم الإدريسي" in data["html"]
    assert lesson.revisions.count() == 2
