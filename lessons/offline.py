"""Reads for offline lessons: what a learner's browser stores to follow a lesson without a connection.

The lesson page's "Download for offline" asks :func:`offline_manifest` for the files a lesson
needs beyond its page: for each video, the audio-only track and the 360p MP4 with their sizes
(the learner chooses one, seeing the size first), the poster, the documents, and the quizzes
that can be answered offline (untimed ones; their open attempt's page). The page's own
stylesheets, scripts, images and fonts are collected by the browser from the page itself.

Recordings' links are signed and expire (``media_pipeline.delivery``): the manifest says when,
the browser stores the files before that moment, and the service worker then plays its stored
copy without asking the server, so expiry is checked when a file is stored, not when it is
played offline.
"""

from __future__ import annotations

import time

from django.urls import reverse

from .models import LessonPage, Quiz, QuizAttempt

#: Access levels that may store a lesson: an enrolled learner's unlocked lesson, or an editor's.
OFFLINE_ACCESS = ("ok", "manage")


def _size(name: str) -> int | None:
    from media_pipeline.storage import storage

    try:
        return int(storage().size(name))
    except (OSError, NotImplementedError, ValueError):
        return None


def _document_size(document) -> int | None:
    """A document's size: Wagtail's stored figure, else the file's (read, never written back: a GET writes nothing)."""
    if document.file_size:
        return document.file_size
    try:
        return int(document.file.size)
    except (OSError, ValueError):
        return None


def _recording_choices(recording, *, user) -> tuple[list[dict], str, int | None]:
    """The audio-only and 360p MP4 choices of a recording, its poster URL and the links' expiry."""
    from media_pipeline import delivery
    from media_pipeline.selectors import player_sources

    sources = player_sources(recording, signed=True, user=user)
    if sources is None:  # still being encoded
        return [], "", None
    encode = recording.current_encode
    choices = []
    if sources["audio_file"]:
        choices.append({"kind": "audio", "url": sources["audio_file"], "bytes": _size(encode.audio)})
    if sources["mp4"]:
        choices.append({"kind": "mp4", "url": sources["mp4"], "bytes": _size(encode.mp4)})
    expires = int(time.time()) + delivery.token_lifetime(recording)
    return choices, sources["poster"], expires


def _video_entry(value, *, user) -> tuple[dict, int | None]:
    recording, document = value.get("recording"), value.get("video")
    if recording is not None:
        choices, poster, expires = _recording_choices(recording, user=user)
        return {"choices": choices, "poster": poster}, expires
    if document is not None:
        url = reverse("lessons:video", args=[document.pk])
        return {"choices": [{"kind": "mp4", "url": url, "bytes": _document_size(document)}], "poster": ""}, None
    return {"choices": [], "poster": ""}, None


def _quiz_entry(quiz: Quiz, attempts: list) -> dict:
    """Whether a quiz can be answered offline, and its open attempt's page."""
    finished = [a for a in attempts if a.status != QuizAttempt.Status.OPEN]
    attempt = next((a for a in attempts if a.status == QuizAttempt.Status.OPEN), None)
    left = quiz.max_attempts - len(finished) if quiz.max_attempts else None
    # A timed quiz's clock runs on the server: answers arriving once the connection returns
    # would be late, so those quizzes need a connection. So do passed or used-up ones.
    offline = not quiz.time_limit_minutes and not any(a.passed for a in finished) and (
        attempt is not None or left is None or left > 0
    )
    return {
        "id": quiz.pk,
        "offline": offline,
        "attempt_url": reverse("lessons:attempt", args=[attempt.pk]) if offline and attempt is not None else "",
    }


def offline_manifest(*, lesson: LessonPage, user, access: dict) -> dict:
    """What the browser stores for ``lesson`` (``access`` from ``selectors.lesson_access``).

    URLs are relative to the site, in the current language. ``expires`` is the earliest
    moment a signed link stops working (None when no link expires): store before it.
    """
    from .selectors import quiz_states

    videos, documents, quizzes, expiries = [], [], [], []
    attempts = quiz_states(lesson=lesson, user=user)
    for block in lesson.body:
        if block.block_type == "video":
            entry, expires = _video_entry(block.value, user=user)
            videos.append(entry)
            if expires is not None:
                expiries.append(expires)
        elif block.block_type == "document" and block.value.get("document"):
            document = block.value["document"]
            documents.append({"url": document.url, "bytes": _document_size(document), "title": document.title})
        elif block.block_type == "quiz" and block.value.get("quiz") is not None and block.value["quiz"].live:
            quiz = block.value["quiz"]
            quizzes.append(_quiz_entry(quiz, attempts.get(lesson.quiz_slot(quiz.pk), [])))
    return {
        "lesson": lesson.pk,
        "title": lesson.title,
        "url": lesson.get_url(),
        "course": access["course"].title,
        "videos": videos,
        "documents": documents,
        "quizzes": quizzes,
        "expires": min(expiries) if expiries else None,
    }
