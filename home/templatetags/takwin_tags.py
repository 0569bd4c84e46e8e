"""Template tags shared by every page: section links and the language switcher."""

from django import template
from django.conf import settings
from django.http import QueryDict
from django.urls import reverse, translate_url
from django.utils import translation
from django.utils.translation import ngettext

register = template.Library()


@register.simple_tag
def section_url(slug: str) -> str:
    """URL of a top-level section page (``courses``, ``archive``) in the active language.

    Section pages carry the same ASCII slug in every language tree, so this needs no query.
    """
    return reverse("wagtail_serve", args=[f"{slug}/"])


@register.simple_tag(takes_context=True)
def role_links(context) -> dict:
    """What the header offers the signed-in user: the admin (editors), their recordings and
    the reports (trainers, and whoever may read reports). One query per request at most."""
    from accounts.selectors import EDITOR, TRAINER, may_read_reports, user_roles

    user = context.get("user")
    if user is None or not user.is_authenticated:
        return {}
    roles = user_roles(user)
    return {"admin": EDITOR in roles or TRAINER in roles, "recordings": TRAINER in roles or EDITOR in roles,
            "reports": may_read_reports(user)}


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


@register.filter
def clock(seconds) -> str:
    """A length in seconds as a clock: "4:05", or "1:02:05" from an hour on ("" when unknown).
    Templates isolate it (``<bdi>``) on Arabic pages."""
    try:
        total = max(0, round(float(seconds)))
    except (TypeError, ValueError):
        return ""
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


@register.simple_tag
def length_words(minutes) -> str:
    """A module's length in words, in the plural form of the language: "45 دقيقة", "حوالي ساعتين",
    "حوالي ساعة ونصف" (to the half hour from an hour on; "" when unknown)."""
    try:
        minutes = round(float(minutes))
    except (TypeError, ValueError):
        return ""
    if minutes <= 0:
        return ""
    if minutes < 60:
        return ngettext("%(n)s minute", "%(n)s minutes", minutes) % {"n": minutes}
    hours, half = divmod(round(minutes / 30), 2)
    if half:
        return ngettext("About %(n)s and a half hours", "About %(n)s and a half hours", hours) % {"n": hours}
    return ngettext("About %(hours)s hour", "About %(hours)s hours", hours) % {"hours": hours}


@register.simple_tag(takes_context=True)
def query_without(context, key: str, value: str = "", also: str = "") -> str:
    """The current query string without ``key=value`` (every value of ``key`` when ``value`` is
    empty; ``also`` names a second parameter dropped whole) and without the page number: the
    link of a removable filter chip."""
    request = context.get("request")
    params = request.GET.copy() if request is not None else QueryDict(mutable=True)
    for name in ("page", also):
        params.pop(name, None)
    if value:
        params.setlist(key, [v for v in params.getlist(key) if v != value])
    else:
        params.pop(key, None)
    return params.urlencode()


@register.filter
def grouped(value) -> str:
    """An integer with its thousands grouped by a narrow no-break space ("4 820"), as the
    archive's charts print them: the table beside a chart says the same figure the same way."""
    try:
        return f"{int(value):,}".replace(",", "\u202f")
    except (TypeError, ValueError):
        return "" if value is None else str(value)


@register.filter
def script_lang(text) -> str:
    """"ar" for a text holding Arabic letters, else "fr": the ``lang`` of a free-text name (a
    venue, a commune) typed in whichever script the record had, so an Arabic page marks the
    Latin ones for screen readers (and the screens test)."""
    return "ar" if any("\u0600" <= ch <= "\u06ff" for ch in str(text or "")) else "fr"


@register.simple_tag
def in_its_language(text) -> str:
    """``text`` (a name typed by its owner) in a span marked with the language of its script."""
    from django.utils.html import format_html

    return format_html('<span lang="{}" dir="auto">{}</span>', script_lang(text), text)
