"""The migrations that join the two languages' records merge what exists without losing an attempt.

Rows are written with the models as they were (courses 0005, lessons 0003: an Arabic and a French
enrolment, progress row, attempts and certificate for one learner in one module), then the
migrations run forward and the rows are read back with today's models.
"""

import datetime
import json
import uuid

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from courses.models import Enrolment
from lessons.models import LessonProgress, QuizAttempt

BEFORE = [("courses", "0005_trainers_to_vocabulary"), ("lessons", "0003_video_document_probe")]
AFTER = [("courses", "0006_one_enrolment_across_translations"), ("lessons", "0004_one_progress_across_translations")]

pytestmark = pytest.mark.django_db(transaction=True)


def _at(day: int, hour: int = 9) -> datetime.datetime:
    return datetime.datetime(2026, 3, day, hour, tzinfo=datetime.UTC)


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    executor.loader.build_graph()
    return executor.loader.project_state(targets).apps


def _page(apps, model: str, *, path: str, locale, key, **fields):
    """A page row written with a historical model (no treebeard helpers there)."""
    app_label, name = model.split(".")
    content_type, _ = apps.get_model("contenttypes", "ContentType").objects.get_or_create(
        app_label=app_label, model=name.lower()
    )
    return apps.get_model(app_label, name).objects.create(
        path=path, depth=len(path) // 4, numchild=0, url_path=f"/{path}/", title=path, draft_title=path,
        slug=path.lower(), content_type=content_type, locale=locale, translation_key=key, live=True, **fields
    )


def _old_rows(apps) -> dict:
    """One learner's records of one module in Arabic and in French, as the old models kept them."""
    Locale = apps.get_model("wagtailcore", "Locale")
    ar, _ = Locale.objects.get_or_create(language_code="ar")
    fr, _ = Locale.objects.get_or_create(language_code="fr")
    user = apps.get_model("accounts", "User").objects.create(email="amina@example.ma", full_name="Amina")
    course_key, lesson_key = uuid.uuid4(), uuid.uuid4()
    course_ar = _page(apps, "courses.CoursePage", path="9001", locale=ar, key=course_key, summary="s")
    course_fr = _page(apps, "courses.CoursePage", path="9002", locale=fr, key=course_key, summary="s")
    Quiz = apps.get_model("lessons", "Quiz")
    quiz_ar, quiz_fr = Quiz.objects.create(title="اختبار"), Quiz.objects.create(title="Quiz")
    lessons = {}
    for lang, course, locale, quiz in (("ar", course_ar, ar, quiz_ar), ("fr", course_fr, fr, quiz_fr)):
        body = json.dumps([{"type": "text", "value": "<p>x</p>", "id": "t"},
                           {"type": "quiz", "value": {"quiz": quiz.pk}, "id": "q"}])
        lessons[lang] = _page(apps, "lessons.LessonPage", path=course.path + "0001", locale=locale, key=lesson_key,
                              body=body, completion_rule="quiz")
    Enrolment = apps.get_model("courses", "Enrolment")
    Enrolment.objects.create(user=user, course=course_ar, enrolled_at=_at(1), last_activity_at=_at(3))
    Enrolment.objects.create(user=user, course=course_fr, enrolled_at=_at(2), completed_at=_at(6),
                             last_activity_at=_at(6))
    Progress = apps.get_model("lessons", "LessonProgress")
    old_ar = Progress.objects.create(user=user, lesson=lessons["ar"], course=course_ar, status="in_progress",
                                     percent=40, position=10, duration=25, watched=[[0, 10]], seconds_watched=10,
                                     time_spent=12, last_beat_at=_at(3))
    old_fr = Progress.objects.create(user=user, lesson=lessons["fr"], course=course_fr, status="completed",
                                     percent=100, position=20, duration=25, watched=[[8, 24]], seconds_watched=16,
                                     time_spent=20, last_beat_at=_at(6), completed_at=_at(6))
    Progress.objects.filter(pk=old_ar.pk).update(started_at=_at(1, 10))
    Progress.objects.filter(pk=old_fr.pk).update(started_at=_at(2, 10))
    Attempt = apps.get_model("lessons", "QuizAttempt")
    attempts = [
        Attempt.objects.create(user=user, quiz=quiz_ar, lesson=lessons["ar"], course=course_ar, number=1,
                               status="submitted", started_at=_at(3), percent=30),
        Attempt.objects.create(user=user, quiz=quiz_fr, lesson=lessons["fr"], course=course_fr, number=1,
                               status="submitted", started_at=_at(4), percent=50),
        Attempt.objects.create(user=user, quiz=quiz_ar, lesson=lessons["ar"], course=course_ar, number=2,
                               status="submitted", started_at=_at(5), percent=55),
        Attempt.objects.create(user=user, quiz=quiz_fr, lesson=lessons["fr"], course=course_fr, number=2,
                               status="submitted", started_at=_at(6), percent=90, passed=True),
    ]
    Certificate = apps.get_model("courses", "Certificate")
    first = Certificate.objects.create(user=user, course=course_fr, code="AAAA222222", learner_name="Amina",
                                       course_title="Module", language="fr", issued_at=_at(6))
    second = Certificate.objects.create(user=user, course=course_ar, code="BBBB333333", learner_name="Amina",
                                        course_title="وحدة", language="ar", issued_at=_at(7))
    return {"user": user.pk, "course_key": course_key, "lesson_key": lesson_key, "attempts": [a.pk for a in attempts],
            "certificates": (first.code, second.code), "course_ar": course_ar.pk}


def test_merge_keeps_every_attempt_and_joins_the_rest():
    """After the migrations the learner has one enrolment (earliest enrolment, completed, active),
    one progress row (intervals merged, time added, completed), all four attempts numbered 1 to 4
    in the order started, and one valid certificate: the later one is revoked, naming the first."""
    apps = _migrate(BEFORE)
    try:
        old = _old_rows(apps)
        after = _migrate(AFTER)
        # Certificates as they were right after the merge (later migrations add the kinds).
        Certificate = after.get_model("courses", "Certificate")
        enrolment = Enrolment.objects.get(user_id=old["user"])
        assert enrolment.course_key == old["course_key"] and enrolment.course_id == old["course_ar"]
        assert (enrolment.enrolled_at, enrolment.completed_at, enrolment.last_activity_at) == (_at(1), _at(6), _at(6))
        assert enrolment.status == "active"

        progress = LessonProgress.objects.get(user_id=old["user"])
        assert progress.lesson_key == old["lesson_key"] and progress.course_key == old["course_key"]
        assert progress.watched == [[0.0, 24.0]] and progress.seconds_watched == 24
        assert progress.time_spent == 32 and progress.status == "completed" and progress.percent == 100
        assert progress.completed_at == _at(6) and progress.position == 20 and progress.started_at == _at(1, 10)

        attempts = QuizAttempt.objects.filter(user_id=old["user"]).order_by("number")
        assert [a.pk for a in attempts] == old["attempts"]
        assert [a.number for a in attempts] == [1, 2, 3, 4]
        assert {(a.lesson_key, a.slot) for a in attempts} == {(old["lesson_key"], 0)}
        assert [a.percent for a in attempts] == [30, 50, 55, 90]

        first, second = old["certificates"]
        assert Certificate.objects.get(code=first).revoked_at is None
        replaced = Certificate.objects.get(code=second)
        assert replaced.revoked_at is not None and first in replaced.revocation_reason
        assert Certificate.objects.filter(revoked_at__isnull=True).count() == 1
    finally:
        _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
