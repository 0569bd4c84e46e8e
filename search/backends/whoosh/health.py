"""Index health: can the index be read, and does an error read like a damaged index?

A search that cannot read the index answers empty and logs why (see
:mod:`.results`); the admin dashboard panel and the search page's staff notice
ask :func:`index_status`, which opens the index and a searcher on it.
"""

from __future__ import annotations


def index_status(index) -> dict:
    """``{"ok": bool, "error": str}`` for a :class:`.index.WhooshIndex`."""
    try:
        with index.searcher() as searcher:
            searcher.doc_count()
    except Exception as exc:  # a missing index, or a damaged segment (almost anything)
        return {"ok": False, "error": str(exc)}
    return {"ok": True, "error": ""}


def looks_like_damage(exc: Exception) -> bool:
    """True if a ValueError or TypeError from Whoosh reads like a damaged file
    (such errors are otherwise the caller's mistake, and raised)."""
    text = str(exc).lower()
    return any(word in text for word in ("toc", "segment", "pickle", "codec", "struct", "corrupt"))
