"""Quality gates before publishing: what cannot go live, and the message that says what to fix
(in the editor's language), with nothing typed lost."""

from datetime import timedelta

import pytest
from django.utils import timezone, translation
from wagtail.images.tests.utils import get_test_image_file
from wagtail.test.utils.form_data import nested_form_data, streamfield

from editorial.gates import lesson_problems, parent_problems, quiz_problems
from lessons.models import LessonPage, Question
from tests.courses.factories import QuizFactory, lessons_of, make_course, make_quiz, options

from .conftest import client_for, recording

pytestmark = pytest.mark.django_db


def lesson_form(lesson, body, **extra) -> dict:
    data = nested_form_data({
        "title": lesson.title, "slug": lesson.slug, "summary": "", "estimated_minutes": 10,
        "completion_rule": "view", "required": "on", "body": streamfield(body),
        "comments": {"TOTAL_FORMS": 0, "INITIAL_FORMS": 0, "MIN_NUM_FORMS": 0, "MAX_NUM_FORMS": 1000},
    })
    data.update(extra)
    return data


def video(asset) -> tuple:
    return ("video", {"recording": asset.pk, "video": "", "poster": "", "caption": ""})


def test_a_failed_recording_stops_publication_with_a_message_and_keeps_the_edit(admin):
    """Publishing a lesson whose video block plays a failed recording answers the edit screen
    again with the recording named; the typed title is still there, the page is not live."""
    course = make_course(slug="gated", lessons=1)
    lesson = lessons_of(course)[0]
    lesson.unpublish()
    failed = recording("ورشة فاشلة", status="failed")
    client = client_for(admin)
    data = lesson_form(lesson, [video(failed)], title="عنوان جديد لم يضع", **{"action-publish": "1"})
    response = client.post(f"/admin/pages/{lesson.pk}/edit/", data)
    html = response.content.decode()
    assert response.status_code == 200
    assert "ورشة فاشلة" in html and "عنوان جديد لم يضع" in html
    assert not LessonPage.objects.get(pk=lesson.pk).live
    # Saving a draft is never blocked.
    response = client.post(f"/admin/pages/{lesson.pk}/edit/", lesson_form(lesson, [video(failed)]))
    assert response.status_code == 302


def test_the_same_lesson_with_a_ready_recording_is_published(admin):
    """The gate lets a ready recording through (the check can fail and can pass)."""
    course = make_course(slug="gated-ok", lessons=1)
    lesson = lessons_of(course)[0]
    lesson.unpublish()
    ready = recording("ورشة جاهزة")
    response = client_for(admin).post(f"/admin/pages/{lesson.pk}/edit/", lesson_form(lesson, [video(ready)], **{"action-publish": "1"}))
    assert response.status_code == 302
    assert LessonPage.objects.get(pk=lesson.pk).live


def test_messages_are_in_the_editors_language(homes):
    """The failed-recording message reads in French for a French-speaking editor, in Arabic otherwise."""
    course = make_course(slug="gated-fr", lessons=0)
    failed = recording("atelier", status="failed")
    lesson = LessonPage(title="Leçon", slug="lecon", body=[("video", {"recording": failed, "video": None})])
    course.add_child(instance=lesson)
    with translation.override("fr"):
        [french] = lesson_problems(lesson=lesson)
    with translation.override("ar"):
        [arabic] = lesson_problems(lesson=lesson)
    assert "atelier" in french and "échoué" in french
    assert "atelier" in arabic and "فشل" in arabic


def test_a_quiz_without_a_correct_answer_or_drawing_too_many_is_refused(homes):
    """A choice question with no correct option, or more questions drawn than the quiz holds."""
    quiz = QuizFactory(title="اختبار ناقص", draw_count=3)
    Question.objects.create(quiz=quiz, kind="single", text="سؤال بلا جواب", options=options(("أ", False), ("ب", False)))
    problems = quiz_problems(quiz=quiz)
    assert len(problems) == 2 and "سؤال بلا جواب" in problems[0]
    assert quiz_problems(quiz=QuizFactory(title="فارغ")) != []
    good = make_quiz(title="كامل")
    assert quiz_problems(quiz=good) == []


def test_a_lesson_embedding_a_broken_quiz_or_an_image_without_alt_text_is_refused(homes):
    """Both are named in the lesson's problems; with alt text and a good quiz there are none."""
    from wagtail.images import get_image_model

    image = get_image_model().objects.create(title="صورة الورشة", file=get_test_image_file())
    broken = QuizFactory(title="بلا أسئلة")
    course = make_course(slug="gated-quiz", lessons=0)
    lesson = LessonPage(title="درس", slug="lesson", body=[("quiz", {"quiz": broken}), ("image", {"image": image, "caption": ""})])
    course.add_child(instance=lesson)
    problems = lesson_problems(lesson=lesson)
    assert len(problems) == 2 and "بلا أسئلة" in problems[0] and "صورة الورشة" in problems[1]
    image.description = "مستشارون حول طاولة"
    image.save()
    lesson.body = [("quiz", {"quiz": make_quiz()}), ("image", {"image": image, "caption": ""})]
    assert lesson_problems(lesson=lesson) == []


def test_a_page_under_an_unpublished_parent_cannot_go_live(homes):
    """A lesson of an unpublished module: publish the module first."""
    course = make_course(slug="gated-parent", lessons=1)
    lesson = lessons_of(course)[0]
    assert parent_problems(page=lesson) == []
    course.unpublish()
    [problem] = parent_problems(page=lesson)
    assert course.title in problem


def test_quiz_form_refuses_publishing_a_quiz_drawing_more_questions_than_it_has(admin):
    """The quiz snippet form: publishing 5 questions drawn out of 1 is refused, nothing is saved;
    a draft is never blocked (it is not live); with 1 drawn the quiz is published."""
    data = nested_form_data({
        "title": "اختبار السحب", "intro": "", "pass_mark": 70, "max_attempts": 3, "time_limit_minutes": 0,
        "draw_count": 5, "reveal_policy": "after_last", "feedback_pass": "", "feedback_fail": "",
        "questions": {"TOTAL_FORMS": 1, "INITIAL_FORMS": 0, "MIN_NUM_FORMS": 1, "MAX_NUM_FORMS": 1000,
                      "0": {"kind": "true_false", "text": "صحيح؟", "points": 1, "correct_true": "on",
                            "options-count": 0, "accepted_answers": "", "tolerance": 0, "explanation": "",
                            "ORDER": 1}},
    })
    from lessons.models import Quiz

    client = client_for(admin)
    response = client.post("/admin/snippets/lessons/quiz/add/", {**data, "action-publish": "1"})
    assert response.status_code == 200
    assert "اختبار السحب" in response.content.decode()
    assert not Quiz.objects.filter(title="اختبار السحب").exists()
    response = client.post("/admin/snippets/lessons/quiz/add/", data)
    assert response.status_code == 302 and not Quiz.objects.get(title="اختبار السحب").live
    Quiz.objects.all().delete()
    data["draw_count"] = 1
    response = client.post("/admin/snippets/lessons/quiz/add/", {**data, "action-publish": "1"})
    assert response.status_code == 302 and Quiz.objects.get(title="اختبار السحب").live


def test_an_expiry_before_the_go_live_is_refused(admin):
    """Wagtail's own check, in the editor's language: the schedule is not saved."""
    course = make_course(slug="gated-schedule", lessons=1)
    lesson = lessons_of(course)[0]
    go_live = timezone.localtime() + timedelta(days=2)
    data = lesson_form(lesson, [], go_live_at=go_live.strftime("%Y-%m-%d %H:%M"),
                       expire_at=(go_live - timedelta(days=1)).strftime("%Y-%m-%d %H:%M"), **{"action-publish": "1"})
    response = client_for(admin).post(f"/admin/pages/{lesson.pk}/edit/", data)
    assert response.status_code == 200
    assert "تاريخ" in response.content.decode()
    assert LessonPage.objects.get(pk=lesson.pk).go_live_at is None
