"""Offline quiz answers replayed by the service worker (``X-Takwin-Replay-Id``) get a verdict in
JSON: graded (now, or before with these very answers), or refused with the reason in the page's
language and the answers as the learner gave them; and old replay receipts are pruned."""

import uuid
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from courses.services import enrolment_create
from lessons.models import QuizAttempt, ReplayReceipt
from lessons.offline_services import PRUNE_QUEUED_KEY, replay_prune_schedule, replay_receipts_prune
from tests.courses.factories import correct_answers, lessons_of, make_course, make_quiz

pytestmark = pytest.mark.django_db


@pytest.fixture
def attempt(homes, learner):
    """An enrolled learner's attempt, opened as "Download for offline" opens it."""
    course = make_course(slug="replay", lessons=1, quiz=make_quiz(), revisions=False)
    enrolment_create(user=learner, course=course)
    client = Client()
    client.force_login(learner)
    assert client.post(f"/learn/offline/{lessons_of(course)[0].pk}/").status_code == 200
    return QuizAttempt.objects.get(user=learner), client


def replay(client, attempt, data, lang="ar"):
    prefix = "/fr" if lang == "fr" else ""
    return client.post(f"{prefix}/learn/attempt/{attempt.pk}/", data, HTTP_X_TAKWIN_REPLAY_ID=str(uuid.uuid4()),
                       HTTP_ACCEPT="application/json")


def wrong_answers(attempt) -> dict:
    data = correct_answers(attempt)
    for name, values in data.items():
        if values == ["true"]:
            data[name] = ["false"]
    return data


def test_replayed_answers_are_graded_and_a_second_replay_says_so_again(attempt):
    """Graded at once (200 JSON with the result's address); the same answers sent again after a
    lost answer are recognised: still "graded", nothing changes."""
    attempt, client = attempt
    first = replay(client, attempt, correct_answers(attempt))
    assert first.status_code == 200 and first.json()["outcome"] == "graded" and first.json()["percent"] == 100
    attempt.refresh_from_db()
    graded_at = attempt.submitted_at
    again = replay(client, attempt, correct_answers(attempt))
    assert again.status_code == 200 and again.json()["outcome"] == "graded"
    attempt.refresh_from_db()
    assert attempt.submitted_at == graded_at and QuizAttempt.objects.count() == 1


def test_answers_to_an_attempt_closed_meanwhile_are_refused_with_what_was_answered(attempt):
    """Other answers to an attempt graded meanwhile (online, on another device): 409, the reason in
    French on the French page, the quiz and lesson named, each question with the option's label."""
    attempt, client = attempt
    assert replay(client, attempt, correct_answers(attempt)).status_code == 200
    response = replay(client, attempt, wrong_answers(attempt), lang="fr")
    assert response.status_code == 409
    body = response.json()
    assert body["outcome"] == "refused" and body["error"] == "closed"
    assert body["message"] == "Cette tentative a déjà été soumise."
    assert body["quiz"] == attempt.quiz.title and body["lesson_url"] == attempt.lesson.url
    assert body["result_url"] == f"/fr/learn/attempt/{attempt.pk}/result/"
    by_question = {row["question"]: row["answer"] for row in body["answers"]}
    assert by_question["عاصمة الجهة؟"] == "مراكش"
    assert by_question["أقاليم الجهة؟"] == "الحوز · شيشاوة"
    assert by_question["رتب المراحل"] == "التشخيص · البرمجة · التتبع"
    attempt.refresh_from_db()
    assert attempt.percent == 100  # the grade stands


def test_tampered_answers_are_refused_and_the_attempt_stays_open(attempt):
    """Answers that do not match the attempt: refused (409, in Arabic), the attempt still open, its
    answers unchanged; an option the attempt never showed is shown as sent, never a 500."""
    attempt, client = attempt
    data = correct_answers(attempt)
    first = next(name for name, values in data.items() if len(values) == 1 and name.count("-") == 1)
    data[first] = ["not-an-option"]
    response = replay(client, attempt, data)
    assert response.status_code == 409 and response.json()["error"] == "tampered"
    assert response.json()["message"] == "هذه الأجوبة لا تطابق الاختبار الذي قدم لك."
    assert response.json()["result_url"] == ""
    attempt.refresh_from_db()
    assert attempt.status == QuizAttempt.Status.OPEN and attempt.answers == {}


def test_answers_of_a_learner_no_longer_enrolled_are_refused_not_kept_forever(attempt, learner):
    """Unenrolled meanwhile: a clear refusal (409), not a 403 the worker would send again and again."""
    from courses.models import Enrolment

    attempt, client = attempt
    Enrolment.objects.filter(user=learner).update(status=Enrolment.Status.UNENROLLED)
    response = replay(client, attempt, correct_answers(attempt))
    assert response.status_code == 409 and response.json()["error"] == "forbidden" and response.json()["message"]


def test_an_ordinary_submission_still_redirects(attempt):
    """Without the replay header the form works as before: a redirect to the result."""
    attempt, client = attempt
    response = client.post(f"/learn/attempt/{attempt.pk}/", correct_answers(attempt))
    assert response.status_code == 302 and response["Location"].endswith("/result/")


def test_old_receipts_are_pruned_and_recent_ones_kept(settings, learner):
    """Receipts older than LESSONS_REPLAY_RECEIPT_DAYS go; younger ones stay."""
    settings.LESSONS_REPLAY_RECEIPT_DAYS = 10
    now = timezone.now()
    old, recent = (ReplayReceipt.objects.create(user=learner, key=uuid.uuid4(), kind="heartbeat", object_id=1)
                   for _ in range(2))
    ReplayReceipt.objects.filter(pk=old.pk).update(created_at=now - timedelta(days=11))
    ReplayReceipt.objects.filter(pk=recent.pk).update(created_at=now - timedelta(days=9))
    assert replay_receipts_prune(now=now) == 1
    assert list(ReplayReceipt.objects.values_list("pk", flat=True)) == [recent.pk]


def test_storing_a_lesson_queues_one_prune_that_requeues_itself(attempt, settings, learner,
                                                                django_capture_on_commit_callbacks):
    """On a backend that defers tasks, storing a lesson queues the prune for a day later, once,
    however often lessons are stored; the run prunes and queues the next one."""
    from lessons.tasks import prune_replay_receipts

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    cache.delete(PRUNE_QUEUED_KEY)
    attempt, client = attempt
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/learn/offline/{attempt.lesson.pk}/")
        client.post(f"/learn/offline/{attempt.lesson.pk}/")
    queued = [r for r in prune_replay_receipts.get_backend().results if r.task.func == prune_replay_receipts.func]
    assert len(queued) == 1 and queued[0].task.run_after > timezone.now() + timedelta(hours=23)
    old = ReplayReceipt.objects.create(user=learner, key=uuid.uuid4(), kind="heartbeat", object_id=1)
    ReplayReceipt.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=400))
    cache.delete(PRUNE_QUEUED_KEY)  # the marker lives a minute less than the day between runs
    with django_capture_on_commit_callbacks(execute=True):
        prune_replay_receipts.call()
    assert not ReplayReceipt.objects.exists()
    assert len([r for r in prune_replay_receipts.get_backend().results if r.task.func == prune_replay_receipts.func]) == 2


def test_without_deferred_tasks_the_prune_runs_at_once_and_once_a_day(learner, django_capture_on_commit_callbacks):
    """The immediate backend cannot defer: the prune runs now, and not again while its marker lives."""
    cache.delete(PRUNE_QUEUED_KEY)
    old = ReplayReceipt.objects.create(user=learner, key=uuid.uuid4(), kind="heartbeat", object_id=1)
    ReplayReceipt.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=400))
    with django_capture_on_commit_callbacks(execute=True):
        assert replay_prune_schedule() is True
        assert replay_prune_schedule() is False
    assert not ReplayReceipt.objects.exists()
    cache.delete(PRUNE_QUEUED_KEY)

