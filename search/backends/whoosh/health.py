"""Index health: whether the last read of a Whoosh index in this process worked.

A search that cannot read the index answers empty and marks it unhealthy; the
admin dashboard panel and the search page's staff notice read the state, and a
finished rebuild or a successful check marks it healthy again.
"""

from __future__ import annotations

import threading

_lock = threading.Lock()
_state = {"ok": True, "error": ""}


def mark_unhealthy(error: Exception | str) -> None:
    """Record a failed read (the message is cut to 500 characters)."""
    with _lock:
        _state.update(ok=False, error=str(error)[:500])


def mark_healthy() -> None:
    """Record that the index reads again."""
    with _lock:
        _state.update(ok=True, error="")


def index_health() -> dict:
    """``{"ok": bool, "error": str}`` for the last read of any Whoosh index."""
    with _lock:
        return dict(_state)


def looks_like_damage(exc: Exception) -> bool:
    """True if a ValueError or TypeError from Whoosh reads like a damaged file
    (such errors are otherwise the caller's mistake, and raised)."""
    text = str(exc).lower()
    return any(word in text for word in ("toc", "segment", "pickle", "codec", "struct", "corrupt"))
