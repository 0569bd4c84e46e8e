"""Read queries for lesson pages (a fixed number of queries per page)."""

from collections import defaultdict

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
