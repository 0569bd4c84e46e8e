"""Index maintenance services (called by tasks and management commands)."""

from __future__ import annotations

import logging

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone
from wagtail.documents import get_document_model
from wagtail.models import ReferenceIndex
from wagtail.search import index

from search.backends.whoosh import WhooshSearchBackend
from search.extraction import Extraction, extract_text, is_supported
from search.models import DocumentText

logger = logging.getLogger(__name__)


def index_delete_key(*, path: str, index_name: str, key: str) -> None:
    """Delete the document ``key`` from the index ``index_name`` under ``path``."""
    WhooshSearchBackend({"PATH": path, "INDEX": index_name}).delete_key(key)


def document_source_key(document) -> str:
    """What identifies the stored file (name, size, hash): the same key means the same text."""
    name = document.file.name or ""
    try:
        size = document.file.size if name else 0
    except (OSError, ValueError):
        size = getattr(document, "file_size", None) or 0
    return f"{name}|{size}|{getattr(document, 'file_hash', '') or ''}"[:600]


def document_text_extract(*, document_id: int, force: bool = False, reindex: bool = True) -> DocumentText | None:
    """Extract (or re-extract) the text of one Wagtail document and store it.

    The same file as last time (see :func:`document_source_key`) is not read
    again unless ``force``. Unreadable, corrupt or unknown files are stored with
    empty text and a status (never an exception). Then, unless ``reindex`` is
    False, the pages that use the document are re-indexed so that search sees the
    new text (and the document's current title). Returns None when the document
    no longer exists.
    """
    document = get_document_model().objects.filter(pk=document_id).first()
    if document is None:
        return None
    key = document_source_key(document)
    current = DocumentText.objects.filter(document=document).first()
    if current is None or current.source_key != key or force:
        filename = document.file.name or document.title
        if not is_supported(filename):
            result, status = Extraction(), DocumentText.Status.UNSUPPORTED
        else:
            try:
                with document.file.open("rb") as fh:
                    result = extract_text(fh, filename)
            except (OSError, ValueError) as exc:  # missing file in storage
                result = Extraction(error=f"cannot open the file: {exc}"[:500])
            if result.error:
                status = DocumentText.Status.FAILED
            else:
                status = DocumentText.Status.DONE if result.text else DocumentText.Status.EMPTY
        if result.error:
            logger.warning("Text extraction failed for document %s: %s", document.pk, result.error)
        current = _store(document=document, key=key, result=result, status=status, current=current)
    if reindex:
        referencing_pages_reindex(obj=document)
    return current


@transaction.atomic
def _store(*, document, key: str, result: Extraction, status: str, current: DocumentText | None) -> DocumentText:
    row = current or DocumentText(document=document)
    row.text = result.text
    row.status = status
    row.error = result.error[:500]
    row.truncated = result.truncated
    row.source_key = key
    row.extracted_at = timezone.now()
    row.full_clean()
    row.save()
    return row


def referencing_objects(obj) -> list[tuple[str, str, str]]:
    """``(app_label, model_name, pk)`` of the objects that refer to ``obj`` (pages using a
    document or a recording), from Wagtail's reference index."""
    rows = (
        ReferenceIndex.get_references_to(obj)
        .order_by("base_content_type_id", "object_id")
        .values_list("base_content_type_id", "object_id")
        .distinct()
    )
    keys = []
    for content_type_id, object_id in rows:
        model = ContentType.objects.get_for_id(content_type_id).model_class()
        if model is not None:
            keys.append((model._meta.app_label, model._meta.model_name, object_id))
    return keys


def referencing_pages_reindex(*, obj) -> int:
    """Re-index every indexed object that refers to ``obj``, found through Wagtail's
    reference index. Runs in the worker, the index's only writer. Returns how many
    objects were re-indexed."""
    return objects_reindex(keys=referencing_objects(obj))


def objects_reindex(*, keys: list[tuple[str, str, str]]) -> int:
    """Re-index the objects ``(app_label, model_name, pk)`` that still exist."""
    count = 0
    for app_label, model_name, pk in keys:
        model = apps.get_model(app_label, model_name)
        if not index.class_is_indexed(model):
            continue
        obj = model._default_manager.filter(pk=pk).first()
        if obj is not None:
            index.insert_or_update_object(obj)
            count += 1
    return count
