"""Index maintenance services (called by tasks and management commands)."""

from search.backends.whoosh import WhooshIndex, WhooshSearchBackend


def index_delete_key(*, path: str, index_name: str, key: str) -> None:
    """Delete the document ``key`` from the index ``index_name`` under ``path``."""
    backend = WhooshSearchBackend({"PATH": path, "INDEX": index_name})
    WhooshIndex(backend, index_name).delete_key(key)
