"""The lesson page's GET never writes; the visit is recorded by the page's one POST on load.

Opening a lesson used to run ``BEGIN IMMEDIATE`` and two UPDATEs per GET, so page views
queued on SQLite's write lock. The GET now only reads; ``data-lesson-view-url`` asks the
page's script to post the visit when it changes something, and that POST keeps the rules:
a lesson without video (rule "view") is completed by opening it, a video lesson becomes
"in progress", the enrolment's last activity moves.
"""

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from courses.models import Enrolment
from courses.services import enrolment_create
from lessons.models import LessonProgress
from tests.courses.factories import lessons_of, make_course, make_video
from tests.factories import UserFactory
from tests.lessons.visits import open_lesson

pytestmark = pytest.mark.django_db

_WRITE = re.compile(r"^\s*(INSERT|UPDATE|DELETE|REPLACE|BEGIN IMMEDIATE|BEGIN EXCLUSIVE)\b", re.IGNORECASE)


def _writes(ctx) -> list[str]:
    # SAVEPOINTs are harmless alone (Django opens them for atomic blocks), but an atomic
    # block on a GET means something meant to write: count them too.
    return [q["sql"] for q in ctx.captured_queries if _WRITE.match(q["sql"]) or "SAVEPOINT" in q["sql"].upper()]


@pytest.fixture
def video_and_text(homes, tmp_path):
    """A module of two video lessons (rule "video") and one of two text lessons (rule "view")."""
    clip = make_video(tmp_path, seconds=2)
    return make_course(slug="vid", lessons=2, rule="video", video=clip), make_course(slug="txt", lessons=2)


def _learner_client(*courses):
    user = UserFactory()
    for course in courses:
        enrolment_create(user=user, course=course)
    client = Client()
    client.force_login(user)
    return user, client


@pytest.mark.parametrize("visit", ["first", "again"])
def test_lesson_get_writes_nothing(video_and_text, visit):
    """An enrolled learner's GET of a lesson with a video and of one without runs no INSERT,
    UPDATE, DELETE, SAVEPOINT or BEGIN IMMEDIATE, on the first visit and on later ones."""
    video_course, text_course = video_and_text
    user, client = _learner_client(video_course, text_course)
    for lesson in (lessons_of(video_course)[0], lessons_of(text_course)[0]):
        client.get(lesson.url)  # warm Wagtail's site root paths and the session
        if visit == "again":
            open_lesson(client, lesson)
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(lesson.url)
        assert response.status_code == 200
        assert _writes(ctx) == [], lesson.title


def test_opening_a_text_lesson_completes_it_by_the_post_on_load(video_and_text):
    """The GET leaves no row; the page asks for the visit, and its POST completes a "view" lesson."""
    _video_course, text_course = video_and_text
    user, client = _learner_client(text_course)
    lesson = lessons_of(text_course)[0]
    html = client.get(lesson.url).content.decode()
    assert not LessonProgress.objects.filter(user=user).exists()
    assert f'data-lesson-view-url="/api/progress/{lesson.pk}/view/"' in html
    response = client.post(f"/api/progress/{lesson.pk}/view/")
    assert response.json() == {"ok": True, "status": "completed", "completed": True}
    assert LessonProgress.objects.get(user=user, lesson=lesson).is_completed
    assert Enrolment.objects.get(user=user, course=text_course).last_activity_at is not None
    # Completed and active a moment ago: a revisit has nothing to record, the page asks nothing.
    assert "data-lesson-view-url" not in client.get(lesson.url).content.decode()


def test_opening_a_video_lesson_marks_it_in_progress(video_and_text):
    """A video lesson's visit makes it "in progress", not completed (watching completes it)."""
    video_course, _text_course = video_and_text
    user, client = _learner_client(video_course)
    lesson = lessons_of(video_course)[0]
    open_lesson(client, lesson)
    progress = LessonProgress.objects.get(user=user, lesson=lesson)
    assert progress.status == LessonProgress.Status.IN_PROGRESS and not progress.is_completed


def test_the_visit_post_refuses_who_may_not_follow(video_and_text):
    """The visit POST answers 401 to visitors, 403 to the not enrolled and to locked lessons,
    404 to unknown lessons, and writes nothing for them."""
    video_course, text_course = video_and_text
    lesson = lessons_of(text_course)[0]
    assert Client().post(f"/api/progress/{lesson.pk}/view/").status_code == 401
    _user, stranger = _learner_client()
    assert stranger.post(f"/api/progress/{lesson.pk}/view/").status_code == 403
    assert stranger.post("/api/progress/999999/view/").status_code == 404
    assert stranger.get(f"/api/progress/{lesson.pk}/view/").status_code == 405
    assert not LessonProgress.objects.exists()
