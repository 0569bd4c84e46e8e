"""A stored or replaced video document is probed in the background, after the commit."""

from django.db import transaction
from django.db.models.signals import post_save
from wagtail.documents import get_document_model

VIDEO_EXTENSIONS = (".mp4", ".m4v", ".webm")


def _document_saved(sender, instance, **kwargs):
    name = instance.file.name or ""
    if not name.lower().endswith(VIDEO_EXTENSIONS):
        return
    probe = getattr(instance, "video_probe", None) if instance.pk else None
    if probe is not None and probe.file_name == name:
        return  # the title or collection changed, not the file

    def enqueue():
        from .tasks import probe_video_document

        probe_video_document.enqueue(instance.pk)

    transaction.on_commit(enqueue)


def register():
    post_save.connect(_document_saved, sender=get_document_model(), dispatch_uid="lessons_probe_video_document")
