"""Schedules reach the task worker: a revision approved for a later go-live, or a page
published with an expiry, wakes the scheduled-publishing task at that time."""

from django.db.models.signals import post_save
from django.utils import timezone
from wagtail.models import Revision
from wagtail.signals import page_published


def _revision_saved(sender, instance: Revision, **kwargs) -> None:
    from .services import scheduler_wake_at

    if instance.approved_go_live_at and instance.approved_go_live_at > timezone.now():
        scheduler_wake_at(run_at=instance.approved_go_live_at)


def _page_published(sender, instance, **kwargs) -> None:
    from .services import scheduler_wake_at

    if instance.expire_at and instance.expire_at > timezone.now():
        scheduler_wake_at(run_at=instance.expire_at)


def register() -> None:
    post_save.connect(_revision_saved, sender=Revision, dispatch_uid="editorial_revision_schedule")
    page_published.connect(_page_published, dispatch_uid="editorial_page_expiry")
