"""Template tags shared by every page: section links and the language switcher."""

from django import template
from django.conf import settings
from django.urls import reverse, translate_url
from django.utils import translation

register = template.Library()


@register.simple_tag
def section_url(slug: str) -> str:
    """URL of a top-level section page (``courses``, ``archive``) in the active language.

    Section pages carry the same ASCII slug in every language tree, so this needs no query.
    """
    return reverse("wagtail_serve", args=[f"{slug}/"])


@register.inclusion_tag("includes/language_switcher.html", takes_context=True)
def language_switcher(context):
    """Links to the current page in each other language.

    On a Wagtail page the link goes to its translation (or that language's home page
    when it has none yet); elsewhere it goes to the same address in that language.
    """
    request = context.get("request")
    page = context.get("page")
    current = translation.get_language()
    if page is not None and hasattr(page, "get_translations"):
        urls = _translation_urls(page, request)
    else:
        urls = {code: translate_url(request.get_full_path() if request else "/", code) for code, _name in settings.LANGUAGES}
    return {"links": [{"code": code, "name": name, "url": urls[code]} for code, name in settings.LANGUAGES if code != current]}


def _translation_urls(page, request) -> dict[str, str]:
    """The URL of ``page``'s live translation in each language (that language's home page when
    it has none), cached in the content generation: no query once a page has been shown."""
    from django.core.cache import cache

    from pagecache import versioned_key

    host = request.get_host() if request is not None else ""
    key = versioned_key("home:translations", page.pk, host)
    urls = cache.get(key)
    if urls is None:
        found = {p.locale.language_code: p for p in page.get_translations(inclusive=False).live().select_related("locale")}
        urls = {}
        for code, _name in settings.LANGUAGES:
            with translation.override(code):
                target = found.get(code)
                urls[code] = target.get_url(request) if target else reverse("wagtail_serve", args=[""])
        cache.set(key, urls, 3600)
    return urls
