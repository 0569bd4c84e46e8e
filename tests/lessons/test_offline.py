"""Offline lessons on the server: replayed heartbeats applied once, the offline manifest, the
service worker's response and "My downloads"; hostile input answers 4xx, never 5xx."""

import json
import uuid
from datetime import timedelta

import pytest
from django.forms.models import model_to_dict
from django.test import Client
from django.utils import timezone

from courses.services import enrolment_create
from lessons.models import LessonProgress, QuizAttempt, ReplayReceipt
from lessons.services import progress_record_heartbeat, video_document_probe
from tests.courses.factories import lessons_of, make_course, make_quiz, make_video

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(tmp_path, homes, learner):
    """A one-lesson module with a probed 20 s MP4 and a quiz; the learner is enrolled."""
    video = make_video(tmp_path, seconds=20)
    video_document_probe(document_id=video.pk)
    course = make_course(slug="offline", lessons=1, rule="video", video=video, quiz=make_quiz(), revisions=False)
    enrolment_create(user=learner, course=course)
    client = Client()
    client.force_login(learner)
    return lessons_of(course)[0], learner, client


def replay(client, lesson, payload, key, **extra):
    return client.post(f"/api/progress/{lesson.pk}/", data=json.dumps(payload), content_type="application/json",
                       HTTP_X_TAKWIN_REPLAY_ID=str(key), **extra)


def row(progress_id) -> dict:
    progress = LessonProgress.objects.get(pk=progress_id)
    return model_to_dict(progress) | {"updated_at": progress.updated_at, "last_beat_at": progress.last_beat_at}


def test_a_replayed_beat_is_applied_once(setup):
    """The same beat id sent twice: the second changes nothing at all (position, time spent,
    last beat), and one receipt is kept."""
    lesson, learner, client = setup
    key = uuid.uuid4()
    first = replay(client, lesson, {"position": 10, "duration": 20, "ranges": [[0, 10]]}, key)
    assert first.status_code == 200 and first.json()["percent"] == 50
    progress = LessonProgress.objects.get(user=learner, lesson=lesson)
    before = row(progress.pk)
    again = replay(client, lesson, {"position": 3, "duration": 20, "ranges": [[0, 3], [10, 20]]}, key)
    assert again.status_code == 200 and again.json()["percent"] == 50
    assert row(progress.pk) == before
    assert ReplayReceipt.objects.filter(user=learner).count() == 1


def test_merged_offline_beats_count_each_second_once(setup):
    """Beats kept offline and merged into one (the same ranges several times) count distinct
    seconds; a later beat with a new id still adds what is new, and nothing is lowered."""
    lesson, learner, client = setup
    ranges = [[0, 4.1]] * 4 + [[0, 0.2], [4, 12]]
    response = replay(client, lesson, {"position": 12, "duration": 20, "ranges": ranges}, uuid.uuid4())
    assert response.status_code == 200, response.content
    assert response.json()["seconds_watched"] == pytest.approx(12)
    later = replay(client, lesson, {"position": 5, "duration": 20, "ranges": [[0, 5]]}, uuid.uuid4())
    assert later.json()["seconds_watched"] == pytest.approx(12) and later.json()["percent"] == 60


def test_a_replay_refused_leaves_no_receipt(setup, learner):
    """A replayed beat the server refuses (outside the video) keeps no receipt: nothing half-written."""
    lesson, learner, client = setup
    key = uuid.uuid4()
    response = replay(client, lesson, {"position": 5, "duration": 20, "ranges": [[0, 500]]}, key)
    assert response.status_code == 400
    assert not ReplayReceipt.objects.exists()
    assert replay(client, lesson, {"position": 5, "duration": 20, "ranges": [[0, 5]]}, key).status_code == 200


def test_the_service_keeps_the_wall_clock_budget_for_replays(setup, settings):
    """A replayed beat is bounded by the time since the last beat like any other."""
    settings.LESSONS_HEARTBEAT_GRACE = 5
    lesson, learner, _client = setup
    t0 = timezone.now()
    progress_record_heartbeat(user=learner, lesson=lesson, position=0, duration=20, ranges=[], now=t0)
    forged = progress_record_heartbeat(user=learner, lesson=lesson, position=20, duration=20, ranges=[[0, 20]],
                                       now=t0 + timedelta(seconds=2), replay_key=uuid.uuid4())
    assert forged.seconds_watched == pytest.approx(2 * 2 + 5)


@pytest.mark.parametrize("key", ["not-a-uuid", "x" * 200, "", "00000000-0000-0000-0000-00000000000g", "١٢٣"])
def test_a_hostile_replay_id_is_a_clear_400(setup, key):
    """A replay id that is not a UUID is refused with a message in the page's language; nothing is saved."""
    lesson, learner, client = setup
    response = replay(client, lesson, {"position": 5, "duration": 20, "ranges": [[0, 5]]}, key, HTTP_ACCEPT_LANGUAGE="fr")
    assert response.status_code == 400
    assert response.json()["error"] == "replay_id" and response.json()["message"]
    assert not LessonProgress.objects.filter(user=learner, seconds_watched__gt=0).exists()


def test_quiz_answers_sent_twice_are_graded_once(setup):
    """Offline answers replayed a second time find the attempt graded: a redirect to its result,
    no second attempt, the grade unchanged."""
    from tests.courses.factories import correct_answers

    lesson, learner, client = setup
    assert client.post(f"/learn/offline/{lesson.pk}/").status_code == 200
    attempt = QuizAttempt.objects.get(user=learner)
    data = correct_answers(attempt)
    first = client.post(f"/learn/attempt/{attempt.pk}/", data)
    second = client.post(f"/learn/attempt/{attempt.pk}/", data)
    assert first.status_code == second.status_code == 302
    attempt.refresh_from_db()
    assert attempt.status == QuizAttempt.Status.SUBMITTED and attempt.percent == 100
    assert QuizAttempt.objects.filter(user=learner).count() == 1


def test_manifest_lists_sizes_and_opens_the_quiz_only_on_post(setup):
    """GET shows the MP4's size and writes nothing; POST opens the untimed quiz's attempt and
    names its page, so that it can be stored; a second POST opens no other."""
    lesson, learner, client = setup
    manifest = client.get(f"/learn/offline/{lesson.pk}/").json()
    (video,) = manifest["videos"]
    assert video["choices"][0]["kind"] == "mp4" and video["choices"][0]["bytes"] > 1000
    assert manifest["quizzes"][0]["offline"] is True and manifest["quizzes"][0]["attempt_url"] == ""
    assert not QuizAttempt.objects.exists()
    posted = client.post(f"/learn/offline/{lesson.pk}/").json()
    attempt = QuizAttempt.objects.get(user=learner)
    assert posted["quizzes"][0]["attempt_url"] == f"/learn/attempt/{attempt.pk}/"
    client.post(f"/learn/offline/{lesson.pk}/")
    assert QuizAttempt.objects.filter(user=learner).count() == 1


def test_a_timed_quiz_is_not_offered_offline(tmp_path, homes, learner):
    """A quiz with a time limit needs a connection: no attempt is opened for it."""
    course = make_course(slug="timed", lessons=1, quiz=make_quiz(time_limit_minutes=5), revisions=False)
    enrolment_create(user=learner, course=course)
    client = Client()
    client.force_login(learner)
    manifest = client.post(f"/learn/offline/{lessons_of(course)[0].pk}/").json()
    assert manifest["quizzes"][0]["offline"] is False and not QuizAttempt.objects.exists()


def test_manifest_refuses_visitors_and_learners_not_enrolled(setup):
    """Anonymous: 401; not enrolled: 403; an absent lesson: 404; all JSON, in the asked language."""
    lesson, _learner, _client = setup
    from tests.factories import UserFactory

    assert Client().get(f"/learn/offline/{lesson.pk}/").status_code == 401
    other = Client()
    other.force_login(UserFactory())
    response = other.post(f"/learn/offline/{lesson.pk}/", HTTP_ACCEPT_LANGUAGE="fr")
    assert response.status_code == 403 and response.json()["message"] == "Vous ne pouvez pas suivre cette leçon."
    assert not QuizAttempt.objects.exists()
    assert other.get("/learn/offline/999999999/").status_code == 404


def test_manifest_queries_do_not_grow_with_documents(setup, django_assert_max_num_queries):
    """The manifest reads a bounded number of rows."""
    lesson, _learner, client = setup
    with django_assert_max_num_queries(15):
        assert client.get(f"/learn/offline/{lesson.pk}/").status_code == 200


def test_service_worker_is_served_from_the_root_as_javascript(client):
    """/offline-sw.js: JavaScript, never cached for long, allowed the whole site as scope, under the CSP."""
    response = client.get("/offline-sw.js")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/javascript; charset=utf-8"
    assert response["Service-Worker-Allowed"] == "/" and response["Cache-Control"] == "no-cache"
    assert "script-src 'self'" in response["Content-Security-Policy"]
    body = response.content.decode()
    assert body.startswith("self.TAKWIN_OFFLINE = {\"db\": \"/static/js/offline.js\"};")
    assert "importScripts(self.TAKWIN_OFFLINE.db)" in body


@pytest.mark.parametrize("path", ["/my/downloads/", "/fr/my/downloads/"])
def test_downloads_page_in_both_languages(client, homes, path):
    """"My downloads" is one page per language, drawn by the browser; it needs no account."""
    response = client.get(path)
    assert response.status_code == 200
    text = response.content.decode()
    assert "data-downloads" in text and "offline-download.js" in text
    assert ("Mes téléchargements" if path.startswith("/fr/") else "تنزيلاتي") in text
