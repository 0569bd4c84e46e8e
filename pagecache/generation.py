"""The content generation: one counter in the shared cache that versions every cached key."""

import time

from django.core.cache import cache

GENERATION_KEY = "pagecache:generation"


def _fresh_value() -> int:
    # Milliseconds since the epoch: a counter lost with the cache (restart, eviction) starts
    # above every value it had reached, so no key of an older generation is ever read again.
    return int(time.time() * 1000)


def current_generation() -> int:
    """The generation now in force (one cache read; set on first use)."""
    value = cache.get(GENERATION_KEY)
    if value is None:
        cache.add(GENERATION_KEY, _fresh_value(), None)
        value = cache.get(GENERATION_KEY) or _fresh_value()
    return int(value)


def bump_generation() -> int:
    """Start a new generation: every key made by ``versioned_key`` before is dropped."""
    try:
        return cache.incr(GENERATION_KEY)
    except ValueError:  # not in the cache (yet, or any more)
        value = _fresh_value()
        cache.set(GENERATION_KEY, value, None)
        return value


def versioned_key(*parts) -> str:
    """A cache key for ``parts`` in the current generation."""
    return ":".join(["pagecache", str(current_generation()), *map(str, parts)])


#: Entries made by ``cache_in_generation`` are kept this long at most (a new generation drops them first).
DEFAULT_SECONDS = 3600


def cache_in_generation(key: str, compute, seconds: int = DEFAULT_SECONDS):
    """The value cached under ``key`` (a ``versioned_key``), computed and stored when missing."""
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, seconds)
    return value
