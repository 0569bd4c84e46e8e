"""Idempotent helpers for demo content: create a page or its translation once, update it after.

The demo's modules use these, and ``manage.py load_demo`` runs them all; running it
twice changes nothing.
"""

from django.utils import timezone
from wagtail.models import Locale, Page


def locale(code: str) -> Locale:
    """The Locale for a language code, created if missing."""
    obj, _ = Locale.objects.get_or_create(language_code=code)
    return obj


def go_live(page: Page) -> None:
    """Save ``page`` live, without a revision."""
    # Demo pages are saved live directly rather than through a revision and a publish
    # action: it halves the writes (and the search and reference-index tasks each write
    # triggers); the first edit in the admin starts the page's revision history.
    now = timezone.now()
    page.live, page.has_unpublished_changes = True, False
    page.first_published_at = page.first_published_at or now
    page.last_published_at = now
    page.save()


def _apply(page: Page, fields: dict) -> bool:
    changed = False
    for name, value in fields.items():
        if getattr(page, name) != value:
            setattr(page, name, value)
            changed = True
    return changed


def ensure_child(parent: Page, model: type[Page], *, slug: str, **fields) -> Page:
    """A live child of ``parent`` with this slug: created, or updated when its fields differ."""
    page = model.objects.child_of(parent).filter(slug=slug).first()
    if page is None:
        now = timezone.now()
        page = model(
            slug=slug, locale=parent.locale, live=True, first_published_at=now, last_published_at=now, **fields
        )
        parent.add_child(instance=page)
        return page
    if _apply(page, fields) or not page.live:
        go_live(page)
    return page


def ensure_translation(page: Page, code: str, **fields) -> Page:
    """The live translation of ``page`` into language ``code`` with these fields."""
    target_locale = locale(code)
    translated = page.get_translation_or_none(target_locale)
    if translated is None:
        translated = page.copy_for_translation(target_locale)
    translated = translated.specific
    if _apply(translated, fields) or not translated.live:
        go_live(translated)
    return translated
