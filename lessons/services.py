"""Writes of the lessons app: progress heartbeats, lesson views, quiz attempts, module completion.

A lesson and its translations share one progress row and one count of quiz attempts per learner:
rows are looked up by the pages' ``translation_key`` (``lesson_key``, ``course_key``), so a
learner who began a module in Arabic finds the same progress in its French translation.
"""

import contextlib
import math
import os
import random
import shutil
import tempfile
import uuid
from collections.abc import Mapping
from datetime import datetime, timedelta
from decimal import Decimal
from functools import cache
from uuid import UUID

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from courses.models import Certificate, CoursePage
from courses.services import enrolment_complete

from .grading import grade_question
from .models import LessonPage, LessonProgress, Question, Quiz, QuizAttempt, ReplayReceipt, VideoDocumentProbe

MAX_DURATION = 12 * 3600  # no lesson video is longer than this; anything above is forged
MAX_RANGES = 500


def _setting(name: str, default):
    return getattr(settings, f"LESSONS_{name}", default)


def merge_intervals(intervals: list[list[float]]) -> list[list[float]]:
    """Sorted, non-overlapping intervals covering the same seconds (touching ones joined)."""
    merged: list[list[float]] = []
    for start, end in sorted((float(s), float(e)) for s, e in intervals if e > s):
        if merged and start <= merged[-1][1] + 0.25:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return merged


def covered_seconds(intervals: list[list[float]]) -> float:
    return sum(end - start for start, end in intervals)


def _number(value, field: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ValidationError(_("“%(field)s” must be a number of seconds.") % {"field": field}, code="invalid")
    try:
        number = float(value)
    except OverflowError:  # an integer of hundreds of digits
        number = math.inf
    if not math.isfinite(number):
        raise ValidationError(_("“%(field)s” must be a number of seconds.") % {"field": field}, code="invalid")
    return number


def validate_heartbeat(*, position, duration, ranges, bound: float | None = None) -> tuple[float, float, list[list[float]]]:
    """Check a heartbeat's figures; raise ValidationError with a message for the learner.

    ``duration`` is the player's figure; ``bound`` (the server's duration, when known)
    replaces it as the limit of positions and ranges.
    """
    duration = _number(duration, "duration")
    position = _number(position, "position")
    if not 0 < duration <= MAX_DURATION:
        raise ValidationError(_("The video duration is not plausible."), code="duration")
    limit = bound or duration
    if not 0 <= position <= limit + 1:
        raise ValidationError(_("The position must lie between 0 and the video duration."), code="position")
    if not isinstance(ranges, list) or len(ranges) > MAX_RANGES:
        raise ValidationError(_("“ranges” must be a list of [start, end] pairs."), code="ranges")
    clean = []
    for item in ranges:
        if not isinstance(item, (list, tuple)) or len(item) != 2:
            raise ValidationError(_("“ranges” must be a list of [start, end] pairs."), code="ranges")
        start, end = _number(item[0], "ranges"), _number(item[1], "ranges")
        if not 0 <= start <= end <= limit + 1:
            raise ValidationError(_("A watched range lies outside the video."), code="ranges")
        clean.append([start, min(end, limit)])
    return min(position, limit), duration, clean


def _add_within_budget(watched: list[list[float]], ranges: list[list[float]], budget: float):
    """Add ``ranges`` to ``watched`` without gaining more new seconds than ``budget``.

    The budget comes from wall-clock time: a client cannot claim to have watched ten
    minutes in a heartbeat sent five seconds after the previous one.
    """
    current = merge_intervals(watched)
    played = 0.0
    for start, end in merge_intervals(ranges):
        played += end - start
        # Walk the uncovered gaps of this range, spending the budget on them in order.
        cursor = start
        for c_start, c_end in current + [[end, end]]:
            if budget <= 0 or cursor >= end:
                break
            if c_end <= cursor:
                continue
            gap_end = min(c_start, end)
            if gap_end > cursor:
                take = min(gap_end - cursor, budget)
                current = merge_intervals(current + [[cursor, cursor + take]])
                budget -= take
            cursor = max(cursor, c_end)
    return current, played


def _complete(progress: LessonProgress, now: datetime) -> None:
    progress.status = LessonProgress.Status.COMPLETED
    progress.percent = 100
    progress.completed_at = progress.completed_at or now


def _after_completion(*, user, course_id: int) -> None:
    course_completion_check(user=user, course=CoursePage.objects.get(pk=course_id))


def _course_key(course_id: int) -> UUID:
    """The module's translation key: what enrolments and progress rows are looked up by."""
    return CoursePage.objects.values_list("translation_key", flat=True).get(pk=course_id)


#: The columns a heartbeat writes (``updated_at`` so that ``auto_now`` applies).
_BEAT_FIELDS = ["status", "percent", "position", "duration", "watched", "seconds_watched", "time_spent",
                "last_beat_at", "completed_at", "updated_at"]


def progress_record_heartbeat(
    *, user, lesson: LessonPage | int, course_id: int | None = None, position, duration, ranges,
    now: datetime | None = None, replay_key: uuid.UUID | None = None,
) -> LessonProgress:
    """Record a video heartbeat. Idempotent: repeating or delaying a beat never lowers progress.

    ``replay_key`` is the client's id of a beat kept offline and sent later (see
    ``offline_models``): a beat whose id was already applied changes nothing at all.

    Progress is measured against the duration the server probed (``selectors.video_duration``),
    never the player's ``duration``: that one only bounds the claim while the server does not
    know the video's length yet, and then the lesson cannot be completed by watching.
    A beat of a lesson under way is one read and one UPDATE of the learner's row
    (``_beat_in_place``); the first beat, a replay and the beat that completes the lesson take
    the locked path (``_beat_locked``). ``Enrolment.last_activity_at`` moves at most every few minutes.
    """
    from .selectors import heartbeat_target

    target = heartbeat_target(lesson_id=getattr(lesson, "pk", lesson))
    if target is None or (course_id is not None and course_id != target.course_id):
        raise ValidationError(_("This lesson does not exist."), code="not_found")
    position, duration, ranges = validate_heartbeat(
        position=position, duration=duration, ranges=ranges, bound=target.duration
    )
    now = now or timezone.now()
    if replay_key is None:
        progress = _beat_in_place(user=user, target=target, position=position, ranges=ranges, now=now)
        if progress is not None:
            return progress
    return _beat_locked(user=user, target=target, position=position, ranges=ranges, now=now, replay_key=replay_key)


def _activity_resolution() -> timedelta:
    # "Last seen" needs minutes, not seconds: most beats leave the enrolment row alone.
    return timedelta(seconds=_setting("ACTIVITY_RESOLUTION", 300))


def _beat_in_place(*, user, target, position: float, ranges: list, now: datetime) -> LessonProgress | None:
    """The usual beat: the learner's row read without a lock, then written back in one UPDATE
    only if nobody changed it in between (its ``updated_at`` is the version).

    On SQLite the write lock is held for that one statement, not for the read and the
    arithmetic; when the enrolment's "last seen" is due, both UPDATEs share one transaction.
    None when the beat needs ``_beat_locked``: no row yet, a lesson not started (the sequence
    is checked there), a beat that completes the lesson (the module's completion commits
    with it) or a row changed meanwhile. PermissionDenied when the learner is not enrolled.
    """
    from .selectors import beat_progress

    state = beat_progress(user_id=user.pk, target=target, touch_before=now - _activity_resolution())
    if state is None:
        raise PermissionDenied(_("Enrol in this module first."))
    progress, touch_due = state
    if progress is None or progress.status == LessonProgress.Status.NOT_STARTED:
        return None
    was_completed, version = progress.is_completed, progress.updated_at
    _apply_beat(progress, target=target, position=position, ranges=ranges, now=now)
    if progress.is_completed and not was_completed:
        return None
    # Only the columns a beat changes (the others were read back as they were saved).
    progress.full_clean(exclude=_unchanged_by_beats(), validate_unique=False, validate_constraints=False)
    progress.updated_at = timezone.now()  # what ``auto_now`` would write: the next version
    with transaction.atomic() if touch_due else contextlib.nullcontext():
        if not _save_beat(progress, version=version):
            return None
        if touch_due:
            _touch_enrolment(user=user, course_key=target.course_key, now=now)
    return progress


@cache
def _unchanged_by_beats() -> tuple[str, ...]:
    return tuple(field.name for field in LessonProgress._meta.concrete_fields if field.name not in _BEAT_FIELDS)


@cache
def _beat_update_sql(vendor: str) -> str:
    """The UPDATE of ``_save_beat`` for the database ``vendor``, from the model's column names."""
    quote = connection.ops.quote_name
    meta = LessonProgress._meta
    columns = ", ".join(f"{quote(meta.get_field(name).column)} = %s" for name in _BEAT_FIELDS)
    # Only the model's own identifiers, quoted by the backend, go into the text; values are parameters.
    return f"UPDATE {quote(meta.db_table)} SET {columns} WHERE {quote('id')} = %s AND {quote('updated_at')} = %s"  # noqa: S608


def _save_beat(progress: LessonProgress, *, version: datetime) -> bool:
    """Write a beat's columns if the row still has ``updated_at == version``; True when written.

    One UPDATE through the fields' own conversions. No signal is sent: nothing listens to
    progress rows (the page cache ignores learners' rows), and the ORM's query building
    would cost more than the statement itself.
    """
    meta = LessonProgress._meta
    params = [meta.get_field(name).get_db_prep_save(getattr(progress, name), connection) for name in _BEAT_FIELDS]
    params += [progress.pk, meta.get_field("updated_at").get_db_prep_value(version, connection)]
    with connection.cursor() as cursor:
        cursor.execute(_beat_update_sql(connection.vendor), params)
        return cursor.rowcount == 1


def _beat_locked(*, user, target, position: float, ranges: list, now: datetime, replay_key: uuid.UUID | None):
    """A beat on the learner's locked row, in one transaction: creates the row, checks the
    sequence and the replay id, and completes the lesson (and the module) with the beat."""
    last_activity = _active_enrolment_activity(user=user, course_key=target.course_key)
    with transaction.atomic():
        progress, created = LessonProgress.objects.select_for_update().get_or_create(
            user=user, lesson_key=target.lesson_key,
            defaults={"lesson_id": target.lesson_id, "course_id": target.course_id, "course_key": target.course_key},
        )
        # The progress row's lock serialises this learner's beats: the receipt check cannot race.
        if replay_key is not None and not _note_replay(
            user=user, key=replay_key, kind=ReplayReceipt.Kind.HEARTBEAT, object_id=target.lesson_id
        ):
            return progress
        if progress.status == LessonProgress.Status.NOT_STARTED:
            _check_unlocked(user=user, lesson_keys=target.earlier_required)
        was_completed = progress.is_completed
        _apply_beat(progress, target=target, position=position, ranges=ranges, now=now)
        # The figures were checked above and the row's keys were just read: full_clean's
        # foreign-key and uniqueness checks would only read the same rows again.
        progress.full_clean(exclude=["user", "lesson", "course"], validate_unique=False, validate_constraints=False)
        progress.save(update_fields=None if created else _BEAT_FIELDS)
        if last_activity is None or now - last_activity >= _activity_resolution():
            _touch_enrolment(user=user, course_key=target.course_key, now=now)
        if progress.is_completed and not was_completed:
            _after_completion(user=user, course_id=target.course_id)
    return progress


def _note_replay(*, user, key: uuid.UUID, kind: str, object_id: int) -> bool:
    """Note a replayed request's id; False when that id was already applied for this learner."""
    if ReplayReceipt.objects.filter(user=user, key=key).exists():
        return False
    receipt = ReplayReceipt(user=user, key=key, kind=kind, object_id=object_id)
    receipt.full_clean(exclude=["user"], validate_unique=False, validate_constraints=False)
    receipt.save()
    return True


def _apply_beat(progress: LessonProgress, *, target, position: float, ranges: list, now: datetime) -> None:
    """Merge a checked beat into ``progress``: intervals merged, nothing counted twice or lowered."""
    if progress.last_beat_at is not None:
        elapsed = max(0.0, (now - progress.last_beat_at).total_seconds())
        budget = elapsed * _setting("MAX_PLAYBACK_RATE", 2.0) + _setting("HEARTBEAT_GRACE", 15.0)
    else:
        budget = _setting("HEARTBEAT_GRACE", 15.0) * 2
    watched, played = _add_within_budget(progress.watched, ranges, budget)
    progress.watched = [[round(s, 2), round(e, 2)] for s, e in watched]
    progress.position = position
    progress.time_spent += int(round(min(played, budget)))
    progress.last_beat_at = now
    known = target.duration
    # Only seconds inside the measured video count (intervals recorded before the probe were
    # bounded by the player's claim); the intervals only grow, so neither does this figure.
    covered = covered_seconds([[s, min(e, known)] for s, e in watched if s < known] if known else watched)
    progress.seconds_watched = max(progress.seconds_watched, round(covered, 2))
    if known:
        progress.duration = known
        progress.percent = max(progress.percent, min(int(covered * 100 // known), 100))
        threshold = _setting("VIDEO_COMPLETION", 0.9)
        if not progress.is_completed and target.rule == LessonPage.CompletionRule.VIDEO and covered >= threshold * known:
            _complete(progress, now)
    if progress.status == LessonProgress.Status.NOT_STARTED:
        progress.status = LessonProgress.Status.IN_PROGRESS


def _check_unlocked(*, user, lesson_keys: tuple) -> None:
    """In a sequential module, a lesson opens once the required lessons before it are completed
    (in any language: ``lesson_keys`` are their translation keys)."""
    if not lesson_keys:
        return
    done = LessonProgress.objects.filter(
        user=user, lesson_key__in=lesson_keys, status=LessonProgress.Status.COMPLETED
    ).count()
    if done < len(lesson_keys):
        raise PermissionDenied(_("You cannot follow this lesson."))


def _touch_enrolment(*, user, course_key: UUID, now: datetime) -> None:
    from courses.models import Enrolment

    Enrolment.objects.filter(user=user, course_key=course_key).update(last_activity_at=now)


def _active_enrolment_activity(*, user, course_key: UUID) -> datetime | None:
    """The last activity of the learner's active enrolment (None if never noted); PermissionDenied if not enrolled."""
    from courses.models import Enrolment

    row = Enrolment.objects.filter(user=user, course_key=course_key, status=Enrolment.Status.ACTIVE).values(
        "last_activity_at"
    ).first()
    if row is None:
        raise PermissionDenied(_("Enrol in this module first."))
    return row["last_activity_at"]


@transaction.atomic
def progress_mark_viewed(*, user, lesson: LessonPage, course_id: int, now: datetime | None = None) -> LessonProgress:
    """Note that the learner opened the lesson; completes lessons whose rule is just opening them."""
    now = now or timezone.now()
    course_key = _course_key(course_id)
    progress, _created = LessonProgress.objects.select_for_update().get_or_create(
        user=user, lesson_key=lesson.translation_key,
        defaults={"lesson": lesson, "course_id": course_id, "course_key": course_key},
    )
    was_completed = progress.is_completed
    if progress.status == LessonProgress.Status.NOT_STARTED:
        progress.status = LessonProgress.Status.IN_PROGRESS
    if not was_completed and lesson.effective_rule() == LessonPage.CompletionRule.VIEW:
        _complete(progress, now)
    # Opening the page starts the wall clock that bounds the first heartbeat's claim.
    progress.last_beat_at = now
    progress.save()
    _touch_enrolment(user=user, course_key=course_key, now=now)
    if progress.is_completed and not was_completed:
        _after_completion(user=user, course_id=course_id)
    return progress


# --- Quizzes ------------------------------------------------------------------------


def _check_enrolled(*, user, course_id: int) -> None:
    from courses.models import Enrolment

    course_key = CoursePage.objects.filter(pk=course_id).values("translation_key")
    if not Enrolment.objects.filter(user=user, course_key__in=course_key, status=Enrolment.Status.ACTIVE).exists():
        raise PermissionDenied(_("Enrol in this module first."))


def _finished_attempts(*, user, lesson_key: UUID, slot: int):
    """The learner's finished attempts at one quiz place of a lesson, in every language."""
    return QuizAttempt.objects.filter(user=user, lesson_key=lesson_key, slot=slot).exclude(status=QuizAttempt.Status.OPEN)


def _grace() -> timedelta:
    return timedelta(seconds=_setting("QUIZ_GRACE_SECONDS", 10))


def _is_late(attempt: QuizAttempt, now: datetime) -> bool:
    return attempt.deadline is not None and now > attempt.deadline + _grace()


@transaction.atomic
def quiz_attempt_expire(*, attempt: QuizAttempt) -> QuizAttempt:
    """Close an attempt whose time ran out: it counts as used and scores nothing."""
    attempt.status = QuizAttempt.Status.EXPIRED
    attempt.submitted_at = attempt.deadline
    attempt.save(update_fields=["status", "submitted_at"])
    return attempt


def _draw(quiz: Quiz, rng: random.Random) -> list[dict]:
    """An attempt's layout: the questions drawn (shuffled if asked), each with its options' order."""
    questions = list(quiz.questions.all())
    if not questions:
        raise ValidationError(_("This quiz has no questions yet."), code="empty")
    if quiz.draw_count and quiz.draw_count < len(questions):
        drawn = {q.pk for q in rng.sample(questions, quiz.draw_count)}
        questions = [q for q in questions if q.pk in drawn]
    if quiz.shuffle_questions:
        rng.shuffle(questions)
    layout = []
    for question in questions:
        if question.kind == Question.Kind.TRUE_FALSE:
            options = ["true", "false"]
        else:
            options = [child.id for child in question.options]
            # Ordering questions are always shuffled: shown in order, they would give the answer away.
            if question.kind == Question.Kind.ORDERING or quiz.shuffle_options:
                rng.shuffle(options)
        layout.append({"id": question.pk, "options": options})
    return layout


@transaction.atomic
def _attempt_move(attempt: QuizAttempt, *, quiz: Quiz, lesson: LessonPage, course_id: int, rng) -> QuizAttempt:
    """An open attempt begun on another translation's quiz goes on in this one: same number and
    deadline (switching language never restarts the clock), this quiz's questions drawn afresh."""
    attempt.quiz, attempt.lesson, attempt.course_id = quiz, lesson, course_id
    attempt.layout = _draw(quiz, rng)
    attempt.full_clean()
    attempt.save(update_fields=["quiz", "lesson", "course", "layout"])
    return attempt


def quiz_attempt_start(
    *, user, quiz: Quiz, lesson: LessonPage, course_id: int, now: datetime | None = None, rng: random.Random | None = None
) -> QuizAttempt:
    """Start an attempt (or return the open one): draw the questions and fix their order.

    Attempts count across the lesson's translations: a quiz passed in Arabic is passed in
    French, and the attempts allowed are shared."""
    now = now or timezone.now()
    rng = rng or random.SystemRandom()
    _check_enrolled(user=user, course_id=course_id)
    if not quiz.live:
        # Never published (a draft waiting for review): learners only ever get live quizzes.
        raise ValidationError(_("This quiz is not available yet."), code="draft")
    slot = lesson.quiz_slot(quiz.pk)
    if slot is None:
        raise ValidationError(_("This quiz is not part of this lesson."), code="quiz")
    key = lesson.translation_key
    open_attempt = QuizAttempt.objects.filter(user=user, lesson_key=key, slot=slot, status=QuizAttempt.Status.OPEN).first()
    if open_attempt is not None:
        if _is_late(open_attempt, now):
            quiz_attempt_expire(attempt=open_attempt)
        elif open_attempt.quiz_id == quiz.pk:
            return open_attempt
        else:
            return _attempt_move(open_attempt, quiz=quiz, lesson=lesson, course_id=course_id, rng=rng)
    with transaction.atomic():
        finished = list(_finished_attempts(user=user, lesson_key=key, slot=slot).select_for_update())
        if any(a.passed for a in finished):
            raise ValidationError(_("You have already passed this quiz."), code="passed")
        if quiz.max_attempts and len(finished) >= quiz.max_attempts:
            raise ValidationError(_("You have used every attempt allowed for this quiz."), code="attempts")
        attempt = QuizAttempt(
            user=user, quiz=quiz, lesson=lesson, course_id=course_id, lesson_key=key, course_key=_course_key(course_id),
            slot=slot, number=len(finished) + 1, started_at=now,
            deadline=now + timedelta(minutes=quiz.time_limit_minutes) if quiz.time_limit_minutes else None,
            layout=_draw(quiz, rng),
        )
        attempt.full_clean()
        attempt.save()
        return attempt


@transaction.atomic
def quiz_attempts_open_offline(*, user, lesson: LessonPage, course_id: int, now: datetime | None = None) -> list[QuizAttempt]:
    """Open (or resume) an attempt at each untimed quiz of ``lesson`` the learner may still take,
    so that its page can be stored for offline use. A timed quiz is left alone (its clock runs
    on the server), and so is one passed or used up; an open attempt costs nothing until it is
    submitted."""
    attempts = []
    for quiz in Quiz.objects.filter(pk__in=lesson.quiz_ids(), time_limit_minutes=0, live=True):
        try:
            attempts.append(quiz_attempt_start(user=user, quiz=quiz, lesson=lesson, course_id=course_id, now=now))
        except ValidationError:
            continue  # passed, used up or empty: nothing to answer offline
    return attempts


def _tampered() -> ValidationError:
    return ValidationError(_("This submission does not match the quiz you were given."), code="tampered")


def _expected_fields(layout: dict[int, list[str]], questions: dict[int, Question]) -> dict[str, tuple[int, str | None]]:
    """Form field name → (question id, option id for an ordering item, else None)."""
    expected: dict[str, tuple[int, str | None]] = {}
    for qid, options in layout.items():
        if questions[qid].kind == Question.Kind.ORDERING:
            for option in options:
                expected[f"q-{qid}-{option}"] = (qid, option)
        else:
            expected[f"q-{qid}"] = (qid, None)
    return expected


def _answer(question: Question, values: list[str], shown: list[str]):
    """The answer to one non-ordering question, refusing options the attempt did not show."""
    if question.kind in (Question.Kind.SINGLE, Question.Kind.TRUE_FALSE):
        if len(values) != 1 or values[0] not in shown:
            raise _tampered()
        return values[0]
    if question.kind == Question.Kind.MULTIPLE:
        if len(set(values)) != len(values) or not set(values) <= set(shown):
            raise _tampered()
        return values
    if len(values) != 1 or len(values[0]) > 500:
        raise _tampered()
    return values[0]


def _ordering(given: dict[str, int], shown: list[str]) -> list[str]:
    """An ordering question's items sorted by the positions given (each position once, 1 to n)."""
    if len(given) != len(shown) or sorted(given.values()) != list(range(1, len(shown) + 1)):
        raise ValidationError(_("Give each item of an ordering question a different position."), code="ordering")
    return sorted(given, key=given.__getitem__)


def _parse_answers(attempt: QuizAttempt, questions: dict[int, Question], data: Mapping[str, list[str]]) -> dict:
    """Turn submitted form fields into answers, refusing anything the attempt did not show."""
    layout = {item["id"]: item["options"] for item in attempt.layout}
    expected = _expected_fields(layout, questions)
    answers: dict[str, object] = {}
    positions: dict[int, dict[str, int]] = {}
    for name, values in data.items():
        if not name.startswith("q-"):
            continue
        if name not in expected:
            raise _tampered()
        qid, option = expected[name]
        values = [v for v in values if v != ""]
        if not values:
            continue
        if option is None:
            answers[str(qid)] = _answer(questions[qid], values, layout[qid])
            continue
        try:
            positions.setdefault(qid, {})[option] = int(values[0])
        except ValueError:
            raise _tampered() from None
    for qid, given in positions.items():
        answers[str(qid)] = _ordering(given, layout[qid])
    return answers


def quiz_attempt_submit(*, attempt: QuizAttempt, user, data: Mapping[str, list[str]], now: datetime | None = None) -> QuizAttempt:
    """Grade a submission on the server. Tampered, late or repeated submissions are refused whole.

    Idempotent by the attempt itself: it is graded once, under a row lock; answers sent again
    (an offline submission replayed twice) find it closed and change nothing.
    """
    now = now or timezone.now()
    if attempt.user_id != user.pk:
        raise PermissionDenied(_("This attempt is not yours."))
    if attempt.status != QuizAttempt.Status.OPEN:
        raise ValidationError(_("This attempt has already been submitted."), code="closed")
    if _is_late(attempt, now):
        quiz_attempt_expire(attempt=attempt)
        raise ValidationError(_("The time limit has passed; this attempt was not graded."), code="late")
    _check_enrolled(user=user, course_id=attempt.course_id)
    questions = {q.pk: q for q in Question.objects.filter(pk__in=[item["id"] for item in attempt.layout])}
    if len(questions) != len(attempt.layout):
        raise ValidationError(_("This quiz changed since you started; start a new attempt."), code="changed")
    answers = _parse_answers(attempt, questions, data)
    with transaction.atomic():
        locked = QuizAttempt.objects.select_for_update().get(pk=attempt.pk)
        if locked.status != QuizAttempt.Status.OPEN:
            raise ValidationError(_("This attempt has already been submitted."), code="closed")
        score = Decimal(0)
        max_score = Decimal(0)
        results = {}
        for item in attempt.layout:
            question = questions[item["id"]]
            correct = grade_question(question, answers.get(str(question.pk)))
            max_score += question.points
            score += question.points if correct else 0
            results[str(question.pk)] = {"correct": correct, "points": question.points if correct else 0}
        attempt.answers = answers
        attempt.results = results
        attempt.score = score
        attempt.max_score = max_score
        attempt.percent = int(score * 100 // max_score) if max_score else 0
        attempt.passed = attempt.percent >= attempt.quiz.pass_mark
        attempt.status = QuizAttempt.Status.SUBMITTED
        attempt.submitted_at = now
        attempt.save()
        if attempt.passed:
            _quiz_passed(user=user, attempt=attempt, now=now)
    return attempt


def quiz_answers_graded(*, attempt: QuizAttempt, data: Mapping[str, list[str]]) -> bool:
    """Whether ``attempt`` was graded with exactly the answers in ``data``: an offline submission
    sent again after the server's first answer was lost, not answers refused. Writes nothing."""
    if attempt.status != QuizAttempt.Status.SUBMITTED:
        return False
    questions = {q.pk: q for q in Question.objects.filter(pk__in=[item["id"] for item in attempt.layout])}
    if len(questions) != len(attempt.layout):
        return False
    try:
        return _parse_answers(attempt, questions, data) == attempt.answers
    except ValidationError:
        return False


def _quiz_passed(*, user, attempt: QuizAttempt, now: datetime) -> None:
    lesson = attempt.lesson
    progress, _created = LessonProgress.objects.select_for_update().get_or_create(
        user=user, lesson_key=attempt.lesson_key,
        defaults={"lesson": lesson, "course_id": attempt.course_id, "course_key": attempt.course_key},
    )
    if progress.is_completed:
        _after_completion(user=user, course_id=attempt.course_id)
        return
    if lesson.effective_rule() == LessonPage.CompletionRule.QUIZ:
        _complete(progress, now)
    elif progress.status == LessonProgress.Status.NOT_STARTED:
        progress.status = LessonProgress.Status.IN_PROGRESS
    progress.save()
    _after_completion(user=user, course_id=attempt.course_id)


# --- Module completion --------------------------------------------------------------


def course_is_complete(*, user, course: CoursePage) -> bool:
    """Whether ``user`` has met the module's completion rule (its required lessons, and its quizzes if asked),
    in whichever of the module's languages each lesson or quiz was done."""
    lessons = list(
        LessonPage.objects.child_of(course).live().only("pk", "translation_key", "required", "body", "completion_rule")
    )
    required = {lesson.translation_key for lesson in lessons if lesson.required}
    if not lessons:
        return False
    done = set(
        LessonProgress.objects.filter(
            user=user, lesson_key__in=required, status=LessonProgress.Status.COMPLETED
        ).values_list("lesson_key", flat=True)
    )
    if done != required:
        return False
    if course.completion_rule == CoursePage.CompletionRule.LESSONS_AND_QUIZZES:
        needed = {(lesson.translation_key, slot) for lesson in lessons for slot in range(len(lesson.quiz_ids()))}
        passed = set(
            QuizAttempt.objects.filter(user=user, course_key=course.translation_key, passed=True).values_list(
                "lesson_key", "slot"
            )
        )
        if not needed <= passed:
            return False
    return True


@transaction.atomic
def course_completion_check(*, user, course: CoursePage, now: datetime | None = None) -> Certificate | None:
    """Complete the learner's enrolment (and issue the certificate) once the module's rule is met.

    Returns the certificate when one is issued (or was already), else None.
    """
    if not course_is_complete(user=user, course=course):
        return None
    return enrolment_complete(user=user, course=course, now=now)


# --- Video documents ----------------------------------------------------------------


@contextlib.contextmanager
def _local_file(field_file):
    """A local path to a stored file: the file itself on disk, a temporary copy otherwise (S3)."""
    try:
        yield field_file.path
        return
    except NotImplementedError:
        pass
    suffix = os.path.splitext(field_file.name)[1]
    with tempfile.NamedTemporaryFile(suffix=suffix) as copy:
        with field_file.open("rb") as source:
            shutil.copyfileobj(source, copy, 1024 * 1024)
        copy.flush()
        yield copy.name


def video_document_probe(*, document_id: int, now: datetime | None = None) -> VideoDocumentProbe | None:
    """Measure a stored video document's duration with ffprobe and keep it for heartbeats.

    Runs in the worker when the document is stored or its file replaced (signal_handlers),
    never in a learner's request. An unreadable file is kept with no duration, so its
    lesson cannot be completed by watching.
    """
    from wagtail.documents import get_document_model

    from media_pipeline import ffmpeg

    document = get_document_model().objects.filter(pk=document_id).first()
    if document is None or not document.file:
        return None
    try:
        with _local_file(document.file) as path:
            duration = ffmpeg.summarize(ffmpeg.probe(path))["duration"]
    except (ffmpeg.FFmpegError, OSError):
        duration = None
    if duration is not None and not 0 < duration <= MAX_DURATION:
        duration = None
    with transaction.atomic():
        probe = VideoDocumentProbe.objects.select_for_update().filter(document=document).first()
        probe = probe or VideoDocumentProbe(document=document)
        probe.file_name = document.file.name
        probe.duration = round(duration, 3) if duration else None
        probe.probed_at = now or timezone.now()
        probe.full_clean()
        probe.save()
    return probe


@transaction.atomic
def quiz_create(*, title: str, questions: list[dict], **fields) -> Quiz:
    """A quiz with its questions, in order: each dict holds a question's fields (without ``quiz``
    and ``sort_order``). Raises ``ValidationError`` (nothing saved) when the quiz or a question
    is invalid. The quiz is live at once (``live`` defaults to true: the demo's and the tests'
    quizzes are published ones); editors' later changes go through review as revisions."""
    quiz = Quiz(title=title, **fields)
    quiz.full_clean()
    quiz.save()
    for order, question_fields in enumerate(questions, start=1):
        question = Question(quiz=quiz, sort_order=order, **question_fields)
        question.full_clean()
        question.save()
    return quiz


@transaction.atomic
def lesson_add_recording(*, lesson: LessonPage, recording, user) -> LessonPage:
    """Append a video block playing ``recording`` to the lesson's latest draft, as a new revision
    by ``user`` (never published here: the editors' workflow publishes it). Refused without the
    right to edit the lesson, or when the lesson already plays that recording."""
    if not lesson.permissions_for_user(user).can_edit():
        raise PermissionDenied
    draft = lesson.get_latest_revision_as_object()
    for block in draft.body.raw_data:
        if block["type"] == "video" and (block["value"] or {}).get("recording") == recording.pk:
            raise ValidationError(_("This lesson already plays this recording."))
    draft.body.append(("video", {"recording": recording, "video": None, "poster": None, "caption": ""}))
    draft.full_clean()
    draft.save_revision(user=user, log_action=True)
    return draft
