"""Is the search index usable? Read by the admin dashboard panel."""

from modelsearch.backends import get_search_backend

from search.backends.whoosh import IndexUnavailable, WhooshSearchBackend, _mark_healthy


def index_status() -> dict:
    """``{"ok": bool, "error": str}``: opens the default index and a searcher on it."""
    backend = get_search_backend("default")
    if not isinstance(backend, WhooshSearchBackend):
        return {"ok": True, "error": ""}
    index = backend.get_index_for_model(None)
    try:
        with index.searcher() as searcher:
            searcher.doc_count()
    except IndexUnavailable as exc:
        return {"ok": False, "error": str(exc)}
    except Exception as exc:  # a damaged segment can raise almost anything
        return {"ok": False, "error": str(exc)}
    _mark_healthy()
    return {"ok": True, "error": ""}
