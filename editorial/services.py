"""Writes of the editorial layer: translate a page into a draft, build a module from its
edit screen (lesson order, quizzes, recordings), wake the scheduled-publishing task."""

import logging
import uuid
from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.actions.copy_for_translation import CopyPageForTranslationAction
from wagtail.actions.move_page import MovePageAction
from wagtail.blocks import StreamValue
from wagtail.models import Locale, Page

from courses.models import CoursePage
from lessons.models import LessonPage, Quiz

logger = logging.getLogger(__name__)


@transaction.atomic
def page_translate(*, page: Page, locale: Locale, user) -> Page:
    """Copy ``page`` into ``locale``'s tree as a draft, as simple_translation's "Translate"
    does; returns the copy. A parent not translated yet (a lesson's module) is translated
    first, as a draft too: Wagtail would make it an alias, live in the other language with
    this language's text."""
    if not user.has_perm("simple_translation.submit_translation"):
        raise PermissionDenied
    existing = page.get_translation_or_none(locale)
    if existing is not None:
        return existing
    if not page.permissions_for_user(user).can_edit():
        raise PermissionDenied
    parent = page.get_parent()
    if parent.depth > 1 and parent.get_translation_or_none(locale) is None:
        page_translate(page=parent.specific, locale=locale, user=user)
    action = CopyPageForTranslationAction(page.specific, locale, copy_parents=False, user=user)
    copy = action.execute(skip_permission_checks=True)
    # The copy's own revision, dated now: the translation starts level with its source.
    copy.save_revision(user=user, log_action=True)
    return copy


def _save_draft(page: Page, *, user) -> None:
    """Save an edit made outside the edit screen as Wagtail's edit view does: the row
    itself only while the page is not live, a new revision always."""
    page.full_clean()
    if not page.live:
        page.save()
    page.save_revision(user=user, log_action=True)


def _editable(page: Page, user) -> Page:
    if not page.permissions_for_user(user).can_edit():
        raise PermissionDenied
    if page.get_lock() and page.get_lock().for_user(user):
        raise ValidationError(_("This lesson is locked: it cannot be changed now."))
    return page.get_latest_revision_as_object()


def _append_block(lesson: LessonPage, block_type: str, value: dict) -> None:
    raw = [dict(block) for block in lesson.body.raw_data]
    raw.append({"type": block_type, "value": value, "id": str(uuid.uuid4())})
    lesson.body = StreamValue(lesson.body.stream_block, raw, is_lazy=True)


@transaction.atomic
def lesson_attach_quiz(*, lesson: LessonPage, quiz: Quiz, user) -> LessonPage:
    """Add ``quiz`` at the end of the lesson's draft (a new revision)."""
    draft = _editable(lesson, user)
    if quiz.pk in draft.quiz_ids():
        raise ValidationError(_("This quiz is already in the lesson."))
    _append_block(draft, "quiz", {"quiz": quiz.pk})
    _save_draft(draft, user=user)
    return draft


@transaction.atomic
def lesson_attach_recording(*, lesson: LessonPage, recording, user) -> LessonPage:
    """Add a video block playing ``recording`` at the end of the lesson's draft; a recording
    that is not ready (still encoding, failed, cancelled) is refused."""
    if not recording.is_ready:
        raise ValidationError(
            _("“%(title)s” is not ready (%(state)s): choose it once its processing has finished.")
            % {"title": recording.title, "state": recording.get_status_display()}
        )
    draft = _editable(lesson, user)
    _append_block(draft, "video", {"recording": recording.pk, "video": None, "poster": None, "caption": ""})
    _save_draft(draft, user=user)
    return draft


@transaction.atomic
def lessons_reorder(*, course: CoursePage, lesson_ids: list[int], user) -> None:
    """Put the module's lessons in the order of ``lesson_ids`` (all of them, each once)."""
    if not course.permissions_for_user(user).can_edit():
        raise PermissionDenied
    lessons = {page.pk: page for page in Page.objects.child_of(course)}
    if sorted(lesson_ids) != sorted(lessons) or len(set(lesson_ids)) != len(lesson_ids):
        raise ValidationError(_("The list of lessons changed meanwhile: reload the page and try again."))
    for pk in lesson_ids:
        # The order within the module, not a move elsewhere: Wagtail's check (the right to
        # publish, as moving a live page to another place changes its address) does not apply.
        MovePageAction(lessons[pk], course, pos="last-child", user=user).execute(skip_permission_checks=True)
        lessons[pk].refresh_from_db()


# --- Scheduled publishing --------------------------------------------------------------------


def next_scheduled_time(*, after: datetime) -> datetime | None:
    """The next go-live of an approved revision or expiry of a live page after ``after``."""
    from wagtail.models import Revision

    go_live = (
        Revision.objects.filter(approved_go_live_at__gt=after).order_by("approved_go_live_at")
        .values_list("approved_go_live_at", flat=True).first()
    )
    expiry = (
        Page.objects.filter(live=True, expire_at__gt=after).order_by("expire_at")
        .values_list("expire_at", flat=True).first()
    )
    times = [t for t in (go_live, expiry) if t is not None]
    return min(times) if times else None


@transaction.atomic
def scheduler_wake_at(*, run_at: datetime) -> bool:
    """Queue the scheduled-publishing task for ``run_at`` unless a run is already queued
    at or before it (that run queues the next one). Returns whether one was queued.

    Backends that cannot defer a task (the immediate one of the tests) queue nothing.
    """
    from .models import SchedulerWakeup
    from .tasks import publish_scheduled_pages

    now = timezone.now()
    if SchedulerWakeup.objects.filter(run_at__gte=now, run_at__lte=run_at).exists():
        return False
    if not publish_scheduled_pages.get_backend().supports_defer:
        logger.info("The task backend cannot defer tasks: scheduled pages wait for `manage.py publish_scheduled`.")
        return False
    SchedulerWakeup.objects.get_or_create(run_at=run_at)
    transaction.on_commit(lambda: publish_scheduled_pages.using(run_after=run_at).enqueue())
    return True


def publish_scheduled(*, now: datetime | None = None) -> datetime | None:
    """Publish what is due and unpublish what expired (Wagtail's own `publish_scheduled`),
    then queue the next run; returns its time (None: nothing is scheduled)."""
    from django.core.management import call_command

    from .models import SchedulerWakeup

    now = now or timezone.now()
    SchedulerWakeup.objects.filter(run_at__lte=now).delete()
    call_command("publish_scheduled", verbosity=0)
    upcoming = next_scheduled_time(after=timezone.now())
    if upcoming is not None:
        scheduler_wake_at(run_at=upcoming)
    return upcoming
