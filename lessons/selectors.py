"""Read queries for lesson pages (a fixed number of queries per page)."""

from collections import defaultdict
from dataclasses import dataclass

from .models import LessonPage, QuizAttempt


def lesson_course(lesson: LessonPage):
    """The module a lesson belongs to (its parent page), in one query."""
    from courses.models import CoursePage

    return CoursePage.objects.select_related("locale").get(path=lesson.path[: -LessonPage.steplen])


def can_manage(user) -> bool:
    return user.is_authenticated and user.has_perm("wagtailadmin.access_admin")


def lesson_access(*, lesson: LessonPage, user) -> dict:
    """Whether ``user`` may follow ``lesson``, and the module outline around it.

    ``access`` is ``ok``, ``login`` (anonymous), ``enrol`` (not enrolled) or ``locked``
    (sequential module, earlier lessons unfinished). Editors may always read.
    """
    from courses.selectors import course_outline

    course = lesson_course(lesson)
    data = course_outline(course=course, user=user)
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


def quiz_states(*, lesson: LessonPage, user) -> dict[int, dict]:
    """Per embedded quiz: the learner's attempts, the open one, whether passed, attempts left."""
    if not user.is_authenticated:
        return {}
    attempts = defaultdict(list)
    for attempt in QuizAttempt.objects.filter(user=user, lesson=lesson).order_by("number"):
        attempts[attempt.quiz_id].append(attempt)
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
            mine = attempts.get(quiz.pk, [])
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


def lesson_attachment_parts(lesson: LessonPage) -> list[tuple[str, str]]:
    """``(title, text)`` of what the lesson publishes besides its body's text: the extracted
    text of its documents, then its recordings' captions (the lesson's language first).
    A constant number of queries whatever the number of blocks."""
    from media_pipeline.selectors import recordings_caption_text
    from search.selectors import document_texts

    document_ids, recording_ids = [], []
    for block in lesson.body.raw_data:
        value = block["value"] if isinstance(block["value"], dict) else {}
        if block["type"] == "document" and value.get("document"):
            document_ids.append(value["document"])
        elif block["type"] == "video" and value.get("recording"):
            recording_ids.append(value["recording"])
    texts = document_texts(document_ids)
    parts = [(texts[int(pk)].title, texts[int(pk)].text) for pk in dict.fromkeys(document_ids) if int(pk) in texts]
    parts += recordings_caption_text(recording_ids, language=lesson.locale.language_code)
    return parts


# --- Heartbeats ----------------------------------------------------------------------


@dataclass(frozen=True)
class HeartbeatTarget:
    """What a heartbeat needs to know about its lesson, the same for every learner.

    ``duration`` is the video's length as the server measured it (the pipeline's probe of
    a recording, or the probe of an MP4 document when it was stored), None until then.
    ``earlier_required`` lists the required lessons before this one in a sequential module.
    """

    lesson_id: int
    course_id: int
    rule: str
    duration: float | None
    earlier_required: tuple[int, ...]


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
    earlier: tuple[int, ...] = ()
    if course.sequential:
        earlier = tuple(
            LessonPage.objects.live().child_of(course).filter(path__lt=lesson.path, required=True)
            .order_by("path").values_list("pk", flat=True)
        )
    return HeartbeatTarget(
        lesson_id=lesson.pk, course_id=course.pk, rule=lesson.effective_rule(), duration=video_duration(lesson),
        earlier_required=earlier,
    )
