"""Keep attachment text in the index fresh. Handlers only enqueue; the worker does the work.

- A Wagtail document saved: extract its text (then re-index the pages using it).
- A document deleted: re-index the pages that used it, once the deletion has committed.
- A recording's captions added or replaced (``media_pipeline.signals.captions_changed``,
  sent after the commit): re-index the pages that use the recording.
- The Whoosh backend asked to delete a document (``deletion_requested``, sent inside
  the request that deleted the object): queue the deletion for the worker, the
  index's only writer, once the transaction commits.
"""

from django.apps import apps
from django.db import transaction
from django.db.models.signals import post_save, pre_delete


def _document_saved(sender, instance, raw=False, **kwargs):
    if raw:
        return
    from search.tasks import document_text_extract_task

    document_id = instance.pk
    transaction.on_commit(lambda: document_text_extract_task.enqueue(document_id))


def _document_deleting(sender, instance, **kwargs):
    from search.services import referencing_objects

    keys = referencing_objects(instance)
    if not keys:
        return
    from search.tasks import objects_reindex_task

    payload = [list(k) for k in keys]
    transaction.on_commit(lambda: objects_reindex_task.enqueue(payload))


def _captions_changed(sender, asset, **kwargs):
    from search.tasks import referencing_pages_reindex_task

    referencing_pages_reindex_task.enqueue(asset._meta.app_label, asset._meta.model_name, str(asset.pk))


def _deletion_requested(sender, path, index_name, key, **kwargs):
    from search.tasks import delete_document_task

    transaction.on_commit(lambda: delete_document_task.enqueue(path, index_name, key))


def register() -> None:
    """Connect the handlers (SearchConfig.ready)."""
    from wagtail.documents import get_document_model

    from search.backends.whoosh import deletion_requested

    deletion_requested.connect(_deletion_requested, dispatch_uid="search_deletion_requested")

    document_model = get_document_model()
    post_save.connect(_document_saved, sender=document_model, dispatch_uid="search_document_saved")
    pre_delete.connect(_document_deleting, sender=document_model, dispatch_uid="search_document_deleting")
    if apps.is_installed("media_pipeline"):
        from media_pipeline.signals import captions_changed

        captions_changed.connect(_captions_changed, dispatch_uid="search_captions_changed")
