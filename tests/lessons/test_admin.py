"""Editors work in the Wagtail admin: quizzes with inline questions, lessons under modules, previews."""

import pytest
from django.test import Client, RequestFactory

from tests.courses.factories import lessons_of, make_course, make_quiz
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(homes):
    client = Client()
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


def test_quiz_editor_has_inline_questions(admin_client):
    """The quiz add form offers the rules and an inline question formset; the listing shows quizzes."""
    make_quiz(title="Quiz de démonstration")
    html = admin_client.get("/admin/snippets/lessons/quiz/add/").content.decode()
    assert 'name="pass_mark"' in html and 'name="questions-TOTAL_FORMS"' in html
    assert "Quiz de démonstration" in admin_client.get("/admin/snippets/lessons/quiz/").content.decode()


def test_lesson_editor_and_preview(admin_client):
    """Editors add lessons under a module and preview them (the preview shows the body, no progress is recorded)."""
    course = make_course(slug="admin-module", lessons=1)
    lesson = lessons_of(course)[0]
    response = admin_client.get(f"/admin/pages/add/lessons/lessonpage/{course.pk}/")
    assert response.status_code == 200 and 'name="completion_rule"' in response.content.decode()
    request = RequestFactory().get("/")
    request.user = UserFactory(is_staff=True, is_superuser=True)
    response = lesson.make_preview_request(original_request=request)
    if hasattr(response, "render"):
        response.render()
    assert response.status_code == 200
    assert "محتوى الدرس 1" in response.content.decode()
    from lessons.models import LessonProgress

    assert not LessonProgress.objects.exists()


def test_certificates_are_listed_for_staff(admin_client):
    """Staff find certificates in the admin."""
    assert admin_client.get("/admin/snippets/courses/certificate/").status_code == 200
