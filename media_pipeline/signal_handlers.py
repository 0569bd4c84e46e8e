"""Deleting a recording deletes its files after the commit; a recording added elsewhere is queued."""

from django.db.models.signals import post_delete, post_save, pre_delete

from . import get_media_model

_pending: dict[int, list[str]] = {}


def _collect(sender, instance, **kwargs):
    # Encodes and captions cascade away with the row: list their files while they exist.
    from .services import asset_files

    _pending[id(instance)] = asset_files(instance)


def _delete(sender, instance, **kwargs):
    from .services import schedule_file_deletion

    schedule_file_deletion(_pending.pop(id(instance), []))


def _queue_admin_upload(sender, instance, created, **kwargs):
    # wagtailmedia's own add form saves the row directly: queue its processing too.
    from .models import MediaStatus
    from .services import asset_enqueue

    if created and instance.status == MediaStatus.UPLOADED and instance.file:
        asset_enqueue(asset=instance)


def register():
    model = get_media_model()
    pre_delete.connect(_collect, sender=model, dispatch_uid="media_pipeline_collect")
    post_delete.connect(_delete, sender=model, dispatch_uid="media_pipeline_delete")
    post_save.connect(_queue_admin_upload, sender=model, dispatch_uid="media_pipeline_queue")
