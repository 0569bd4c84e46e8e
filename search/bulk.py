"""Bulk loads without a search-index commit per saved object.

Every save of an indexed model enqueues an index update, and the Whoosh backend commits each one on
its own (about 0.1 s, more on a loaded machine, as segments merge). The demo saves some 500 indexed
objects: 509 commits were two thirds of ``load_demo``'s time, and ``load_demo`` runs in many tests.
Inside :func:`indexing_deferred` saves are only noted; on leaving it, what still exists is indexed
with one write per model and backend.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager

from django.db.models.signals import post_save
from wagtail.search import index
from wagtail.search.backends import get_search_backends
from wagtail.search.signal_handlers import post_save_signal_handler


def _auto_updated_models() -> list[type]:
    return [model for model in index.get_indexed_models() if getattr(model, "search_auto_update", True)]


@contextmanager
def indexing_deferred() -> Iterator[None]:
    """Note the indexed objects saved inside the block and index them once it ends without error.

    Deletions still reach the index at once (the object is gone by the end). If the block raises,
    nothing is indexed (a rolled-back load left nothing to find) and the per-save updates are
    restored either way. Not for request code: one process's bulk load (a management command).
    """
    saved: dict[type, set] = defaultdict(set)

    def note(sender, instance, raw=False, **kwargs):
        if not raw:
            saved[sender].add(instance.pk)

    models = _auto_updated_models()
    for model in models:
        post_save.disconnect(post_save_signal_handler, sender=model)
        post_save.connect(note, sender=model, weak=False, dispatch_uid="search.bulk.note")
    try:
        yield
    finally:
        for model in models:
            post_save.disconnect(sender=model, dispatch_uid="search.bulk.note")
            post_save.connect(post_save_signal_handler, sender=model)
    index_saved(saved)


def index_saved(saved: dict[type, set]) -> int:
    """Index the objects ``{model: {pk, ...}}`` that still exist, as their most specific class
    (a page saved through ``Page`` is indexed as its own type), one write per model and backend.
    Returns how many objects were indexed."""
    by_class: dict[type, dict] = defaultdict(dict)
    for model, pks in saved.items():
        for obj in model._default_manager.filter(pk__in=pks).iterator():
            specific = index.get_indexed_instance(obj)
            if specific is not None:
                by_class[type(specific)][specific.pk] = specific
    backends = list(get_search_backends(with_auto_update=True))
    for model, objects in by_class.items():
        for backend in backends:
            backend.add_bulk(model, list(objects.values()))
    return sum(len(objects) for objects in by_class.values())
