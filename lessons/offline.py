"""Reads for offline lessons: what a learner's browser stores to follow a lesson without a connection.

The lesson page's "Download for offline" asks :func:`offline_manifest` for the files a lesson
needs beyond its page: for each video, the audio-only track and the 360p MP4 with their sizes
(the learner chooses one, seeing the size first), the poster, the documents, and the quizzes
that can be answered offline (untimed ones; their open attempt's page). The page's own
stylesheets, scripts, images and fonts are collected by the browser from the page itself.

Recordings' links are signed and expire (``media_pipeline.delivery``), and on S3 they point at
the bucket, another origin than the site's. The manifest therefore names each recording's file
by a route of this site (``lessons:offline_file``), which checks the lesson's access and
redirects to a fresh signed link: the browser follows it when storing (reading S3 with CORS, see
``media_pipeline.storage.bucket_cors_set``), keeps the copy under the route's address, and the
service worker then plays that copy without asking anyone. Expiry is checked when a file is
stored, not when it is played offline.
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


#: The files of a recording a learner may store, by kind: the encode's field naming each.
RECORDING_FILES = ("audio", "mp4", "poster")


def _recording_choices(recording, *, lesson: LessonPage) -> tuple[list[dict], str, int | None]:
    """The audio-only and 360p MP4 choices of a recording, its poster URL and the links' expiry.

    The URLs are this site's ``lessons:offline_file`` route, never the storage's own link: the
    browser fetches each file through it when storing (a fresh signed link, on local disk or
    S3), and the service worker keeps the copy under that one stable, same-origin address.
    """
    from media_pipeline import delivery

    encode = recording.current_encode
    if not recording.is_playable or encode is None:  # still being encoded
        return [], "", None

    def url(kind):
        return reverse("lessons:offline_file", args=[lesson.pk, recording.pk, kind])

    choices = [{"kind": kind, "url": url(kind), "bytes": _size(getattr(encode, kind))}
               for kind in ("audio", "mp4") if getattr(encode, kind)]
    expires = int(time.time()) + delivery.token_lifetime(recording)
    return choices, url("poster") if encode.poster else "", expires


def _video_entry(value, *, lesson: LessonPage) -> tuple[dict, int | None]:
    recording, document = value.get("recording"), value.get("video")
    if recording is not None:
        choices, poster, expires = _recording_choices(recording, lesson=lesson)
        return {"choices": choices, "poster": poster}, expires
    if document is not None:
        url = reverse("lessons:video", args=[document.pk])
        return {"choices": [{"kind": "mp4", "url": url, "bytes": _document_size(document)}], "poster": ""}, None
    return {"choices": [], "poster": ""}, None


def offline_file_url(*, lesson: LessonPage, recording_id: int, kind: str, user) -> str | None:
    """A fresh signed link to one file (``RECORDING_FILES``) of a recording that ``lesson`` plays,
    for ``user``: the storage's presigned URL on S3 (or CloudFront's), the token file view on
    local disk. None when the lesson plays no such recording or the file does not exist."""
    from media_pipeline import delivery

    if kind not in RECORDING_FILES:
        return None
    recording = next(
        (block.value["recording"] for block in lesson.body
         if block.block_type == "video" and getattr(block.value.get("recording"), "pk", None) == recording_id),
        None,
    )
    if recording is None or not recording.is_playable or not getattr(recording.current_encode, kind):
        return None
    encode = recording.current_encode
    token = delivery.make_token(recording, signed=True, user=user)
    return delivery.signed_file_url(getattr(encode, kind), token=token, encode_prefix=encode.prefix,
                                    seconds=delivery.token_lifetime(recording))


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
            entry, expires = _video_entry(block.value, lesson=lesson)
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


def given_answers(*, attempt: QuizAttempt, data) -> list[dict]:
    """The answers of a submission the server refused, as the learner sees them: each question's
    text and the options chosen by their labels (ordering items in the order given), so that
    the learner can read what was not accepted. ``data`` is the form's fields (lists of values)."""
    from .models import Question
    from .selectors import attempt_questions

    rows = []
    for row in attempt_questions(attempt):
        labels = {option["id"]: option["text"] for option in row["options"]}
        if row["question"].kind == Question.Kind.ORDERING:
            given = []
            for option in row["options"]:
                position = (data.get(f"{row['field']}-{option['id']}") or [""])[0]
                if position.isascii() and position.isdigit():
                    given.append((int(position), option["text"]))
            chosen = [text for _position, text in sorted(given)]
        else:
            chosen = [labels.get(value, value) for value in data.get(row["field"], []) if value]
        rows.append({"number": row["number"], "question": row["question"].text, "answer": " · ".join(chosen)[:500]})
    return rows
