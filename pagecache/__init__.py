"""Caches of what every visitor sees the same way, purged when the site's content changes.

One *generation* number, kept in the shared cache, versions every key made here: the route of
a URL to its page, a module's outline, the archive's facet counts and whole anonymous pages.
Publishing, unpublishing, moving, saving or deleting a page (or an image, a document, a snippet,
a site, a locale or a view restriction) bumps it (``signals.py``), so every such entry is dropped at once, in every
process that shares the cache. Imports Django and Wagtail only: any app may use it.
"""

from .generation import bump_generation, cache_in_generation, current_generation, versioned_key

__all__ = ["bump_generation", "cache_in_generation", "current_generation", "versioned_key"]
