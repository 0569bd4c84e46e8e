"""Index writes and text extraction: work that must not happen in a web request."""

from django_tasks import task


@task()
def delete_document_task(path: str, index_name: str, key: str) -> None:
    """Remove one document (``<model>:<pk>``) from the Whoosh index at ``path``."""
    from search.services import index_delete_key

    index_delete_key(path=path, index_name=index_name, key=key)


@task()
def document_text_extract_task(document_id: int) -> None:
    """Extract a Wagtail document's text, then re-index the pages that use it."""
    from search.services import document_text_extract

    document_text_extract(document_id=document_id)


@task()
def referencing_pages_reindex_task(app_label: str, model_name: str, pk: str) -> None:
    """Re-index the pages that refer to one object (a recording whose captions changed)."""
    from django.apps import apps

    from search.services import referencing_pages_reindex

    obj = apps.get_model(app_label, model_name)._default_manager.filter(pk=pk).first()
    if obj is not None:
        referencing_pages_reindex(obj=obj)


@task()
def objects_reindex_task(keys: list[list[str]]) -> None:
    """Re-index objects by ``[app_label, model_name, pk]`` (pages that used a deleted document)."""
    from search.services import objects_reindex

    objects_reindex(keys=[tuple(k) for k in keys])
