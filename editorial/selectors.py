"""Reads of the editorial layer: translations' state, a module's lessons, the dashboard's
lists and the recordings an editor may choose."""

import json
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField, Exists, OuterRef, Q, Subquery, Value
from django.db.models.functions import Cast
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import Locale, Page, ReferenceIndex

from lessons.models import LessonPage, Quiz
from media_pipeline import get_media_model
from media_pipeline.models import MediaStatus

#: How many rows each dashboard panel shows.
PANEL_ROWS = 8
#: Recording length buckets of the chooser, in seconds: (name, min, max).
DURATIONS = {"short": (0, 600), "medium": (600, 1800), "long": (1800, None)}


@dataclass
class TranslationState:
    """How one other language's version of a page stands, seen from that page."""

    locale: Locale
    translation_id: int | None
    changed_at: datetime | None  # the other version's last change (drafts count)
    # "missing"; "out_of_date" (this is the source and the translation is older);
    # "source_changed" (this is a translation and its source changed after it); "up_to_date".
    state: str

    @property
    def language(self) -> str:
        return self.locale.get_display_name()


def source_language() -> str:
    """The language pages are written in first (Arabic): the others are its translations."""
    return get_supported_content_language_variant(settings.LANGUAGE_CODE)


def _state(page: Page, locale: Locale, other_id: int | None, other_at: datetime | None) -> TranslationState:
    mine = page.latest_revision_created_at
    state = "missing" if other_id is None else "up_to_date"
    if other_id is not None and mine and other_at:
        if locale.language_code == source_language():
            state = "source_changed" if other_at > mine else "up_to_date"
        elif other_at < mine:
            state = "out_of_date"
    return TranslationState(locale=locale, translation_id=other_id, changed_at=other_at, state=state)


def translation_annotations(locales: list[Locale]) -> dict:
    """What a page listing's queryset annotates so that each row's translation state costs
    no query (``translation_status`` reads it): per language, its version's id and last change,
    and the languages themselves."""
    annotations = {"editorial_locales": Value(json.dumps([[loc.pk, loc.language_code] for loc in locales]))}
    for locale in locales:
        version = Page.objects.filter(translation_key=OuterRef("translation_key"), locale_id=locale.pk)
        annotations[f"editorial_tr_{locale.pk}"] = Subquery(version.values("pk")[:1])
        annotations[f"editorial_at_{locale.pk}"] = Subquery(version.values("latest_revision_created_at")[:1])
    return annotations


def translation_status(*, page: Page) -> list[TranslationState]:
    """One row per other language: its version of ``page`` and how it stands (``TranslationState``).
    Reads the listing's annotations when ``page`` carries them, else two queries."""
    if hasattr(page, "editorial_locales"):
        locales = [Locale(pk=pk, language_code=code) for pk, code in json.loads(page.editorial_locales)]
        return [
            _state(page, locale, getattr(page, f"editorial_tr_{locale.pk}"), getattr(page, f"editorial_at_{locale.pk}"))
            for locale in locales if locale.pk != page.locale_id
        ]
    versions = {
        row["locale_id"]: row
        for row in Page.objects.filter(translation_key=page.translation_key).exclude(locale_id=page.locale_id)
        .values("pk", "locale_id", "latest_revision_created_at")
    }
    rows = []
    for locale in Locale.objects.exclude(pk=page.locale_id).order_by("language_code"):
        other = versions.get(locale.pk, {})
        rows.append(_state(page, locale, other.get("pk"), other.get("latest_revision_created_at")))
    return rows


def module_lessons(*, course) -> list[dict]:
    """The module's lessons in the learners' order, each with its quizzes and recordings
    (three queries whatever the number of lessons)."""
    lessons = list(LessonPage.objects.child_of(course).order_by("path"))
    quiz_ids = {qid for lesson in lessons for qid in lesson.quiz_ids()}
    quizzes = Quiz.objects.in_bulk(quiz_ids)
    recording_ids = {
        int(block["value"]["recording"])
        for lesson in lessons
        for block in lesson.body.raw_data
        if block["type"] == "video" and isinstance(block["value"], dict) and block["value"].get("recording")
    }
    recordings = get_media_model().objects.in_bulk(recording_ids)
    rows = []
    for lesson in lessons:
        ids = [int(b["value"]["recording"]) for b in lesson.body.raw_data
               if b["type"] == "video" and isinstance(b["value"], dict) and b["value"].get("recording")]
        rows.append({
            "lesson": lesson,
            "quizzes": [quizzes[i] for i in lesson.quiz_ids() if i in quizzes],
            "recordings": [recordings[i] for i in ids if i in recordings],
        })
    return rows


def _reviewed_types() -> list[ContentType]:
    from .admin_setup import REVIEWED_PAGES

    return list(ContentType.objects.get_for_models(*REVIEWED_PAGES).values())


def outdated_translations(*, limit: int = PANEL_ROWS) -> list[Page]:
    """Translations whose source (the page in the source language) changed after their own last change."""
    newer_source = Page.objects.filter(
        translation_key=OuterRef("translation_key"), locale__language_code=source_language(),
        latest_revision_created_at__gt=OuterRef("latest_revision_created_at"),
    )
    return list(
        Page.objects.filter(content_type__in=_reviewed_types())
        .exclude(locale__language_code=source_language())
        .filter(Exists(newer_source))
        .select_related("locale")
        .order_by("-latest_revision_created_at")[:limit]
    )


def user_drafts(*, user, limit: int = PANEL_ROWS) -> list[Page]:
    """Pages the user owns or last edited whose latest changes are not live."""
    return list(
        Page.objects.filter(has_unpublished_changes=True)
        .filter(Q(owner=user) | Q(latest_revision__user=user))
        .filter(content_type__in=_reviewed_types())
        .select_related("locale")
        .order_by("-latest_revision_created_at")[:limit]
    )


def unused_ready_recordings(*, limit: int = PANEL_ROWS):
    """Recordings ready to play that no page uses yet (Wagtail's reference index)."""
    model = get_media_model()
    used = ReferenceIndex.objects.filter(
        to_content_type=ContentType.objects.get_for_model(model),
        to_object_id=Cast(OuterRef("pk"), output_field=CharField()),
    )
    return list(
        model.objects.filter(status=MediaStatus.READY, current_encode__isnull=False)
        .exclude(Exists(used))
        .order_by("-created_at")[:limit]
    )


def recordings_for_choosing(*, query: str = "", duration: str = "", order: str = "-created_at"):
    """The media library as the module screen's chooser lists it: by title, length and date."""
    recordings = get_media_model().objects.all()
    if query:
        recordings = recordings.filter(title__icontains=query)
    if duration in DURATIONS:
        low, high = DURATIONS[duration]
        recordings = recordings.filter(duration__gte=low)
        if high is not None:
            recordings = recordings.filter(duration__lt=high)
    if order not in ("-created_at", "created_at", "title", "duration", "-duration"):
        order = "-created_at"
    return recordings.order_by(order, "pk")
