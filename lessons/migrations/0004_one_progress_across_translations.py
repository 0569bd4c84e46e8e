"""One progress per learner and lesson, and one count of quiz attempts, across translations.

Progress rows and attempts get ``lesson_key`` and ``course_key`` (the pages' Wagtail
``translation_key``); attempts also get ``slot``, the place of their quiz in the lesson (each
translation embeds its own quiz in the same place). A learner who followed a lesson in Arabic
and in French keeps one progress row: the watched intervals merged, the time spent added, the
highest percent and distinct seconds, completed if either was (at the earliest date), the
position of the latest beat. No attempt is deleted: attempts on one quiz place are renumbered
1, 2, 3… in the order they were started.
"""

import json

from django.db import migrations, models

ORPHAN_SLOT = 100  # attempts at a quiz no longer in the lesson, kept apart from the live quizzes


def merge_intervals(intervals):
    """The same as lessons.services.merge_intervals on the day of this migration."""
    merged = []
    for start, end in sorted((float(s), float(e)) for s, e in intervals if e > s):
        if merged and start <= merged[-1][1] + 0.25:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return merged


def _quiz_ids(body):
    raw = getattr(body, "raw_data", body)
    if isinstance(raw, str):
        raw = json.loads(raw or "[]")
    return [int(b["value"]["quiz"]) for b in raw or [] if b.get("type") == "quiz" and b["value"].get("quiz")]


def _merged_progress(rows):
    """The fields of one progress row standing for ``rows`` (the same learner and lesson)."""
    completed = [r for r in rows if r.status == "completed"]
    latest = max(rows, key=lambda r: (r.last_beat_at is not None, r.last_beat_at or r.updated_at))
    watched = merge_intervals([interval for r in rows for interval in (r.watched or [])])
    status = "completed" if completed else "in_progress" if any(r.status != "not_started" for r in rows) else "not_started"
    return {
        "status": status,
        "percent": 100 if completed else max(r.percent for r in rows),
        "position": latest.position,
        "duration": max(r.duration for r in rows),
        "watched": [[round(s, 2), round(e, 2)] for s, e in watched],
        "seconds_watched": max([r.seconds_watched for r in rows] + [round(sum(e - s for s, e in watched), 2)]),
        "time_spent": sum(r.time_spent for r in rows),
        "started_at": min(r.started_at for r in rows),
        "last_beat_at": max((r.last_beat_at for r in rows if r.last_beat_at), default=None),
        "completed_at": min((r.completed_at for r in completed if r.completed_at), default=None),
    }


def _merge_progress(LessonProgress):
    groups = {}
    for row in LessonProgress.objects.order_by("started_at", "pk"):
        groups.setdefault((row.user_id, row.lesson_key), []).append(row)
    for rows in groups.values():
        if len(rows) > 1:
            LessonProgress.objects.filter(pk__in=[r.pk for r in rows[1:]]).delete()
            LessonProgress.objects.filter(pk=rows[0].pk).update(**_merged_progress(rows))


def _number_attempts(QuizAttempt, lessons):
    """Each attempt's slot, then numbers 1… per learner, lesson (all translations) and slot."""
    orphans = {}
    groups = {}
    for attempt in QuizAttempt.objects.order_by("started_at", "pk"):
        key, quiz_ids = lessons[attempt.lesson_id]
        if attempt.quiz_id in quiz_ids:
            slot = quiz_ids.index(attempt.quiz_id)
        else:
            known = orphans.setdefault(key, [])
            if attempt.quiz_id not in known:
                known.append(attempt.quiz_id)
            slot = ORPHAN_SLOT + known.index(attempt.quiz_id)
        group = groups.setdefault((attempt.user_id, key, slot), [])
        group.append(attempt)
        QuizAttempt.objects.filter(pk=attempt.pk).update(slot=slot, number=len(group))


def forwards(apps, schema_editor):
    LessonPage = apps.get_model("lessons", "LessonPage")
    CoursePage = apps.get_model("courses", "CoursePage")
    LessonProgress = apps.get_model("lessons", "LessonProgress")
    QuizAttempt = apps.get_model("lessons", "QuizAttempt")
    courses = dict(CoursePage.objects.values_list("pk", "translation_key"))
    lessons = {pk: (key, _quiz_ids(body)) for pk, key, body in LessonPage.objects.values_list("pk", "translation_key", "body")}
    for model in (LessonProgress, QuizAttempt):
        for lesson_id, (key, _ids) in lessons.items():
            model.objects.filter(lesson_id=lesson_id).update(lesson_key=key)
        for course_id, key in courses.items():
            model.objects.filter(course_id=course_id).update(course_key=key)
    _merge_progress(LessonProgress)
    _number_attempts(QuizAttempt, lessons)
    if schema_editor.connection.vendor == "postgresql":
        # Rows written above leave deferred foreign-key checks pending, and PostgreSQL refuses
        # to ALTER a table with pending trigger events: run them now.
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")


def _key(verbose_name, null):
    return models.UUIDField(editable=False, null=null, verbose_name=verbose_name)


LESSON, MODULE = "lesson (all its translations)", "module (all its translations)"


class Migration(migrations.Migration):
    dependencies = [
        ("courses", "0006_one_enrolment_across_translations"),
        ("lessons", "0003_video_document_probe"),
    ]

    operations = [
        migrations.RemoveConstraint(model_name="lessonprogress", name="unique_lesson_progress"),
        migrations.RemoveIndex(model_name="lessonprogress", name="lessons_les_user_id_098b9e_idx"),
        migrations.RemoveIndex(model_name="lessonprogress", name="lessons_les_course__ab3c59_idx"),
        migrations.RemoveConstraint(model_name="quizattempt", name="unique_attempt_number"),
        migrations.RemoveIndex(model_name="quizattempt", name="lessons_qui_user_id_cef9d4_idx"),
        migrations.RemoveIndex(model_name="quizattempt", name="lessons_qui_course__303771_idx"),
        migrations.AddField(model_name="lessonprogress", name="lesson_key", field=_key(LESSON, True)),
        migrations.AddField(model_name="lessonprogress", name="course_key", field=_key(MODULE, True)),
        migrations.AddField(model_name="quizattempt", name="lesson_key", field=_key(LESSON, True)),
        migrations.AddField(model_name="quizattempt", name="course_key", field=_key(MODULE, True)),
        migrations.AddField(
            model_name="quizattempt",
            name="slot",
            field=models.PositiveSmallIntegerField(default=0, verbose_name="place of the quiz in the lesson"),
        ),
        migrations.RunPython(forwards, migrations.RunPython.noop, elidable=False),
        migrations.AlterField(model_name="lessonprogress", name="lesson_key", field=_key(LESSON, False)),
        migrations.AlterField(model_name="lessonprogress", name="course_key", field=_key(MODULE, False)),
        migrations.AlterField(model_name="quizattempt", name="lesson_key", field=_key(LESSON, False)),
        migrations.AlterField(model_name="quizattempt", name="course_key", field=_key(MODULE, False)),
        migrations.AddConstraint(
            model_name="lessonprogress",
            constraint=models.UniqueConstraint(fields=("user", "lesson_key"), name="one_progress_per_lesson"),
        ),
        migrations.AddIndex(
            model_name="lessonprogress",
            index=models.Index(fields=["user", "course_key"], name="lessons_prog_user_course"),
        ),
        migrations.AddIndex(
            model_name="lessonprogress",
            index=models.Index(fields=["course_key", "status"], name="lessons_prog_course_status"),
        ),
        migrations.AddConstraint(
            model_name="quizattempt",
            constraint=models.UniqueConstraint(
                fields=("user", "lesson_key", "slot", "number"), name="one_attempt_number_per_quiz"
            ),
        ),
        migrations.AddIndex(
            model_name="quizattempt",
            index=models.Index(fields=["user", "lesson_key"], name="lessons_att_user_lesson"),
        ),
        migrations.AddIndex(
            model_name="quizattempt",
            index=models.Index(fields=["course_key", "passed"], name="lessons_att_course_passed"),
        ),
    ]
