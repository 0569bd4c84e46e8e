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
    links = []
    translations = {}
    if page is not None and hasattr(page, "get_translations"):
        translations = {p.locale.language_code: p for p in page.get_translations(inclusive=False).live().select_related("locale")}
    for code, name in settings.LANGUAGES:
        if code == current:
            continue
        if page is not None and hasattr(page, "get_translations"):
            target = translations.get(code)
            with translation.override(code):
                url = target.get_url(request) if target else reverse("wagtail_serve", args=[""])
        else:
            url = translate_url(request.get_full_path() if request else "/", code)
        links.append({"code": code, "name": name, "url": url})
    return {"links": links}
