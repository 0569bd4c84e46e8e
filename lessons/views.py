"""Learner endpoints of the lessons app: the lesson page, heartbeats, quiz attempts, video files."""

import json
import math
import mimetypes
import uuid

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.utils.translation import get_supported_language_variant
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from wagtail.documents import get_document_model

from .models import LessonPage, Quiz, QuizAttempt
from .selectors import attempt_form_data, attempt_result_data, lesson_access, lesson_view_pending
from .services import progress_mark_viewed, progress_record_heartbeat, quiz_attempt_start, quiz_attempt_submit


def serve_lesson(page: LessonPage, request, *args, **kwargs):
    """Serve a lesson: work out access once, render. A GET never writes.

    The visit ("viewed", a lesson completed by opening it, the enrolment's last activity) is
    recorded by the page's script posting once to ``lesson_viewed``, and only when the visit
    would change something (``selectors.lesson_view_pending``): page views never queue on the
    database's write lock.
    """
    if getattr(request, "is_preview", False):
        return super(LessonPage, page).serve(request, *args, **kwargs)
    get_token(request)  # the player's heartbeats read the CSRF cookie
    access = lesson_access(lesson=page, user=request.user)
    access["view_pending"] = access["access"] == "ok" and lesson_view_pending(lesson=page, access=access)
    request._lesson_access = access
    return super(LessonPage, page).serve(request, *args, **kwargs)


@require_POST
def lesson_viewed(request, lesson_id: int):
    """POST /api/progress/<lesson_id>/view/: the page's one beat on load, recording the visit.

    Marks the lesson "viewed" (completing it when its rule is opening it) and notes the
    enrolment's activity. Answers JSON, in the page's language on errors.
    """
    with translation.override(_learner_language(request) or settings.LANGUAGE_CODE):
        lesson, access, refused = learner_lesson(request, lesson_id)
        if refused is not None:
            return refused
        progress = progress_mark_viewed(user=request.user, lesson=lesson, course_id=access["course"].pk)
        return JsonResponse({"ok": True, "status": progress.status, "completed": progress.is_completed})


def learner_lesson(request, lesson_id: int, *, allowed: tuple[str, ...] = ("ok",)):
    """The preamble of the learner's JSON endpoints on one lesson: signed in, the lesson live,
    its access (``selectors.lesson_access``) among ``allowed``.

    Returns ``(lesson, access, None)``, or ``(None, None, error)`` with a JSON error response in
    the active language (401, 404 or 403).
    """
    if not request.user.is_authenticated:
        return None, None, _json_error(_("Log in to save your progress."), 401, "login")
    lesson = LessonPage.objects.live().filter(pk=lesson_id).first()
    if lesson is None:
        return None, None, _json_error(_("This lesson does not exist."), 404, "not_found")
    access = lesson_access(lesson=lesson, user=request.user)
    if access["access"] not in allowed:
        return None, None, _json_error(_("You cannot follow this lesson."), 403, "forbidden")
    return lesson, access, None


def _json_error(message: str, status: int = 400, code: str = "invalid") -> JsonResponse:
    return JsonResponse({"ok": False, "error": code, "message": str(message)}, status=status)


def _learner_language(request) -> str:
    """The language for the heartbeat's messages: the page's (sent by the player), else the learner's."""
    first = request.headers.get("Accept-Language", "").split(",")[0].split(";")[0].strip()
    try:
        return get_supported_language_variant(first) if first else ""
    except LookupError:
        pass
    return getattr(request.user, "preferred_language", "") or settings.LANGUAGE_CODE


@require_POST
def progress_heartbeat(request, lesson_id: int):
    """The heartbeat endpoint, answering in the learner's language."""
    # /api/ is outside the i18n prefixes, where Django always picks the default language.
    with translation.override(_learner_language(request) or settings.LANGUAGE_CODE):
        return _progress_heartbeat(request, lesson_id)


#: The header carrying a client-generated id on requests replayed by the offline service worker.
REPLAY_HEADER = "X-Takwin-Replay-Id"


def replay_key(request) -> uuid.UUID | None:
    """The replay id of a request sent again by the offline service worker (None when absent).

    Raises ValueError when the header is there but is not a UUID.
    """
    raw = request.headers.get(REPLAY_HEADER)
    if raw is None:
        return None
    if len(raw) > 64:
        raise ValueError("replay id too long")
    return uuid.UUID(raw.strip())


def _bounded_int(text: str) -> int:
    # A player sends seconds: an integer of more than 15 digits is forged, and one of
    # hundreds of digits cannot even become a float.
    if len(text.lstrip("-")) > 15:
        raise ValueError("number out of range")
    return int(text)


def _finite_float(text: str) -> float:
    number = float(text)
    if not math.isfinite(number):  # 1e999 parses as infinity
        raise ValueError("number out of range")
    return number


def _no_constant(name: str):
    raise ValueError(f"{name} is not a number")


def parse_heartbeat(raw: bytes | str) -> dict | None:
    """A heartbeat's JSON object with bounded numbers (no NaN, infinity or 400-digit integers), or None."""
    try:
        payload = json.loads(raw or b"{}", parse_int=_bounded_int, parse_float=_finite_float, parse_constant=_no_constant)
    except (ValueError, UnicodeDecodeError, RecursionError):
        return None
    return payload if isinstance(payload, dict) else None


def _progress_heartbeat(request, lesson_id: int):
    """POST /api/progress/<lesson_id>/: record where the video is and which seconds were watched.

    JSON body ``{"position": s, "duration": s, "ranges": [[start, end], ...]}``; CSRF through the
    ``X-CSRFToken`` header. Answers JSON, with a message in the learner's language on errors.
    Reads only the learner's own rows (the lesson's facts are cached, see
    ``selectors.heartbeat_target``, read once by the service: an unknown lesson is its
    ``not_found``, a 404) and writes one: a beat arrives every few seconds from everyone watching.
    """
    if not request.user.is_authenticated:
        return _json_error(_("Log in to save your progress."), 401, "login")
    length = request.META.get("CONTENT_LENGTH") or "0"
    if not length.isascii() or not length.isdigit() or int(length) > 64 * 1024:
        return _json_error(_("This heartbeat is too large."), 413, "too_large")
    if request.content_type in ("multipart/form-data", "application/x-www-form-urlencoded"):
        # navigator.sendBeacon cannot set the X-CSRFToken header: it posts a form instead.
        payload = parse_heartbeat(request.POST.get("data") or "{}")
    else:
        payload = parse_heartbeat(request.body)
    if payload is None:
        return _json_error(_("The heartbeat is not valid JSON."))
    try:
        key = replay_key(request)
    except ValueError:
        return _json_error(_("This request id is not valid."), 400, "replay_id")
    try:
        progress = progress_record_heartbeat(
            user=request.user, lesson=lesson_id, replay_key=key,
            position=payload.get("position"), duration=payload.get("duration"), ranges=payload.get("ranges", []),
        )
    except PermissionDenied:
        return _json_error(_("You cannot follow this lesson."), 403, "forbidden")
    except ValidationError as error:
        code = error.error_list[0].code or "invalid"
        return _json_error(" ".join(error.messages), 404 if code == "not_found" else 400, code)
    return JsonResponse({
        "ok": True, "status": progress.status, "percent": progress.percent, "position": progress.position,
        "seconds_watched": progress.seconds_watched, "completed": progress.is_completed,
    })


@require_GET
def video_file(request, document_id: int):
    """A lesson's MP4 document, for those who may follow a lesson that plays it (the
    same access as the lesson: enrolment, unlocked, view restrictions; editors always),
    404 for anyone else. Byte ranges are streamed in bounded chunks so that players can
    seek; on remote storage, a redirect to the file's short-lived signed URL."""
    from media_pipeline.delivery import ranged_file_response
    from media_pipeline.storage import is_local

    from .selectors import document_video_access

    document = get_object_or_404(get_document_model(), pk=document_id)
    if not document.file.name.lower().endswith((".mp4", ".webm", ".m4v")):
        raise Http404
    if document_video_access(document=document, request=request) != "ok":
        raise Http404
    if not is_local():
        response = redirect(document.file.url)
        response["Cache-Control"] = "private, no-store"
        return response
    try:
        size = document.file.size
        handle = document.file.open("rb")
    except (FileNotFoundError, OSError):
        raise Http404 from None
    content_type = mimetypes.guess_type(document.file.name)[0] or "video/mp4"
    response = ranged_file_response(request, handle, size=size, content_type=content_type)
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_POST
def quiz_start(request, quiz_id: int, lesson_id: int):
    """Start (or resume) an attempt at a quiz embedded in a lesson."""
    lesson = get_object_or_404(LessonPage.objects.live(), pk=lesson_id)
    quiz = get_object_or_404(Quiz.objects.filter(live=True), pk=quiz_id)  # never a quiz waiting for review
    access = lesson_access(lesson=lesson, user=request.user)
    if access["access"] != "ok":
        raise PermissionDenied(_("Enrol in this module first."))
    try:
        attempt = quiz_attempt_start(user=request.user, quiz=quiz, lesson=lesson, course_id=access["course"].pk)
    except ValidationError as error:
        from django.contrib import messages

        messages.error(request, " ".join(error.messages))
        return redirect(lesson.get_url(request))
    return redirect("lessons:attempt", pk=attempt.pk)


def _own_attempt(request, pk: int) -> QuizAttempt:
    attempt = get_object_or_404(QuizAttempt.objects.select_related("quiz", "lesson"), pk=pk)
    if attempt.user_id != request.user.pk:
        raise Http404
    return attempt


@login_required
@require_http_methods(["GET", "POST"])
def attempt_view(request, pk: int):
    """Show an open attempt (GET) or grade it (POST); the page never holds the correct answers.
    Answers replayed by the offline service worker get JSON (``offline_views.replayed_answers``)."""
    attempt = _own_attempt(request, pk)
    if request.method == "POST" and REPLAY_HEADER in request.headers:
        from .offline_views import replayed_answers  # offline_views builds on this module

        return replayed_answers(request, attempt)
    if attempt.status != QuizAttempt.Status.OPEN:
        return redirect("lessons:attempt_result", pk=attempt.pk)
    error = None
    if request.method == "POST":
        try:
            quiz_attempt_submit(attempt=attempt, user=request.user, data=dict(request.POST.lists()))
        except (ValidationError, PermissionDenied) as exc:
            error = " ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
            attempt.refresh_from_db()
            if attempt.status != QuizAttempt.Status.OPEN:
                from django.contrib import messages

                messages.error(request, error)
                return redirect("lessons:attempt_result", pk=attempt.pk)
        else:
            return redirect("lessons:attempt_result", pk=attempt.pk)
    context = {**attempt_form_data(attempt=attempt), "error": error, "posted": request.POST if error else {}}
    return render(request, "lessons/quiz_attempt.html", context, status=400 if error else 200)


@login_required
@require_GET
def attempt_result(request, pk: int):
    """The grade of a finished attempt, with feedback and (when allowed) the correct answers."""
    attempt = _own_attempt(request, pk)
    if attempt.status == QuizAttempt.Status.OPEN:
        return redirect("lessons:attempt", pk=attempt.pk)
    return render(request, "lessons/quiz_result.html", attempt_result_data(attempt=attempt))
