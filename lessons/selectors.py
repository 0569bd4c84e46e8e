"""Read queries that follow the learners' progress: a module's outline, the lesson page, the
dashboard and quiz attempts (a fixed number of queries each, whatever the number of lessons).

The courses app holds modules, enrolments and certificates and reads no progress: everything
that does is here (module reports in ``reports.py``).
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache, reduce
from operator import or_
from uuid import UUID

from django.conf import settings
from django.db import connection
from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from courses.models import Certificate, CoursePage, Enrolment
from courses.selectors import course_enrolment_data, reportable_courses

from .grading import correct_option_ids
from .models import LessonPage, LessonProgress, Question, Quiz, QuizAttempt


def lesson_course(lesson: LessonPage) -> CoursePage:
    """The module a lesson belongs to (its parent page), in one query."""
    return CoursePage.objects.select_related("locale").get(path=lesson.path[: -LessonPage.steplen])


# --- Modules: lessons with progress -------------------------------------------------


def module_lessons(courses) -> QuerySet[LessonPage]:
    """The live lessons of ``courses``, in the editors' order (one query for any number of modules)."""
    courses = list(courses)
    if not courses:
        return LessonPage.objects.none()
    by_path = reduce(or_, (Q(path__startswith=c.path, depth=c.depth + 1) for c in courses))
    return (
        LessonPage.objects.live().filter(by_path)
        .only("pk", "translation_key", "title", "slug", "path", "depth", "url_path", "locale_id", "required",
              "completion_rule", "estimated_minutes", "body")
        .order_by("path")
    )


def module_lesson_facts(courses) -> dict[int, dict]:
    """Each module's live lessons: their number and the sum of their estimated minutes (one query)."""
    courses = list(courses)
    by_path = {c.path: c.pk for c in courses}
    facts: dict[int, dict] = {}
    for path, minutes in module_lessons(courses).values_list("path", "estimated_minutes"):
        found = facts.setdefault(by_path[path[: -LessonPage.steplen]], {"minutes": 0, "lessons": 0})
        found["minutes"] += minutes or 0
        found["lessons"] += 1
    return facts


def recording_use_choices(*, user) -> list[dict]:
    """The modules whose reports ``user`` reads (a trainer's own, every module for editors),
    each with all its lessons, drafts included, for "use in a lesson" (two queries)."""
    courses = list(reportable_courses(user=user))
    if not courses:
        return []
    by_path = reduce(or_, (Q(path__startswith=c.path, depth=c.depth + 1) for c in courses))
    lessons = LessonPage.objects.filter(by_path).only("pk", "title", "path", "depth", "live").order_by("path")
    by_course: dict[str, list] = {c.path: [] for c in courses}
    for lesson in lessons:
        by_course[lesson.path[: -LessonPage.steplen]].append(lesson)
    return [{"course": c, "lessons": by_course[c.path]} for c in courses if by_course[c.path]]


def _progress_map(*, user, courses) -> dict:
    """The learner's progress rows in ``courses`` by lesson translation key (whatever language
    each lesson was followed in)."""
    if not user.is_authenticated:
        return {}
    keys = {course.translation_key for course in courses}
    rows = LessonProgress.objects.filter(user=user, course_key__in=keys).defer("watched")
    return {row.lesson_key: row for row in rows}


def _outline(course: CoursePage, lessons: list, progress: dict) -> dict:
    """Lessons with their progress and lock state, the module percent and the next lesson."""
    items = []
    blocked = False
    required = [lesson for lesson in lessons if lesson.required]
    done_required = 0
    for lesson in lessons:
        row = progress.get(lesson.translation_key)
        completed = row is not None and row.is_completed
        items.append({"lesson": lesson, "progress": row, "completed": completed, "locked": course.sequential and blocked})
        if lesson.required and not completed:
            blocked = True
        if lesson.required and completed:
            done_required += 1
    next_item = next((item for item in items if not item["completed"] and not item["locked"]), None)
    return {
        "lessons": items,
        "percent": int(done_required * 100 // len(required)) if required else 0,
        "next_lesson": next_item["lesson"] if next_item else None,
        "next_progress": next_item["progress"] if next_item else None,
    }


#: A module and its lessons are kept this long at most; any publish drops them at once.
MODULE_STRUCTURE_SECONDS = 3600


def module_structure(*, course: CoursePage | None = None, lesson: LessonPage | None = None) -> tuple:
    """``(module, its live lessons in order)`` for ``course``, or for the module of ``lesson``.

    The same for every visitor, so cached in the current content generation (``pagecache``: any
    publish, unpublish, move or page save drops it): no query on a hit. The given ``course`` is
    returned as given; only a lesson's module comes from the cache.
    """
    from django.core.cache import cache

    from pagecache import versioned_key

    path = course.path if course is not None else lesson.path[: -LessonPage.steplen]
    key = versioned_key("lessons:module", path)
    cached = cache.get(key)
    if cached is None:
        found = course if course is not None else lesson_course(lesson)
        cached = (found, list(module_lessons([found])))
        cache.set(key, cached, MODULE_STRUCTURE_SECONDS)
    return (course or cached[0], cached[1])


def module_outline(*, course: CoursePage, user) -> dict:
    """The module's lessons with the visitor's progress and lock state, the percent of required
    lessons completed and the next lesson to follow (one query, however many lessons: the
    lessons themselves are cached, see ``module_structure``)."""
    _course, lessons = module_structure(course=course)
    return _outline(course, lessons, _progress_map(user=user, courses=[course]))


def course_outline(*, course: CoursePage, user) -> dict:
    """Everything a module page shows for one visitor (five queries, however many lessons)."""
    return {"outline": module_outline(course=course, user=user), **course_enrolment_data(course=course, user=user)}


def _resume(progress: dict, lessons_by_course: dict, in_progress: list) -> dict | None:
    """"Continue where you left off": the most recently touched lesson that is not finished,
    else the next lesson of the most recent module in progress."""
    lessons_by_key = {lesson.translation_key: lesson for lessons in lessons_by_course.values() for lesson in lessons}
    touched = [
        row for row in progress.values() if not row.is_completed and row.last_beat_at and row.lesson_key in lessons_by_key
    ]
    if touched:
        row = max(touched, key=lambda r: r.last_beat_at)
        return {"lesson": lessons_by_key[row.lesson_key], "progress": row}
    if in_progress and in_progress[0]["next_lesson"] is not None:
        return {"lesson": in_progress[0]["next_lesson"], "progress": in_progress[0]["next_progress"]}
    return None


def _in_language(courses: list[CoursePage]) -> dict:
    """Each module's live translation in the active language (by translation key), one query."""
    keys = [course.translation_key for course in courses]
    if not keys:
        return {}
    translated = CoursePage.objects.live().filter(translation_key__in=keys, locale__language_code=get_language())
    return {course.translation_key: course for course in translated.select_related("theme", "locale")}


def dashboard_data(*, user) -> dict:
    """"My learning": modules in progress with their next lesson, completed modules, certificates.

    An enrolment holds for the module in every language: each module is shown in the page's
    language when it is published in it, else in the language the learner enrolled in."""
    enrolments = list(
        Enrolment.objects.filter(user=user, status=Enrolment.Status.ACTIVE)
        .select_related("course", "course__theme", "course__locale")
        .order_by("-last_activity_at", "-enrolled_at")
    )
    translated = _in_language([e.course for e in enrolments])
    for enrolment in enrolments:
        enrolment.course = translated.get(enrolment.course_key, enrolment.course)
    courses = [e.course for e in enrolments]
    lessons_by_course = defaultdict(list)
    if courses:
        by_path = {c.path: c for c in courses}
        for lesson in module_lessons(courses):
            lessons_by_course[by_path[lesson.path[:-CoursePage.steplen]].pk].append(lesson)
    progress = _progress_map(user=user, courses=courses)
    certificates = list(Certificate.objects.filter(user=user).select_related("course").order_by("-issued_at"))
    in_progress, completed = [], []
    for enrolment in enrolments:
        outline = _outline(enrolment.course, lessons_by_course[enrolment.course.pk], progress)
        entry = {"enrolment": enrolment, "course": enrolment.course, **outline}
        (completed if enrolment.completed_at else in_progress).append(entry)
    resume = _resume(progress, lessons_by_course, in_progress)
    return {"in_progress": in_progress, "completed": completed, "certificates": certificates, "resume": resume}


# --- Lesson pages -------------------------------------------------------------------


def can_manage(user) -> bool:
    return user.is_authenticated and user.has_perm("wagtailadmin.access_admin")


def lesson_access(*, lesson: LessonPage, user) -> dict:
    """Whether ``user`` may follow ``lesson``, and the module outline around it.

    ``access`` is ``ok``, ``login`` (anonymous), ``enrol`` (not enrolled) or ``locked``
    (sequential module, earlier lessons unfinished). Editors may always read. Two queries
    for a learner (their progress in the module, their enrolment): the module and its lessons
    are cached (``module_structure``).
    """
    course, lessons = module_structure(lesson=lesson)
    enrolment = (
        Enrolment.objects.filter(user=user, course_key=course.translation_key).first() if user.is_authenticated else None
    )
    data = {
        "outline": _outline(course, lessons, _progress_map(user=user, courses=[course])),
        "enrolment": enrolment,
        "is_enrolled": enrolment is not None and enrolment.is_active,
    }
    item = next((i for i in data["outline"]["lessons"] if i["lesson"].pk == lesson.pk), None)
    if not user.is_authenticated:
        access = "login"
    elif not data["is_enrolled"]:
        access = "manage" if can_manage(user) else "enrol"
    elif item is not None and item["locked"]:
        access = "locked"
    else:
        access = "ok"
    return {"course": course, "access": access, "item": item, **data}


def lesson_view_pending(*, lesson: LessonPage, access: dict, now: datetime | None = None) -> bool:
    """Whether an enrolled learner's visit would change anything worth a write (no query).

    True when the lesson has no progress yet, when its rule is opening it and it is not
    completed, or when the enrolment's last activity is older than its resolution (the
    heartbeat's ``LESSONS_ACTIVITY_RESOLUTION``): revisits otherwise cost no write at all.
    """
    item = access.get("item") or {}
    progress = item.get("progress")
    if progress is None or progress.status == LessonProgress.Status.NOT_STARTED:
        return True
    if not progress.is_completed and lesson.effective_rule() == LessonPage.CompletionRule.VIEW:
        return True
    enrolment = access.get("enrolment")
    last = enrolment.last_activity_at if enrolment is not None else None
    resolution = timedelta(seconds=getattr(settings, "LESSONS_ACTIVITY_RESOLUTION", 300))
    return last is None or (now or timezone.now()) - last >= resolution


def quiz_states(*, lesson: LessonPage, user) -> dict[int, list]:
    """The learner's attempts by quiz place in the lesson (in every language), in order."""
    if not user.is_authenticated or not lesson.quiz_ids():
        return {}  # no query for a lesson without a quiz
    attempts = defaultdict(list)
    for attempt in QuizAttempt.objects.filter(user=user, lesson_key=lesson.translation_key).order_by("number"):
        attempts[attempt.slot].append(attempt)
    return attempts


def lesson_context(*, lesson: LessonPage, user, access: dict | None = None) -> dict:
    """The context of a lesson page: access, progress, outline, neighbours and quiz states."""
    access = access or lesson_access(lesson=lesson, user=user)
    lessons = [i["lesson"] for i in access["outline"]["lessons"]]
    index = next((n for n, item in enumerate(lessons) if item.pk == lesson.pk), None)
    attempts = quiz_states(lesson=lesson, user=user)
    body = []
    for block in lesson.body:
        state = None
        if block.block_type == "quiz" and block.value.get("quiz") is not None:
            quiz = block.value["quiz"]
            if not quiz.live:
                continue  # a quiz never published (waiting for review) is not offered
            mine = attempts.get(lesson.quiz_slot(quiz.pk), [])
            finished = [a for a in mine if a.status != QuizAttempt.Status.OPEN]
            state = {
                "quiz": quiz,
                "attempts": finished,
                "open": next((a for a in mine if a.status == QuizAttempt.Status.OPEN), None),
                "passed": any(a.passed for a in finished),
                "best": max((a.percent for a in finished), default=None),
                "left": (quiz.max_attempts - len(finished)) if quiz.max_attempts else None,
            }
        body.append({"block": block, "quiz": state})
    item = access["item"]
    return {
        **access,
        "progress": item["progress"] if item else None,
        "body_items": body,
        "previous_lesson": lessons[index - 1] if index else None,
        "next_lesson_page": lessons[index + 1] if index is not None and index + 1 < len(lessons) else None,
        "lesson_number": (index or 0) + 1,
        "lesson_total": len(lessons),
    }


# --- Quiz attempts ------------------------------------------------------------------


def attempt_questions(attempt: QuizAttempt) -> list[dict]:
    """The attempt's questions in the order drawn, with options in the order shown (no answers)."""
    questions = {q.pk: q for q in Question.objects.filter(pk__in=[item["id"] for item in attempt.layout])}
    rows = []
    for number, item in enumerate(attempt.layout, start=1):
        question = questions.get(item["id"])
        if question is None:
            continue
        if question.kind == Question.Kind.TRUE_FALSE:
            texts = {"true": _("True"), "false": _("False")}
            feedback = {}
        else:
            texts = {child.id: child.value["text"] for child in question.options}
            feedback = {child.id: child.value.get("feedback", "") for child in question.options}
        rows.append({
            "number": number, "question": question, "field": f"q-{question.pk}",
            "options": [{"id": oid, "text": texts.get(oid, ""), "feedback": feedback.get(oid, "")} for oid in item["options"]],
        })
    return rows


def attempt_form_data(*, attempt: QuizAttempt, now: datetime | None = None) -> dict:
    """What an open attempt's page shows: its questions (never the answers) and the seconds left."""
    remaining = None
    if attempt.deadline:
        remaining = max(0, int((attempt.deadline - (now or timezone.now())).total_seconds()))
    return {
        "attempt": attempt, "quiz": attempt.quiz, "lesson": attempt.lesson, "questions": attempt_questions(attempt),
        "remaining": remaining,
    }


def reveal_allowed(attempt: QuizAttempt, attempts_used: int) -> bool:
    """Whether this attempt's page may show the correct answers, under the quiz's policy."""
    policy = attempt.quiz.reveal_policy
    if policy == Quiz.Reveal.NEVER:
        return False
    if attempt.passed:
        return True
    return policy == Quiz.Reveal.AFTER_LAST and bool(attempt.quiz.max_attempts) and attempts_used >= attempt.quiz.max_attempts


def _correct_answers(question: Question, labels: dict) -> list[str]:
    if question.kind == Question.Kind.SHORT_TEXT:
        return [question.accepted_answers.splitlines()[0]]
    if question.kind == Question.Kind.NUMERIC:
        return [f"{question.numeric_answer.normalize()}"]
    return [labels.get(oid, oid) for oid in correct_option_ids(question)]


def _result_row(row: dict, attempt: QuizAttempt, reveal: bool) -> dict:
    """One question of a finished attempt: the answer given, its result and (if revealed) feedback and answers."""
    question = row["question"]
    answer = attempt.answers.get(str(question.pk))
    chosen = answer if isinstance(answer, list) else [answer] if answer else []
    labels = {o["id"]: o["text"] for o in row["options"]}
    row["result"] = attempt.results.get(str(question.pk), {})
    row["given"] = [labels.get(a, a) for a in chosen]
    row["feedback"] = [o["feedback"] for o in row["options"] if o["id"] in chosen and o["feedback"]] if reveal else []
    if reveal:
        row["correct"] = _correct_answers(question, labels)
    return row


def attempt_result_data(*, attempt: QuizAttempt) -> dict:
    """What a finished attempt's page shows: each question with the answer given and its grade,
    the options' feedback and the correct answers when the quiz's reveal policy allows them,
    the module, and the attempts left."""
    used = QuizAttempt.objects.filter(user_id=attempt.user_id, lesson_key=attempt.lesson_key, slot=attempt.slot).exclude(
        status=QuizAttempt.Status.OPEN
    ).count()
    reveal = reveal_allowed(attempt, used)
    rows = [_result_row(row, attempt, reveal) for row in attempt_questions(attempt)]
    return {
        "attempt": attempt, "quiz": attempt.quiz, "lesson": attempt.lesson, "questions": rows, "reveal": reveal,
        "course": lesson_course(attempt.lesson),
        "left": (attempt.quiz.max_attempts - used) if attempt.quiz.max_attempts else None,
    }


def lessons_playing_document(document_id: int) -> list[LessonPage]:
    """Lessons (live or draft) whose video block plays this document (an MP4 made
    before the media pipeline). Read from the bodies themselves, not Wagtail's
    reference index, which a task updates later: a new lesson is protected at once."""
    from django.db.models import TextField
    from django.db.models.functions import Cast

    wanted = int(document_id)
    # A textual match narrows the candidates in SQL; the raw blocks decide.
    candidates = LessonPage.objects.annotate(body_text=Cast("body", TextField()))
    candidates = candidates.filter(body_text__contains=str(wanted))
    found = []
    for lesson in candidates:
        for block in lesson.body.raw_data:
            value = block["value"] if isinstance(block["value"], dict) else {}
            if block["type"] == "video" and str(value.get("video") or "") == str(wanted):
                found.append(lesson)
                break
    return found


def document_video_access(*, document, request) -> str:
    """Whether the viewer of ``request`` may fetch ``document`` as a lesson's video:
    ``free`` when no lesson plays it, ``ok`` when they may follow one of those lessons
    (enrolled, lesson unlocked, the page's view restrictions passed; editors always),
    ``denied`` otherwise."""
    lessons = lessons_playing_document(document.pk)
    if not lessons:
        return "free"
    user = request.user
    if can_manage(user):
        return "ok"
    for lesson in lessons:
        if not lesson.live or not all(r.accept_request(request) for r in lesson.get_view_restrictions()):
            continue
        if lesson_access(lesson=lesson, user=user)["access"] == "ok":
            return "ok"
    return "denied"


# --- Heartbeats ----------------------------------------------------------------------


@dataclass(frozen=True)
class HeartbeatTarget:
    """What a heartbeat needs to know about its lesson, the same for every learner.

    ``duration`` is the video's length as the server measured it (the pipeline's probe of
    a recording, or the probe of an MP4 document when it was stored), None until then.
    ``earlier_required`` lists the translation keys of the required lessons before this one in a
    sequential module; ``lesson_key`` and ``course_key`` are the lesson's and module's (progress
    and enrolment are shared by all translations).
    """

    lesson_id: int
    course_id: int
    rule: str
    duration: float | None
    earlier_required: tuple[UUID, ...]
    lesson_key: UUID
    course_key: UUID


#: Heartbeats arrive every few seconds from every learner watching: the lesson's facts are
#: kept this long per process, so a beat reads nothing but the learner's own rows. A publish,
#: an unpublish or a finished probe reaches the beats within this delay.
HEARTBEAT_TARGET_SECONDS = 30


def video_duration(lesson: LessonPage) -> float | None:
    """The server-side duration of the lesson's (first) video, None while it is unknown (one or two queries)."""
    from media_pipeline import get_media_model

    from .models import VideoDocumentProbe

    block = next((b for b in lesson.body.raw_data if b["type"] == "video" and isinstance(b["value"], dict)), None)
    if block is None:
        return None
    duration = None
    if block["value"].get("recording"):
        # The pipeline stores ffprobe's answer in ``probe`` and its duration beside it; a
        # duration typed in wagtailmedia's form before any probe is not a measurement.
        asset = get_media_model().objects.filter(pk=block["value"]["recording"]).exclude(probe={}).first()
        duration = asset.duration if asset is not None else None
    if not duration and block["value"].get("video"):  # an MP4 document, or the fallback of a recording
        probe = VideoDocumentProbe.objects.filter(document_id=block["value"]["video"]).first()
        duration = probe.duration if probe is not None else None
    return float(duration) if duration and duration > 0 else None


def heartbeat_target(*, lesson_id: int) -> HeartbeatTarget | None:
    """The facts of a live lesson for heartbeats (cached per process), or None when it is not live."""
    from django.core.cache import cache

    key = f"lessons:heartbeat-target:{lesson_id}"
    target = cache.get(key)
    if target is None:
        target = _heartbeat_target(lesson_id) or False
        cache.set(key, target, HEARTBEAT_TARGET_SECONDS)
    return target or None


def _heartbeat_target(lesson_id: int) -> HeartbeatTarget | None:
    lesson = LessonPage.objects.live().filter(pk=lesson_id).first()
    if lesson is None:
        return None
    course = lesson_course(lesson)
    earlier: tuple[UUID, ...] = ()
    if course.sequential:
        earlier = tuple(
            LessonPage.objects.live().child_of(course).filter(path__lt=lesson.path, required=True)
            .order_by("path").values_list("translation_key", flat=True)
        )
    return HeartbeatTarget(
        lesson_id=lesson.pk, course_id=course.pk, rule=lesson.effective_rule(), duration=video_duration(lesson),
        earlier_required=earlier, lesson_key=lesson.translation_key, course_key=course.translation_key,
    )


@cache
def _beat_row_sql(vendor: str) -> str:
    """The SQL of ``beat_progress`` for the database ``vendor``, from the models' table and column names."""
    quote = connection.ops.quote_name
    progress, enrolment = LessonProgress._meta, Enrolment._meta
    columns = ", ".join(f"p.{quote(field.column)}" for field in progress.concrete_fields)
    last, user, status = quote("last_activity_at"), quote("user_id"), quote("status")
    # Only the models' own identifiers, quoted by the backend, go into the text; values are parameters.
    sql = f"SELECT {columns}, CASE WHEN e.{last} IS NULL OR e.{last} <= %s THEN 1 ELSE 0 END AS touch_due"  # noqa: S608
    sql += f" FROM {quote(enrolment.db_table)} e LEFT JOIN {quote(progress.db_table)} p"
    sql += f" ON p.{user} = e.{user} AND p.{quote('lesson_key')} = %s"
    return sql + f" WHERE e.{user} = %s AND e.{quote('course_key')} = %s AND e.{status} = %s"


def beat_progress(*, user_id: int, target: HeartbeatTarget, touch_before: datetime) -> tuple[LessonProgress | None, bool] | None:
    """What a heartbeat reads, in one indexed query: the learner's progress row and whether the
    enrolment's last activity is older than ``touch_before``.

    None when the learner has no active enrolment in the module; ``(None, touch_due)`` when
    enrolled but without a progress row yet. The row is not locked: the beat writes it back
    only if it is unchanged (``services._save_beat``). Raw SQL because the ORM spends ten
    times the query's own cost building it (0.9 ms of a 4 ms beat, measured), on the request
    every learner watching sends every few seconds; the models' fields still convert every
    value and parameter, so it is the same on SQLite and PostgreSQL.
    """
    progress, enrolment = LessonProgress._meta, Enrolment._meta
    params = [
        enrolment.get_field("last_activity_at").get_db_prep_value(touch_before, connection),
        progress.get_field("lesson_key").get_db_prep_value(target.lesson_key, connection),
        user_id,
        enrolment.get_field("course_key").get_db_prep_value(target.course_key, connection),
        Enrolment.Status.ACTIVE,
    ]
    rows = list(LessonProgress.objects.raw(_beat_row_sql(connection.vendor), params))
    if not rows:
        return None
    row = rows[0]
    # The join found the enrolment but no progress: RawQuerySet still made an (empty) instance.
    return (row if row.pk is not None else None), bool(row.touch_due)


def module_progress(*, user_ids, courses) -> dict[tuple[int, int], dict]:
    """Lessons completed out of each module's live lessons, per (user id, module id): two queries for
    any number of people and modules (the training-of-trainers cohort page reads it)."""
    courses = list(courses)
    totals = {course.pk: 0 for course in courses}
    by_path = {course.path: course.pk for course in courses}
    for lesson in module_lessons(courses):
        totals[by_path[lesson.path[: -LessonPage.steplen]]] += 1
    done = (
        LessonProgress.objects.filter(user_id__in=list(user_ids), course_id__in=list(totals),
                                      status=LessonProgress.Status.COMPLETED)
        .values("user_id", "course_id").annotate(n=Count("pk")).order_by()
    )
    counts = {(row["user_id"], row["course_id"]): row["n"] for row in done}
    return {
        (user_id, course_id): {
            "completed": counts.get((user_id, course_id), 0), "total": total,
            "percent": round(100 * counts.get((user_id, course_id), 0) / total) if total else 0,
        }
        for user_id in user_ids for course_id, total in totals.items()
    }
