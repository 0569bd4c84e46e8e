"""Is the search index usable? Read by the admin dashboard panel."""

from modelsearch.backends import get_search_backend

from search.backends.whoosh import WhooshSearchBackend


def index_status() -> dict:
    """``{"ok": bool, "error": str}``: for the Whoosh backend, opens the default
    index and a searcher on it; other backends answer for themselves."""
    backend = get_search_backend("default")
    if not isinstance(backend, WhooshSearchBackend):
        return {"ok": True, "error": ""}
    return backend.check_index()
