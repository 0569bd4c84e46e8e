"""The anonymous page cache: whole public pages, answered without a query once cached.

Why our own middleware and not wagtail-cache: its 3.0.0 release (2025-07, the latest) declares
``wagtail<8.0`` and cannot be installed beside Wagtail 8; it also keys on the raw URL and purges
by URL, where a publish here must drop a module's page *and* every page listing it (catalogue,
home, archive facets). A generation bump (``pagecache.signals``) drops them all at once.

A response is cached when every one of these holds, otherwise it is simply served:

- the request is a GET (HEAD is answered from the same entry), outside the excluded paths, from a
  visitor without a session or messages cookie (logged-in users, and anyone with pending messages,
  never see a cached page), with no preview;
- the view is one of ``PAGECACHE_URL_NAMES`` (Wagtail's page serving: home, catalogue, modules,
  the archive and its sub-routes such as the statistics, activities);
- the answer is a 200 that sets no cookie (so no CSRF token was handed out), wrote nothing to the
  session, used no CSP nonce and is not marked private or no-store.

Entries are keyed by host, language, path and query string, in the current generation, and kept
``PAGECACHE_SECONDS`` at most. A served copy carries ``X-Page-Cache: hit``.
"""

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.utils import translation
from django.utils.cache import cc_delim_re, patch_vary_headers

from .generation import versioned_key

#: The views whose anonymous answers may be cached (``request.resolver_match.url_name``).
DEFAULT_URL_NAMES = ("wagtail_serve",)
#: Never cached, whatever the view: the admin, the learner's pages, APIs.
EXCLUDED_PREFIXES = ("/admin/", "/api/", "/documents/", "/my/", "/learn/", "/accounts/")
#: A longer query string is served, never cached (nobody fills the cache with junk URLs).
MAX_QUERY_LENGTH = 300
HEADER = "X-Page-Cache"
#: Headers a cached copy keeps; cookies and per-request headers are never stored.
KEPT_HEADERS = ("Content-Type", "Content-Language", "Vary", "Cache-Control", "Last-Modified", "ETag")


def _personal_cookies() -> tuple[str, ...]:
    return (settings.SESSION_COOKIE_NAME, getattr(settings, "MESSAGES_COOKIE_NAME", "messages"))


def request_is_cacheable(request) -> bool:
    """Whether ``request`` may be answered from (or stored into) the cache (no query)."""
    if getattr(settings, "PAGECACHE_SECONDS", 0) <= 0 or request.method not in ("GET", "HEAD"):
        return False
    path = request.path_info
    if path.startswith(EXCLUDED_PREFIXES) or len(request.META.get("QUERY_STRING", "")) > MAX_QUERY_LENGTH:
        return False
    if any(name in request.COOKIES for name in _personal_cookies()):
        return False
    return not getattr(request, "is_preview", False)


def response_is_cacheable(request, response) -> bool:
    """Whether this answer is the same for every anonymous visitor of the URL."""
    match = getattr(request, "resolver_match", None)
    names = getattr(settings, "PAGECACHE_URL_NAMES", DEFAULT_URL_NAMES)
    if match is None or match.url_name not in names:
        return False
    if response.status_code != 200 or response.cookies or getattr(response, "streaming", False):
        return False
    if getattr(request, "is_preview", False) or getattr(request, "_csp_nonce", None):
        return False
    session = getattr(request, "session", None)
    if session is not None and session.modified:
        return False
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return False
    directives = {d.strip().split("=")[0].lower() for d in cc_delim_re.split(response.get("Cache-Control", ""))}
    return not directives & {"private", "no-store", "no-cache"}


def cache_key(request) -> str:
    """The entry of this URL in this language, in the current generation."""
    url = f"{request.get_host()}{request.path_info}?{request.META.get('QUERY_STRING', '')}"
    digest = hashlib.sha256(url.encode("utf-8", "surrogateescape")).hexdigest()
    return versioned_key("page", translation.get_language() or "", digest)


def _stored(response) -> tuple:
    headers = [(name, response[name]) for name in KEPT_HEADERS if response.has_header(name)]
    return (response.status_code, headers, response.content)


def _restored(entry: tuple, request) -> HttpResponse:
    status, headers, content = entry
    response = HttpResponse(b"" if request.method == "HEAD" else content, status=status)
    for name, value in headers:
        response[name] = value
    response["Content-Length"] = str(len(content))
    # As the uncached answer does: a shared cache must not hand this copy to a logged-in user.
    patch_vary_headers(response, ("Cookie",))
    response[HEADER] = "hit"
    return response


class AnonymousPageCacheMiddleware:
    """Serve anonymous visitors' public pages from the shared cache (see the module's docstring)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request_is_cacheable(request):
            return self.get_response(request)
        key = cache_key(request)
        entry = cache.get(key)
        if entry is not None:
            return _restored(entry, request)
        response = self.get_response(request)
        if request.method == "GET" and response_is_cacheable(request, response):
            if hasattr(response, "render") and not response.is_rendered:
                response.render()
            cache.set(key, _stored(response), settings.PAGECACHE_SECONDS)
            response[HEADER] = "miss"
        return response
