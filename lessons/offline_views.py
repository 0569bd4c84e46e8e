"""Offline lessons: the service worker, a lesson's offline manifest and the "My downloads" page.

What is stored lives in the learner's browser (Cache Storage and IndexedDB), not on the server:
"My downloads" is a page whose list the browser draws from its own storage, and which the
service worker keeps so that it opens with the connection off (static/js/offline*.js).
"""

import json
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from .models import QuizAttempt
from .offline import OFFLINE_ACCESS, given_answers, offline_file_url, offline_manifest
from .offline_services import replay_prune_schedule
from .services import quiz_answers_graded, quiz_attempt_submit, quiz_attempts_open_offline
from .views import _json_error, _learner_language, learner_lesson

SW_SOURCE = "js/offline-sw.js"

#: The words of the offline chooser and of "My downloads", drawn by static/js/offline-download.js:
#: sent with the manifest (the lesson page stays light) and written on "My downloads" as data-*.
LABELS = {
    "label-audio": gettext_lazy("Audio only"),
    "label-mp4": gettext_lazy("Video (360p)"),
    "label-video": gettext_lazy("Video"),
    "label-documents": gettext_lazy("Documents"),
    "label-page": gettext_lazy("The lesson, its images and its quiz"),
    "label-total": gettext_lazy("Total to download"),
    "label-store": gettext_lazy("Download"),
    "label-cancel": gettext_lazy("Cancel"),
    "label-working": gettext_lazy("Downloading…"),
    "label-done": gettext_lazy("Stored on this device."),
    "label-failed": gettext_lazy("The download failed; nothing was stored. Try again with a connection."),
    "label-timed": gettext_lazy("Quizzes with a time limit need a connection."),
    "label-remove": gettext_lazy("Remove from this device"),
    "label-removed": gettext_lazy("Removed from this device."),
    "label-stored-on": gettext_lazy("Stored on"),
    "label-empty": gettext_lazy("No lesson is stored on this device yet."),
    "label-used": gettext_lazy("Space used on this device"),
    "label-refused": gettext_lazy("These quiz answers, given offline, were not accepted:"),
    "label-answers": gettext_lazy("Your answers"),
    "label-unanswered": gettext_lazy("(no answer)"),
    "label-dismiss": gettext_lazy("Dismiss"),
    "unit-kb": gettext_lazy("KB"),
    "unit-mb": gettext_lazy("MB"),
}


def _camel(name: str) -> str:
    # The name a data-* attribute has in the browser's element.dataset: label-stored-on → labelStoredOn.
    first, *rest = name.split("-")
    return first + "".join(part.title() for part in rest)


def _worker_source() -> str:
    # The source tree's file (development, tests) or the collected copy (production).
    path = finders.find(SW_SOURCE)
    if path:
        return Path(path).read_text(encoding="utf-8")
    with staticfiles_storage.open(SW_SOURCE) as handle:
        return handle.read().decode("utf-8")


@require_GET
def service_worker(request):
    """GET /offline-sw.js: the service worker, served from the site's root so that its scope is
    the whole site (a script under /static/ could only control /static/).

    Its first line tells it where its IndexedDB helper is (``offline.js``, which the lesson page
    loads too; the hashed static name in production).
    Never cached for long: a browser checks it on each visit and picks up a new version.
    """
    config = {"db": static("js/offline.js")}
    body = f"self.TAKWIN_OFFLINE = {json.dumps(config)};\n" + _worker_source()
    response = HttpResponse(body, content_type="text/javascript; charset=utf-8")
    response["Cache-Control"] = "no-cache"
    response["Service-Worker-Allowed"] = "/"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_http_methods(["GET", "POST"])
def lesson_offline(request, lesson_id: int):
    """/learn/offline/<lesson_id>/: what the browser stores to follow the lesson offline (JSON).

    GET reads (the sizes shown before the learner chooses); POST first opens an attempt at each
    untimed quiz the learner may still take, so that its page can be stored too, then answers
    the same. Errors are JSON with a message in the page's language.
    """
    with translation.override(_learner_language(request) or settings.LANGUAGE_CODE):
        lesson, access, refused = learner_lesson(request, lesson_id, allowed=OFFLINE_ACCESS)
        if refused is not None:
            return refused
        if request.method == "POST" and access["access"] == "ok":
            try:
                quiz_attempts_open_offline(user=request.user, lesson=lesson, course_id=access["course"].pk)
            except PermissionDenied:
                return _json_error(_("You cannot follow this lesson."), 403, "forbidden")
            # Stored lessons replay beats with receipts: keep those from piling up.
            replay_prune_schedule()
        manifest = offline_manifest(lesson=lesson, user=request.user, access=access)
        manifest["labels"] = {_camel(name): str(text) for name, text in LABELS.items()}
        response = JsonResponse(manifest)
    response["Cache-Control"] = "private, no-store"
    return response


@require_GET
def downloads(request):
    """/my/downloads/: the lessons stored on this device, with their sizes; each can be removed.

    The list is drawn by the browser from its own storage (nothing about it is on the server),
    so the page is the same for everyone and is itself stored for offline use.
    """
    return render(request, "lessons/downloads.html", {"labels": LABELS})



@require_GET
def offline_file(request, lesson_id: int, recording_id: int, kind: str):
    """/learn/offline/<lesson>/file/<recording>/<kind>/: one file of a lesson's recording (the
    audio-only track, the 360p MP4 or the poster) for those who may store the lesson.

    A redirect to a fresh signed link (S3's presigned URL, CloudFront's, or the token file view on
    local disk): the file itself never passes through a web worker, whose few processes a slow
    phone would hold for minutes, and the phone downloads it once. The browser stores the answer
    under this address, which stays the same whatever the storage's link.
    """
    with translation.override(_learner_language(request) or settings.LANGUAGE_CODE):
        lesson, _access, refused = learner_lesson(request, lesson_id, allowed=OFFLINE_ACCESS)
        if refused is not None:
            return refused
        url = offline_file_url(lesson=lesson, recording_id=recording_id, kind=kind, user=request.user)
        if url is None:
            return _json_error(_("This file is not part of this lesson."), 404, "not_found")
    response = redirect(url)
    response["Cache-Control"] = "private, no-store"
    return response


def replayed_answers(request, attempt: QuizAttempt) -> JsonResponse:
    """Quiz answers sent again by the service worker once the connection returned (POST
    /learn/attempt/<id>/ with ``X-Takwin-Replay-Id``), answered in JSON for it to read.

    Graded now, or already graded with these very answers (the first answer was lost): 200,
    ``outcome`` "graded". Refused (the attempt closed meanwhile, the time ran out, the quiz
    changed, answers that do not match it, no longer enrolled): 409, ``outcome`` "refused" with
    the reason in the page's language and the answers as the learner gave them, which the
    browser keeps in view until the learner dismisses them.
    """
    data = dict(request.POST.lists())
    try:
        if attempt.status != QuizAttempt.Status.OPEN:
            if quiz_answers_graded(attempt=attempt, data=data):
                return _graded(attempt)
            raise ValidationError(_("This attempt has already been submitted."), code="closed")
        quiz_attempt_submit(attempt=attempt, user=request.user, data=data)
    except ValidationError as error:
        code, message = error.error_list[0].code or "invalid", " ".join(error.messages)
    except PermissionDenied as error:
        code, message = "forbidden", str(error) or _("You cannot follow this lesson.")
    else:
        return _graded(attempt)
    attempt.refresh_from_db()
    closed = attempt.status != QuizAttempt.Status.OPEN
    return JsonResponse({
        "ok": False, "outcome": "refused", "error": code, "message": message,
        "quiz": attempt.quiz.title, "lesson": attempt.lesson.title, "lesson_url": attempt.lesson.get_url(request),
        "result_url": reverse("lessons:attempt_result", args=[attempt.pk]) if closed else "",
        "answers": given_answers(attempt=attempt, data=data),
    }, status=409)


def _graded(attempt: QuizAttempt) -> JsonResponse:
    return JsonResponse({"ok": True, "outcome": "graded", "percent": attempt.percent, "passed": attempt.passed,
                         "result_url": reverse("lessons:attempt_result", args=[attempt.pk])})
