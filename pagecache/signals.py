"""What starts a new generation: any change to what public pages show.

Wagtail's ``page_published``, ``page_unpublished`` and ``post_page_move``, and a save or delete of
a page, an image, a document, a snippet, a site, a locale or a view restriction (a page or a
collection made private is no longer public: cached copies and routes must not outlive that). Learners' rows (progress, enrolments,
sessions) change nothing here: heartbeats never purge a cache.
"""

from django.db.models.signals import post_delete, post_save

from .generation import bump_generation

DISPATCH_UID = "pagecache-bump"


def content_changed(sender=None, **kwargs) -> None:
    """A page moved, was published or unpublished: start a new generation."""
    bump_generation()


def _is_content(instance) -> bool:
    from wagtail.documents.models import AbstractDocument
    from wagtail.images.models import AbstractImage, AbstractRendition
    from wagtail.models import BaseViewRestriction, Locale, Page, Site
    from wagtail.snippets.models import get_snippet_models

    if isinstance(instance, Page | AbstractImage | AbstractDocument | Site | Locale | BaseViewRestriction):
        return True
    if isinstance(instance, AbstractRendition):
        return False  # made while rendering a page: never a change of content
    return type(instance) in get_snippet_models()


def row_changed(sender, instance=None, **kwargs) -> None:
    """A row was saved or deleted: a new generation when public pages may show it."""
    if instance is not None and _is_content(instance):
        bump_generation()


def connect() -> None:
    """Connect the handlers (from the app's ``ready``)."""
    from wagtail.signals import page_published, page_unpublished, post_page_move

    for signal in (page_published, page_unpublished, post_page_move):
        signal.connect(content_changed, dispatch_uid=DISPATCH_UID)
    post_save.connect(row_changed, dispatch_uid=DISPATCH_UID)
    post_delete.connect(row_changed, dispatch_uid=DISPATCH_UID)
