"""Quiz attempts: server-side grading, the draw, limits, tampering, and what the pages show."""

import random
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.utils import timezone

from accounts.models import User
from courses.models import Certificate, CoursePage, Enrolment
from courses.services import enrolment_create
from lessons.models import LessonPage, LessonProgress, Question, Quiz, QuizAttempt
from lessons.services import quiz_attempt_start, quiz_attempt_submit
from tests.courses.factories import correct_answers, lessons_of, make_course, make_quiz
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def _setup(module_db, django_db_blocker):
    from demo import home as home_demo

    from .conftest import make_learner

    with django_db_blocker.unblock():
        home_demo.load()
        learner = make_learner()
        quiz = make_quiz()
        course = make_course(slug="quiz-module", lessons=2, quiz=quiz)
        enrolment_create(user=learner, course=course)
        return course.pk, lessons_of(course)[-1].pk, quiz.pk, learner.pk


@pytest.fixture
def setup(_setup, db):
    """A two-lesson module whose last lesson holds a quiz, and an enrolled learner, made once for
    the module (module_db); each test gets them fresh from the database and its own writes roll back."""
    course, lesson, quiz, learner = _setup
    return (
        CoursePage.objects.get(pk=course),
        LessonPage.objects.get(pk=lesson),
        Quiz.objects.get(pk=quiz),
        User.objects.get(pk=learner),
    )


def start(setup, **kwargs):
    course, lesson, quiz, user = setup
    return quiz_attempt_start(user=kwargs.pop("user", user), quiz=quiz, lesson=lesson, course_id=course.pk, **kwargs)


def test_perfect_submission_passes_completes_lesson_and_module(setup):
    """All correct: 100 %, passed, the quiz lesson completes; once every lesson is done a certificate is issued once."""
    course, lesson, quiz, user = setup
    first = lessons_of(course)[0]
    Client().force_login(user)
    attempt = start(setup)
    graded = quiz_attempt_submit(attempt=attempt, user=user, data=correct_answers(attempt))
    assert graded.passed and graded.percent == 100 and graded.status == QuizAttempt.Status.SUBMITTED
    assert LessonProgress.objects.get(user=user, lesson=lesson).is_completed
    assert not Certificate.objects.filter(user=user).exists()  # the first lesson is not done yet
    from lessons.services import progress_mark_viewed

    progress_mark_viewed(user=user, lesson=first, course_id=course.pk)
    progress_mark_viewed(user=user, lesson=first, course_id=course.pk)
    assert Certificate.objects.filter(user=user, course=course).count() == 1
    assert Enrolment.objects.get(user=user, course=course).completed_at is not None


def test_wrong_answers_fail_and_count_partially(setup):
    """Wrong answers score zero for their question; below the pass mark the attempt fails."""
    course, lesson, quiz, user = setup
    attempt = start(setup)
    data = correct_answers(attempt)
    for item in attempt.layout[:3]:
        q = Question.objects.get(pk=item["id"])
        if q.kind == "true_false":
            data[f"q-{q.pk}"] = ["false"]
        elif q.kind in ("single", "multiple"):
            data[f"q-{q.pk}"] = [c.id for c in q.options if not c.value["correct"]][:1]
    graded = quiz_attempt_submit(attempt=attempt, user=user, data=data)
    assert graded.percent == 50 and not graded.passed


@pytest.mark.parametrize("tamper", ["unknown_option", "other_question", "two_radios", "bad_position"])
def test_tampered_submissions_are_refused_whole(setup, tamper):
    """Unknown option ids, answers to questions not drawn, two values for a radio or a bad ordering are refused; the attempt stays open and ungraded."""
    course, lesson, quiz, user = setup
    attempt = start(setup)
    data = correct_answers(attempt)
    single = next(Question.objects.get(pk=i["id"]) for i in attempt.layout if Question.objects.get(pk=i["id"]).kind == "single")
    if tamper == "unknown_option":
        data[f"q-{single.pk}"] = ["not-an-option"]
    elif tamper == "other_question":
        data["q-999999"] = ["x"]
    elif tamper == "two_radios":
        data[f"q-{single.pk}"] = [c.id for c in single.options][:2]
    else:
        ordering = next(i for i in attempt.layout if Question.objects.get(pk=i["id"]).kind == "ordering")
        for oid in ordering["options"]:
            data[f"q-{ordering['id']}-{oid}"] = ["1"]
    with pytest.raises(ValidationError):
        quiz_attempt_submit(attempt=attempt, user=user, data=data)
    attempt.refresh_from_db()
    assert attempt.status == QuizAttempt.Status.OPEN and attempt.results == {}


def test_late_submission_is_refused_and_expires_the_attempt(setup):
    """Past the time limit (plus a small grace) the submission is refused and the attempt expires ungraded."""
    course, lesson, quiz, user = setup
    quiz.time_limit_minutes = 5
    quiz.save()
    now = timezone.now()
    attempt = start(setup, now=now)
    assert attempt.deadline == now + timedelta(minutes=5)
    with pytest.raises(ValidationError) as error:
        quiz_attempt_submit(attempt=attempt, user=user, data=correct_answers(attempt), now=now + timedelta(minutes=6))
    assert error.value.code == "late"
    attempt.refresh_from_db()
    assert attempt.status == QuizAttempt.Status.EXPIRED and not attempt.passed


def test_attempt_limit_and_resubmission(setup):
    """A submitted attempt cannot be submitted again; past the attempts allowed, no new attempt starts."""
    course, lesson, quiz, user = setup
    quiz.max_attempts = 1
    quiz.save()
    attempt = start(setup)
    quiz_attempt_submit(attempt=attempt, user=user, data={})
    with pytest.raises(ValidationError):
        quiz_attempt_submit(attempt=attempt, user=user, data={})
    with pytest.raises(ValidationError) as error:
        start(setup)
    assert error.value.code == "attempts"


def test_learner_not_enrolled_or_not_owner_is_refused(setup):
    """Someone not enrolled cannot start; someone else cannot submit another's attempt; unenrolled learners cannot submit."""
    course, lesson, quiz, user = setup
    stranger = UserFactory()
    with pytest.raises(PermissionDenied):
        start(setup, user=stranger)
    attempt = start(setup)
    with pytest.raises(PermissionDenied):
        quiz_attempt_submit(attempt=attempt, user=stranger, data={})
    from courses.services import enrolment_withdraw

    enrolment_withdraw(user=user, course=course)
    with pytest.raises(PermissionDenied):
        quiz_attempt_submit(attempt=attempt, user=user, data=correct_answers(attempt))


def test_draw_n_from_pool_and_shuffle(setup):
    """With draw_count=3, each attempt holds 3 distinct questions of the pool; the open attempt is reused on reload."""
    course, lesson, quiz, user = setup
    quiz.draw_count = 3
    quiz.shuffle_questions = quiz.shuffle_options = True
    quiz.save()
    attempt = start(setup, rng=random.Random(4))
    ids = [item["id"] for item in attempt.layout]
    assert len(ids) == len(set(ids)) == 3
    assert set(ids) <= set(quiz.questions.values_list("pk", flat=True))
    assert start(setup).pk == attempt.pk


def test_attempt_page_never_contains_correct_answers(setup):
    """The attempt page shows questions and options but no `correct` flag, feedback or accepted answer."""
    course, lesson, quiz, user = setup
    client = Client()
    client.force_login(user)
    response = client.post(f"/learn/quiz/{quiz.pk}/lesson/{lesson.pk}/start/")
    attempt = QuizAttempt.objects.get(user=user)
    assert response.url == f"/learn/attempt/{attempt.pk}/"
    html = client.get(response.url).content.decode()
    assert "عاصمة الجهة؟" in html
    assert "برنامج عمل الجماعة" not in html and "ملاحظة" not in html and "data-correct" not in html


def test_result_page_reveals_answers_only_when_allowed(setup):
    """After a failed attempt with attempts left, no correct answer shows; after passing, they do."""
    course, lesson, quiz, user = setup
    client = Client()
    client.force_login(user)
    attempt = start(setup)
    quiz_attempt_submit(attempt=attempt, user=user, data={})
    html = client.get(f"/learn/attempt/{attempt.pk}/result/").content.decode()
    assert "برنامج عمل الجماعة" not in html
    second = start(setup)
    response = client.post(f"/learn/attempt/{second.pk}/", data=correct_answers(second))
    assert response.status_code == 302
    html = client.get(f"/learn/attempt/{second.pk}/result/").content.decode()
    assert "100%" in html and "برنامج عمل الجماعة" in html


def test_tampered_post_through_the_page_gets_a_clear_error(setup):
    """The attempt page answers a tampered post with 400 and a message; nothing is graded."""
    course, lesson, quiz, user = setup
    client = Client()
    client.force_login(user)
    attempt = start(setup)
    response = client.post(f"/learn/attempt/{attempt.pk}/", data={"q-424242": "x"})
    assert response.status_code == 400
    assert "هذه الأجوبة لا تطابق الاختبار الذي قدم لك." in response.content.decode()
    attempt.refresh_from_db()
    assert attempt.status == QuizAttempt.Status.OPEN


def test_other_learners_attempt_is_not_found(setup):
    """A learner cannot open someone else's attempt (404)."""
    course, lesson, quiz, user = setup
    attempt = start(setup)
    client = Client()
    client.force_login(UserFactory())
    assert client.get(f"/learn/attempt/{attempt.pk}/").status_code == 404
