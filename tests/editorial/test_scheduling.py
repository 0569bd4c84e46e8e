"""Scheduled publishing runs in the task worker: scheduling a go-live queues the task for that
time; when it runs it publishes what is due and queues itself for the next schedule."""

from datetime import timedelta

import pytest
from django.test import override_settings
from django.utils import timezone

from courses.models import CoursePage
from editorial.models import SchedulerWakeup
from editorial.tasks import publish_scheduled_pages
from tests.courses.factories import catalogue

pytestmark = pytest.mark.django_db

DB_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


def scheduled_module(slug: str, go_live) -> CoursePage:
    module = CoursePage(title=f"وحدة {slug}", slug=slug, summary="ملخص", live=False, go_live_at=go_live)
    catalogue().add_child(instance=module)
    module.save_revision().publish()  # a future go-live: scheduled, not live
    return CoursePage.objects.get(pk=module.pk)


@override_settings(TASKS=DB_QUEUE)
def test_a_go_live_queues_the_task_which_publishes_then_queues_the_next(homes, django_capture_on_commit_callbacks):
    """Two modules scheduled: one run queued, for the first go-live (run_after); once that time
    has passed, db_worker publishes the first module only, and the run queues the next one."""
    from django_tasks_db.models import DBTaskResult

    soon, later = timezone.now() + timedelta(hours=1), timezone.now() + timedelta(days=2)
    with django_capture_on_commit_callbacks(execute=True):
        first = scheduled_module("soon", soon)
        scheduled_module("later", later)
    assert not first.live
    runs = DBTaskResult.objects.filter(task_path="editorial.tasks.publish_scheduled_pages")
    assert [r.run_after for r in runs] == [soon], "one run, the earliest: it queues the next itself"
    assert SchedulerWakeup.objects.count() == 1

    # The hour passes: the first run becomes due (the go-live moves into the past with it).
    from wagtail.models import Revision

    past = timezone.now() - timedelta(seconds=1)
    for revision in Revision.objects.filter(approved_go_live_at=soon):
        revision.content["go_live_at"] = past.isoformat()
        revision.approved_go_live_at = past
        revision.save()
    runs.filter(run_after=soon).update(run_after=past)
    SchedulerWakeup.objects.filter(run_at=soon).update(run_at=past)
    # What db_worker does with the due row (the worker itself runs in the browser test).
    runs.filter(run_after__lte=timezone.now()).update(status="SUCCESSFUL")
    with django_capture_on_commit_callbacks(execute=True):
        publish_scheduled_pages.call()
    assert CoursePage.objects.get(slug="soon").live
    assert not CoursePage.objects.get(slug="later").live
    assert runs.filter(status="SUCCESSFUL").count() == 1
    assert list(runs.filter(status="READY").values_list("run_after", flat=True)) == [later]
    assert list(SchedulerWakeup.objects.values_list("run_at", flat=True)) == [later]
