"""The route of a URL to the page that serves it, cached per generation.

Wagtail walks the page tree one level per URL segment, two queries a level (the child by its
slug, then its specific page): seven for a lesson. The page that answered a path (and how many
segments it consumed) is remembered until the tree changes; a hit costs one query, the page
itself (with its locale), and that page's own ``route`` still decides the rest (a routable page's sub-routes, the
``live`` check), so a hit answers exactly what the walk would have.
"""

import hashlib

from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache

from .generation import versioned_key

ROUTE_SECONDS = 3600


def cached_route(root, request, path_components, walk):
    """``walk(request, path_components)`` from ``root`` (Wagtail's ``Page.route``), remembered."""
    if not path_components:
        return walk(request, path_components)
    # Hashed: a path may be long or hold any character, and a cache key may not.
    path = "/".join(path_components).encode("utf-8", "surrogateescape")
    key = versioned_key("route", root.pk, hashlib.sha256(path).hexdigest())
    hit = cache.get(key)
    if hit is not None:
        content_type_id, page_id, consumed = hit
        model = ContentType.objects.get_for_id(content_type_id).model_class()
        page = model._default_manager.select_related("locale").filter(pk=page_id).first() if model is not None else None
        # The row must still be that path's page (a database restored under a kept cache).
        expected = root.url_path + "".join(f"{part}/" for part in path_components[:consumed])
        if page is not None and page.url_path == expected and page.path.startswith(root.path):
            return page.route(request, list(path_components[consumed:]))
    result = walk(request, path_components)
    page = result[0]
    cache.set(key, (page.content_type_id, page.pk, page.depth - root.depth), ROUTE_SECONDS)
    return result


def cached_page(key: str, find):
    """The page ``find()`` looks up (a specific page, or None), remembered by id under ``key`` (a
    ``versioned_key``): a hit costs one query, the specific page with its locale. The caller checks
    the page it gets (live, where it sits): the cache only spares the search, never the checks.

    What ``find`` may filter on must bump the generation when it changes (pages do, and so do view
    restrictions, which ``.public()`` reads): a hit does not ask again.
    """
    hit = cache.get(key)
    if hit is not None:
        content_type_id, page_id = hit
        model = ContentType.objects.get_for_id(content_type_id).model_class()
        page = model._default_manager.select_related("locale").filter(pk=page_id).first() if model is not None else None
        if page is not None:
            return page
    page = find()
    if page is not None:
        cache.set(key, (page.content_type_id, page.pk), ROUTE_SECONDS)
    return page
