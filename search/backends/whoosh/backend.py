"""The backend class modelsearch instantiates from ``WAGTAILSEARCH_BACKENDS``.

It knows nothing of the app's task queue: a deletion (which modelsearch asks
for inside the web request that deleted the object) is announced with the
:data:`deletion_requested` signal, and the search app, at ``ready()``, queues a
task that deletes the key in the worker, the index's only writer
(``search.signal_handlers``). With no receiver the key is deleted at once.
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.dispatch import Signal
from modelsearch.backends.base import BaseSearchBackend

from search.backends.whoosh.compiler import WhooshAutocompleteQueryCompiler, WhooshSearchQueryCompiler
from search.backends.whoosh.health import index_status
from search.backends.whoosh.index import WhooshIndex
from search.backends.whoosh.mapping import Mapping
from search.backends.whoosh.rebuild import WhooshIndexRebuilder
from search.backends.whoosh.results import WhooshSearchResults

#: Sent by :meth:`WhooshSearchBackend.delete` with ``path``, ``index_name`` and
#: ``key`` (``<model>:<pk>``): a receiver takes over deleting that document.
deletion_requested = Signal()


class WhooshSearchBackend(BaseSearchBackend):
    """One Whoosh index (``PATH``, ``INDEX``) for every indexed model."""

    query_compiler_class = WhooshSearchQueryCompiler
    autocomplete_query_compiler_class = WhooshAutocompleteQueryCompiler
    results_class = WhooshSearchResults
    rebuilder_class = WhooshIndexRebuilder
    index_class = WhooshIndex
    catch_indexing_errors = True

    def __init__(self, params):
        super().__init__(params)
        self.path = params.get("PATH") or getattr(settings, "SEARCH_INDEX_DIR", None)
        if not self.path:
            self.path = str(Path(settings.BASE_DIR) / "var" / "search-index")
        self.index_name = params.get("INDEX", "default")

    def get_index_for_model(self, model):
        return WhooshIndex(self, self.index_name)

    def delete(self, obj):
        """Remove ``obj``'s document: handed to :data:`deletion_requested`'s receiver
        (the app queues it for the worker), else deleted at once."""
        key = Mapping(obj._meta.model).document_key(obj)
        if deletion_requested.has_listeners(type(self)):
            deletion_requested.send(type(self), path=self.path, index_name=self.index_name, key=key)
        else:
            self.delete_key(key)

    def delete_key(self, key: str) -> None:
        """Remove the document ``key`` now (the task worker calls this)."""
        self.get_index_for_model(None).delete_key(key)

    def check_index(self) -> dict:
        """``{"ok": bool, "error": str}``: opens the index and a searcher on it."""
        return index_status(self.get_index_for_model(None))


SearchBackend = WhooshSearchBackend
