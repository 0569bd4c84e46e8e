"""The site-wide search page (``/search/?q=…``)."""

from django.core.paginator import Paginator
from django.shortcuts import render
from wagtail.models import Locale, Page

MAX_QUERY_LENGTH = 200


def search(request):
    """Search live pages in the current language; odd input gives a page, never an error."""
    query = " ".join((request.GET.get("q") or "").split())[:MAX_QUERY_LENGTH]
    results = Page.objects.none()
    if query:
        locale = Locale.get_active()
        results = Page.objects.live().public().filter(locale=locale).specific().search(query)
    page = Paginator(results, 20).get_page(request.GET.get("page"))
    return render(request, "search/search.html", {"query": query, "results": page})
