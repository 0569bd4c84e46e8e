"""Reads of the editorial layer: translations' state, a module's lessons, the dashboard's
lists and the recordings an editor may choose."""

from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField, Exists, OuterRef, Q
from django.db.models.functions import Cast
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
    locale: Locale
    translation: Page | None
    state: str  # "missing", "out_of_date" or "up_to_date"

    @property
    def language(self) -> str:
        return self.locale.get_display_name()


def translation_status(*, page: Page) -> list[TranslationState]:
    """One row per other language: its version of ``page``, and whether it is older than
    the last change to ``page`` (drafts count: they are changes an editor made)."""
    translations = {p.locale_id: p for p in page.get_translations(inclusive=False).select_related("locale")}
    rows = []
    for locale in Locale.objects.exclude(pk=page.locale_id).order_by("language_code"):
        other = translations.get(locale.pk)
        if other is None:
            state = "missing"
        elif (other.latest_revision_created_at and page.latest_revision_created_at
              and other.latest_revision_created_at < page.latest_revision_created_at):
            state = "out_of_date"
        else:
            state = "up_to_date"
        rows.append(TranslationState(locale=locale, translation=other, state=state))
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
    """Pages whose version in another language changed after their own last change."""
    newer = Page.objects.filter(
        translation_key=OuterRef("translation_key"), latest_revision_created_at__gt=OuterRef("latest_revision_created_at")
    ).exclude(locale=OuterRef("locale"))
    return list(
        Page.objects.filter(content_type__in=_reviewed_types())
        .filter(Exists(newer))
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
