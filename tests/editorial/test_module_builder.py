"""A module built in one place: its lessons in order on its edit screen, reordered by drag and
drop, a quiz attached, a recording chosen (ready ones only)."""

import pytest

from lessons.models import LessonPage
from tests.courses.factories import lessons_of, make_course, make_quiz

from .conftest import client_for, recording

pytestmark = pytest.mark.django_db


def test_the_edit_screen_lists_the_lessons_in_their_order_not_by_last_edit(editor):
    """Lesson 1 edited last still shows first; links add a lesson, attach a quiz, choose a recording."""
    course = make_course(slug="builder", lessons=3)
    first = lessons_of(course)[0]
    first.save_revision(user=editor)
    html = client_for(editor).get(f"/admin/pages/{course.pk}/edit/").content.decode()
    positions = [html.index(f'data-lesson-id="{lesson.pk}"') for lesson in lessons_of(course)]
    assert positions == sorted(positions)
    assert f"/admin/pages/add/lessons/lessonpage/{course.pk}/" in html
    assert f"/admin/editorial/lessons/{first.pk}/quiz/" in html
    assert f"/admin/editorial/lessons/{first.pk}/recording/" in html
    assert "js/editorial-lessons.js" in html


def test_reordering_saves_the_new_order_and_refuses_a_stale_list(editor):
    """The order posted becomes the tree's order; a list missing a lesson is refused (400) with a message."""
    course = make_course(slug="reorder", lessons=3)
    one, two, three = (lesson.pk for lesson in lessons_of(course))
    client = client_for(editor)
    response = client.post(f"/admin/editorial/modules/{course.pk}/order/", {"order": f"{three},{one},{two}"})
    assert response.status_code == 200
    assert [lesson.pk for lesson in lessons_of(course)] == [three, one, two]
    for bad in (f"{three},{one}", "x,y", f"{one},{one},{two}", ""):
        response = client.post(f"/admin/editorial/modules/{course.pk}/order/", {"order": bad})
        assert response.status_code == 400 and response.json()["error"]
    assert [lesson.pk for lesson in lessons_of(course)] == [three, one, two]


def test_attaching_a_quiz_adds_it_to_the_lessons_draft(editor):
    """The quiz goes at the end of the lesson's body, as a new revision; attaching it twice is refused."""
    course = make_course(slug="quiz-attach", lessons=1)
    lesson = lessons_of(course)[0]
    quiz = make_quiz(title="اختبار الوحدة")
    client = client_for(editor)
    assert "اختبار الوحدة" in client.get(f"/admin/editorial/lessons/{lesson.pk}/quiz/").content.decode()
    response = client.post(f"/admin/editorial/lessons/{lesson.pk}/quiz/", {"quiz": quiz.pk})
    assert response.status_code == 302 and response["Location"] == f"/admin/pages/{course.pk}/edit/"
    draft = LessonPage.objects.get(pk=lesson.pk).get_latest_revision_as_object()
    assert draft.quiz_ids() == [quiz.pk]
    response = client.post(f"/admin/editorial/lessons/{lesson.pk}/quiz/", {"quiz": quiz.pk}, follow=True)
    assert LessonPage.objects.get(pk=lesson.pk).get_latest_revision_as_object().quiz_ids() == [quiz.pk]
    assert client.post(f"/admin/editorial/lessons/{lesson.pk}/quiz/", {"quiz": "abc"}).status_code == 404


def test_the_recording_chooser_filters_shows_states_and_refuses_what_is_not_ready(editor):
    """Search by title and length; the encode state is shown; a processing recording is refused
    with a message, a ready one lands in the lesson's draft."""
    course = make_course(slug="rec-attach", lessons=1)
    lesson = lessons_of(course)[0]
    ready = recording("ورشة الميزانية", duration=300)
    busy = recording("ورشة التعمير", status="processing", duration=2400)
    client = client_for(editor)
    url = f"/admin/editorial/lessons/{lesson.pk}/recording/"
    html = client.get(url).content.decode()
    assert f'data-recording-row="{ready.pk}" data-recording-status="ready"' in html
    assert f'data-recording-row="{busy.pk}" data-recording-status="processing"' in html
    html = client.get(url, {"q": "الميزانية"}).content.decode()
    assert "ورشة الميزانية" in html and "ورشة التعمير" not in html
    html = client.get(url, {"duration": "long"}).content.decode()
    assert "ورشة التعمير" in html and "ورشة الميزانية" not in html

    response = client.post(url, {"recording": busy.pk}, follow=True)
    assert "ورشة التعمير" in response.content.decode()
    assert lesson.get_latest_revision_as_object().has_video() is False
    response = client.post(url, {"recording": ready.pk})
    assert response.status_code == 302
    body = LessonPage.objects.get(pk=lesson.pk).get_latest_revision_as_object().body.raw_data
    assert body[-1]["type"] == "video" and body[-1]["value"]["recording"] == ready.pk


def test_a_trainer_without_edit_rights_cannot_use_the_builder(homes):
    """Someone who cannot edit the lesson gets 403, not the chooser."""
    from .conftest import member

    course = make_course(slug="rights", lessons=1)
    lesson = lessons_of(course)[0]
    outsider = member("Learners")
    client = client_for(outsider)
    assert client.get(f"/admin/editorial/lessons/{lesson.pk}/quiz/").status_code in (302, 403)
