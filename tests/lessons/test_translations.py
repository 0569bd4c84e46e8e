"""One enrolment, one progress and one count of quiz attempts per module across its translations.

A learner who began a module in Arabic opens its French translation and finds the same
enrolment, the same lessons done and the same attempts used; finishing in French completes
the module once, with one certificate, and the module's report counts the learner once.
"""

import pytest
from django.test import Client
from django.utils import translation
from wagtail.models import Locale

from courses.models import Certificate, Enrolment
from courses.services import enrolment_create, enrolment_withdraw
from lessons.models import LessonProgress, QuizAttempt
from lessons.reports import course_report
from lessons.selectors import dashboard_data, lesson_context
from lessons.services import progress_record_heartbeat, quiz_attempt_start, quiz_attempt_submit
from tests.courses.factories import correct_answers, lessons_of, make_course, make_quiz
from tests.lessons.visits import open_lesson

pytestmark = pytest.mark.django_db


def _translate(page, *, body=None):
    """The French translation of ``page``, published (its body replaced when given)."""
    translated = page.copy_for_translation(Locale.objects.get(language_code="fr")).specific
    if body is not None:
        translated.body = body
    translated.save_revision().publish()
    translated.refresh_from_db()
    return translated


@pytest.fixture
def module(homes, learner):
    """A two-lesson Arabic module (the second with its Arabic quiz), translated into French with a
    French quiz in the same place; the learner enrolled in Arabic."""
    quiz_ar, quiz_fr = make_quiz(title="اختبار"), make_quiz(title="Quiz")
    course = make_course(slug="bilingual", lessons=2, quiz=quiz_ar, rule="view")
    course_fr = _translate(course)
    lessons = lessons_of(course)
    first_fr = _translate(lessons[0])
    second_fr = _translate(lessons[1], body=[("text", "<p>Leçon 2</p>"), ("quiz", {"quiz": quiz_fr})])
    enrolment_create(user=learner, course=course)
    return {"ar": course, "fr": course_fr, "lessons_ar": lessons, "lessons_fr": [first_fr, second_fr],
            "quiz_ar": quiz_ar, "quiz_fr": quiz_fr}


def _wrong(attempt) -> dict:
    """No answer at all: graded, and failed."""
    return {}


def test_french_translation_shows_the_progress_begun_in_arabic(module, learner):
    """Lesson 1 done and one quiz attempt used in Arabic: the French module page shows the learner
    enrolled with lesson 1 done (50 %), and the French quiz counts the Arabic attempt."""
    client = Client()
    client.force_login(learner)
    open_lesson(client, module["lessons_ar"][0])
    attempt = quiz_attempt_start(user=learner, quiz=module["quiz_ar"], lesson=module["lessons_ar"][1],
                                 course_id=module["ar"].pk)
    quiz_attempt_submit(attempt=attempt, user=learner, data=_wrong(attempt))

    html = client.get(module["fr"].url).content.decode()
    assert html.count("outline__item") == 2 and html.count("is-done") == 1
    assert 'aria-valuenow="50"' in html
    assert f'action="/fr/enrol/{module["fr"].pk}/"' not in html and f'action="/enrol/{module["fr"].pk}/"' not in html
    second_fr = module["lessons_fr"][1]
    with translation.override("fr"):
        context = lesson_context(lesson=second_fr, user=learner)
    assert context["access"] == "ok"
    (state,) = [item["quiz"] for item in context["body_items"] if item["quiz"]]
    assert state["quiz"] == module["quiz_fr"]
    assert len(state["attempts"]) == 1 and state["left"] == module["quiz_fr"].max_attempts - 1
    assert Enrolment.objects.filter(user=learner).count() == 1


def test_finishing_in_french_completes_the_module_once(module, learner):
    """The French quiz passed after an Arabic lesson: one progress row per lesson, attempts 1 and 2
    across the languages, one completed enrolment, one certificate in French, the learner counted
    once in the report of either language, and the dashboard in French shows the French module."""
    client = Client()
    client.force_login(learner)
    open_lesson(client, module["lessons_ar"][0])
    failed = quiz_attempt_start(user=learner, quiz=module["quiz_ar"], lesson=module["lessons_ar"][1],
                                course_id=module["ar"].pk)
    quiz_attempt_submit(attempt=failed, user=learner, data=_wrong(failed))
    open_lesson(client, module["lessons_fr"][0])  # the same lesson again, in French: nothing new
    attempt = quiz_attempt_start(user=learner, quiz=module["quiz_fr"], lesson=module["lessons_fr"][1],
                                 course_id=module["fr"].pk)
    assert attempt.number == 2
    quiz_attempt_submit(attempt=attempt, user=learner, data=correct_answers(attempt))

    assert LessonProgress.objects.filter(user=learner).count() == 2
    assert LessonProgress.objects.filter(user=learner, status="completed").count() == 2
    assert sorted(QuizAttempt.objects.filter(user=learner).values_list("number", flat=True)) == [1, 2]
    enrolment = Enrolment.objects.get(user=learner)
    assert enrolment.completed_at is not None
    certificate = Certificate.objects.get(user=learner)
    assert certificate.language == "fr" and certificate.course == module["fr"]
    for course in (module["ar"], module["fr"]):
        report = course_report(course=course)
        assert report["summary"]["enrolled"] == 1 and report["summary"]["completed"] == 1
        assert report["learners"][0]["lessons_done"] == 2 and report["learners"][0]["certificate"] == certificate.code
    with translation.override("fr"):
        dashboard = dashboard_data(user=learner)
    assert [entry["course"] for entry in dashboard["completed"]] == [module["fr"]]


def test_passed_in_arabic_is_passed_in_french(module, learner):
    """A quiz passed in Arabic cannot be attempted again through its French translation."""
    attempt = quiz_attempt_start(user=learner, quiz=module["quiz_ar"], lesson=module["lessons_ar"][1],
                                 course_id=module["ar"].pk)
    quiz_attempt_submit(attempt=attempt, user=learner, data=correct_answers(attempt))
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as refused:
        quiz_attempt_start(user=learner, quiz=module["quiz_fr"], lesson=module["lessons_fr"][1],
                           course_id=module["fr"].pk)
    assert refused.value.code == "passed"


def test_open_attempt_follows_the_learner_into_the_other_language(module, learner):
    """An attempt opened in Arabic and continued in French is the same attempt (same number and
    deadline), now drawing the French quiz's questions."""
    module["quiz_ar"].time_limit_minutes = 10
    module["quiz_ar"].save()
    opened = quiz_attempt_start(user=learner, quiz=module["quiz_ar"], lesson=module["lessons_ar"][1],
                                course_id=module["ar"].pk)
    moved = quiz_attempt_start(user=learner, quiz=module["quiz_fr"], lesson=module["lessons_fr"][1],
                               course_id=module["fr"].pk)
    assert moved.pk == opened.pk and moved.number == 1 and moved.deadline == opened.deadline
    assert moved.quiz == module["quiz_fr"]
    french_questions = set(module["quiz_fr"].questions.values_list("pk", flat=True))
    assert {item["id"] for item in moved.layout} == french_questions


def test_heartbeats_in_both_languages_add_to_one_row(module, learner):
    """Watched seconds sent from the French lesson merge into the row begun on the Arabic one, and
    unenrolling from the French module unenrols from the Arabic one."""
    from datetime import timedelta

    from django.utils import timezone

    now = timezone.now()
    first_ar, first_fr = module["lessons_ar"][0], module["lessons_fr"][0]
    progress_record_heartbeat(user=learner, lesson=first_ar, position=5, duration=60, ranges=[[0, 5]], now=now)
    row = progress_record_heartbeat(user=learner, lesson=first_fr, position=12, duration=60, ranges=[[5, 12]],
                                    now=now + timedelta(seconds=7))
    assert row.watched == [[0.0, 12.0]] and row.lesson == first_ar
    assert LessonProgress.objects.filter(user=learner).count() == 1
    enrolment_withdraw(user=learner, course=module["fr"])
    assert Enrolment.objects.get(user=learner).status == Enrolment.Status.UNENROLLED
