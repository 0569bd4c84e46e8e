"""Video progress: distinct seconds, idempotent heartbeats, the JSON endpoint and its errors."""

import json
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from accounts.models import User
from courses.models import CoursePage
from courses.services import enrolment_create
from lessons.models import LessonPage, LessonProgress
from lessons.services import merge_intervals, progress_record_heartbeat
from tests.courses.factories import lessons_of, make_course
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def _setup(module_db, django_db_blocker, tmp_path_factory):
    from demo import home as home_demo
    from tests.courses.factories import make_video

    from .conftest import make_learner

    with django_db_blocker.unblock():
        home_demo.load()
        learner = make_learner()
        video = make_video(tmp_path_factory.mktemp("heartbeat"), seconds=2)
        course = make_course(slug="video-module", lessons=2, rule="video", video=video)
        enrolment_create(user=learner, course=course)
        return course.pk, lessons_of(course)[0].pk, learner.pk


@pytest.fixture
def setup(_setup, db):
    """A two-lesson video module and an enrolled learner, made once for the module (module_db);
    each test gets them fresh from the database and its own writes roll back."""
    course, lesson, learner = _setup
    return CoursePage.objects.get(pk=course), LessonPage.objects.get(pk=lesson), User.objects.get(pk=learner)


def beat(user, lesson, course, *, position, duration=100.0, ranges=(), at=None):
    return progress_record_heartbeat(
        user=user, lesson=lesson, course_id=course.pk, position=position, duration=duration,
        ranges=[list(r) for r in ranges], now=at,
    )


def test_merge_intervals_counts_overlaps_once():
    """Overlapping and touching intervals merge; order does not matter."""
    assert merge_intervals([[10, 20], [0, 5], [15, 30], [30, 31]]) == [[0, 5], [10, 31]]


def test_seeking_to_the_end_does_not_complete(setup):
    """A beat at the last second with no watched range leaves the lesson in progress at 0%."""
    course, lesson, user = setup
    progress = beat(user, lesson, course, position=99.5, ranges=[])
    assert progress.status == LessonProgress.Status.IN_PROGRESS
    assert progress.percent == 0 and progress.seconds_watched == 0


def test_distinct_seconds_complete_at_ninety_percent(setup):
    """Watching the same part twice counts once; 90 distinct seconds of 100 complete the lesson."""
    course, lesson, user = setup
    t0 = timezone.now()
    beat(user, lesson, course, position=30, ranges=[[0, 30]], at=t0)
    again = beat(user, lesson, course, position=30, ranges=[[0, 30]], at=t0 + timedelta(seconds=30))
    assert again.seconds_watched == 30 and again.percent == 30
    beat(user, lesson, course, position=60, ranges=[[30, 60]], at=t0 + timedelta(seconds=60))
    done = beat(user, lesson, course, position=90, ranges=[[60, 90]], at=t0 + timedelta(seconds=90))
    assert done.status == LessonProgress.Status.COMPLETED and done.percent == 100


def test_late_or_repeated_beat_never_lowers_progress(setup):
    """A delayed beat carrying an older, smaller state leaves percent and seconds as they were."""
    course, lesson, user = setup
    t0 = timezone.now()
    beat(user, lesson, course, position=20, ranges=[[0, 20]], at=t0)
    beat(user, lesson, course, position=40, ranges=[[20, 40]], at=t0 + timedelta(seconds=20))
    late = beat(user, lesson, course, position=20, ranges=[[0, 20]], at=t0 + timedelta(seconds=21))
    assert late.percent == 40 and late.seconds_watched == 40


def test_claims_beyond_wall_clock_are_trimmed(setup):
    """A beat claiming 100 s watched two seconds after the previous one gains only the time budget."""
    course, lesson, user = setup
    t0 = timezone.now()
    beat(user, lesson, course, position=0, ranges=[], at=t0)
    forged = beat(user, lesson, course, position=100, ranges=[[0, 100]], at=t0 + timedelta(seconds=2))
    assert forged.seconds_watched == pytest.approx(2 * 2 + 15)
    assert forged.status != LessonProgress.Status.COMPLETED


def api(client, lesson_id, payload, **extra):
    return client.post(f"/api/progress/{lesson_id}/", data=json.dumps(payload), content_type="application/json", **extra)


def test_endpoint_records_and_answers_json(setup):
    """An enrolled learner's beat is saved; the answer carries status and percent."""
    course, lesson, user = setup
    client = Client()
    client.force_login(user)
    response = api(client, lesson.pk, {"position": 5.5, "duration": 100, "ranges": [[0, 5.5]]})
    assert response.status_code == 200
    data = response.json()
    assert data["ok"] is True and data["percent"] == 5
    assert LessonProgress.objects.get(user=user, lesson=lesson).position == 5.5


@pytest.mark.parametrize(
    ("payload", "code"),
    [
        ({"position": -1, "duration": 100, "ranges": []}, "position"),
        ({"position": 5, "duration": 10**9, "ranges": []}, "duration"),
        ({"position": "x", "duration": 100, "ranges": []}, "invalid"),
        ({"position": 5, "duration": 100, "ranges": [[50, 500]]}, "ranges"),
        ({"position": 5, "duration": 100, "ranges": "all"}, "ranges"),
    ],
)
def test_endpoint_rejects_absurd_input_with_a_localised_message(setup, payload, code):
    """Negative or absurd figures get a 400 with a message in the learner's language; nothing is saved."""
    course, lesson, user = setup
    client = Client()
    client.force_login(user)
    before = LessonProgress.objects.filter(user=user, lesson=lesson).count()
    response = api(client, lesson.pk, payload, HTTP_ACCEPT_LANGUAGE="fr")
    assert response.status_code == 400
    assert response.json()["error"] == code and response.json()["message"]
    assert LessonProgress.objects.filter(user=user, lesson=lesson).count() == before


def test_endpoint_message_follows_the_page_language(setup):
    """The player sends the page's language (Accept-Language); without it, the learner's preferred language is used."""
    course, lesson, user = setup
    client = Client()
    client.force_login(user)
    response = api(client, lesson.pk, {"position": -3, "duration": 100, "ranges": []}, HTTP_ACCEPT_LANGUAGE="fr")
    assert response.json()["message"] == "La position doit être comprise entre 0 et la durée de la vidéo."
    response = api(client, lesson.pk, {"position": -3, "duration": 100, "ranges": []})
    assert response.json()["message"] == "يجب أن يكون الموضع بين 0 ومدة الفيديو."


def test_endpoint_refuses_learners_not_enrolled_and_anonymous(setup):
    """A learner not enrolled gets 403, an anonymous visitor 401, an unknown lesson 404."""
    course, lesson, user = setup
    other = Client()
    other.force_login(UserFactory())
    assert api(other, lesson.pk, {"position": 1, "duration": 10, "ranges": []}).status_code == 403
    assert api(Client(), lesson.pk, {"position": 1, "duration": 10, "ranges": []}).status_code == 401
    assert api(other, 999999, {"position": 1, "duration": 10, "ranges": []}).status_code == 404


def test_endpoint_requires_csrf(setup):
    """Without the X-CSRFToken header the beat is refused (403) when CSRF checks are on."""
    course, lesson, user = setup
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    assert api(client, lesson.pk, {"position": 1, "duration": 10, "ranges": []}).status_code == 403
    client.get(lesson.url)  # the lesson page sets the CSRF cookie
    token = client.cookies["csrftoken"].value
    assert api(client, lesson.pk, {"position": 1, "duration": 10, "ranges": [[0, 1]]},
               HTTP_X_CSRFTOKEN=token).status_code == 200


def test_beacon_form_post_is_accepted(setup):
    """sendBeacon's form post (CSRF form field + JSON in `data`) is recorded like a JSON beat."""
    course, lesson, user = setup
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    client.get(lesson.url)
    token = client.cookies["csrftoken"].value
    response = client.post(f"/api/progress/{lesson.pk}/", data={
        "csrfmiddlewaretoken": token, "data": json.dumps({"position": 8, "duration": 100, "ranges": [[0, 8]]}),
    })
    assert response.status_code == 200
    assert LessonProgress.objects.get(user=user, lesson=lesson).position == 8


def test_lesson_page_carries_the_player_contract(setup):
    """The video element has data-progress-url and data-resume-at (the saved position)."""
    course, lesson, user = setup
    client = Client()
    client.force_login(user)
    api(client, lesson.pk, {"position": 1.5, "duration": 2, "ranges": [[0, 1.5]]})
    html = client.get(lesson.url).content.decode()
    assert f'data-progress-url="/api/progress/{lesson.pk}/"' in html
    assert 'data-resume-at="1.5"' in html
    assert "js/lesson-progress.js" in html
