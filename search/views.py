"""The site-wide search page (``/search/?q=…``) and the header's autocomplete."""

from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET
from wagtail.models import Locale

from search.registry import registered_facets
from search.selectors import autocomplete as autocomplete_pages
from search.selectors import clean_query, site_search

PER_PAGE = 20


def _page_number(raw) -> int:
    try:
        return max(1, min(int(raw), 500))
    except (TypeError, ValueError):
        return 1


@require_GET
def search(request):
    """One search over every live page of the current language, with facets,
    filters, sort and pagination; odd input gives a page, never an error."""
    query = clean_query(request.GET.get("q"))
    selected = {
        facet.key: [clean_query(v)[:64] for v in request.GET.getlist(facet.key) if clean_query(v)][:10]
        for facet in registered_facets()
    }
    sort = request.GET.get("sort") or "relevance"
    result = site_search(
        query=query,
        locale=Locale.get_active(),
        selected=selected,
        sort=sort,
        page=_page_number(request.GET.get("page")),
        per_page=PER_PAGE,
    )
    params = request.GET.copy()
    params.pop("page", None)
    return render(
        request,
        "search/search.html",
        {
            "query": query,
            "result": result,
            "selected": selected,
            "base_params": params.urlencode(),
            "show_index_warning": result.index_unavailable and request.user.is_staff,
        },
    )


@require_GET
def autocomplete(request):
    """Up to eight ``{"title", "url"}`` suggestions for the header box (two letters at least)."""
    pages = autocomplete_pages(query=request.GET.get("q", ""), locale=Locale.get_active())
    data = [{"title": page.title, "url": page.get_url(request)} for page in pages]
    response = JsonResponse({"results": data})
    response["Cache-Control"] = "private, max-age=60"
    return response
