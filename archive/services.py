"""Write operations on the archive: create or update an activity in every language it has.

The importer, the demo content and the tests go through ``activity_upsert``; it is keyed
by the reference code, so running it twice with the same data changes nothing.
"""

import datetime
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _
from wagtail.documents import get_document_model
from wagtail.models import Locale, Page

from vocabulary.models import Person, Theme
from vocabulary.services import person_for_record

from .models import (
    BENEFICIARY_FIELDS,
    ActivityDocument,
    ActivityPage,
    ActivitySeriesPage,
    ArchiveIndexPage,
    Partner,
)

COUNT_FIELDS = [f"{category}_{gender}" for category, gender in BENEFICIARY_FIELDS]


@dataclass
class PartnerData:
    name_ar: str
    name_fr: str

    @property
    def slug(self) -> str:
        return slugify(self.name_fr or self.name_ar, allow_unicode=False)[:80] or slugify(self.name_ar, allow_unicode=True)[:80]


@dataclass
class ActivityData:
    """Everything a spreadsheet row or a demo entry says about one activity."""

    reference_code: str
    activity_type: str
    start_date: datetime.date
    titles: dict[str, str]
    summaries: dict[str, str] = field(default_factory=dict)
    bodies: dict[str, str] = field(default_factory=dict)
    outcomes: dict[str, str] = field(default_factory=dict)
    end_date: datetime.date | None = None
    venue: str = ""
    province: str = ""
    commune: str = ""
    theme_slugs: list[str] = field(default_factory=list)
    trainers: list[tuple[str, str, str]] = field(default_factory=list)  # name, affiliation, kind
    partners: list[PartnerData] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    beneficiaries_total: int | None = None
    communes_count: int | None = None
    series_slug: str = ""
    source_note: str = ""
    rights_notes: str = ""
    # per-language versions of the two notes above, when they differ by language
    source_notes: dict[str, str] = field(default_factory=dict)
    rights: dict[str, str] = field(default_factory=dict)
    # per-language spellings of the venue and commune (an Arabic page shows the Arabic name)
    venues: dict[str, str] = field(default_factory=dict)
    communes: dict[str, str] = field(default_factory=dict)
    # file name → content; matched by name so a re-import does not add the same file twice
    attachments: dict[str, bytes] = field(default_factory=dict)


def _people(trainers) -> list[Person]:
    return [person_for_record(name=name, affiliation=affiliation, kind=kind) for name, affiliation, kind in trainers]


def _partners(partners: list[PartnerData]) -> list[Partner]:
    result = []
    for data in partners:
        partner, _created = Partner.objects.get_or_create(slug=data.slug, defaults={"name_ar": data.name_ar or data.name_fr, "name_fr": data.name_fr or data.name_ar})
        result.append(partner)
    return result


def _documents(page: ActivityPage, attachments: dict[str, bytes], shared: dict[str, object]) -> list[ActivityDocument]:
    """The page's documents plus one per new attachment; ``shared`` reuses a file across translations."""
    Document = get_document_model()
    # Fresh rows (no primary key): a translation's copied rows may still carry the source page's keys,
    # and saving those would move the source's documents to the translation.
    rows = [ActivityDocument(document=d.document, kind=d.kind, sort_order=d.sort_order) for d in page.documents.all()]
    existing = {row.document.title for row in rows}
    for name, content in attachments.items():
        if name in existing:
            continue
        document = shared.get(name)
        if document is None:
            document = Document(title=name)
            document.file.save(name, ContentFile(content), save=False)
            document.save()
            shared[name] = document
        lowered = name.lower()
        kind = "programme" if "programme" in lowered or "program" in lowered else "slides" if lowered.endswith((".ppt", ".pptx")) else "report"
        rows.append(ActivityDocument(document=document, kind=kind))
    return rows


def _parent(index: ArchiveIndexPage, series_slug: str) -> Page:
    if not series_slug:
        return index
    series = ActivitySeriesPage.objects.child_of(index).filter(slug=series_slug).first()
    if series is None:
        raise ValidationError(_("Unknown series “%(series)s”.") % {"series": series_slug})
    return series


def _may_publish(user, page: Page) -> bool:
    """Whether ``user`` may publish ``page`` (no user: the system, which may)."""
    return user is None or page.permissions_for_user(user).can_publish()


def _save(page: ActivityPage, user) -> None:
    """Publish the page's new revision if ``user`` may; otherwise keep it a draft and submit it to
    the page's moderation workflow (an editor then publishes it)."""
    revision = page.save_revision(user=user, log_action=True)
    if _may_publish(user, page):
        revision.publish(user=user)
        return
    workflow = page.get_workflow()
    if workflow is not None and not page.workflow_in_progress:
        workflow.start(page, user)


@transaction.atomic
def activity_upsert(*, index: ArchiveIndexPage, data: ActivityData, user=None) -> tuple[ActivityPage, bool]:
    """Create or update the activity ``data.reference_code`` in the index's language and its translations.

    The index's locale holds the source page; each other language in ``data.titles`` gets a
    translation. A ``user`` without publish permission on a page leaves it as a draft submitted to
    moderation (a live page keeps its published content until then); no user publishes.
    Raises ``ValidationError`` (nothing saved) when the record is invalid.
    Returns the source page and whether it was created.
    """
    source_language = index.locale.language_code
    people = _people(data.trainers)
    partners = _partners(data.partners)
    themes_by_locale: dict[str, dict[str, Theme]] = {}
    for theme in Theme.objects.filter(slug__in=data.theme_slugs).select_related("locale"):
        themes_by_locale.setdefault(theme.locale.language_code, {})[theme.slug] = theme

    languages = [source_language] + [code for code in data.titles if code != source_language and data.titles[code]]
    created = False
    source = None
    shared_documents: dict[str, object] = {}
    for code in languages:
        locale = Locale.objects.get(language_code=code) if code != source_language else index.locale
        page = ActivityPage.objects.filter(reference_code__iexact=data.reference_code, locale=locale).first()
        if page is None:
            if source is None:
                parent = _parent(index, data.series_slug)
                page = ActivityPage(locale=locale, slug=slugify(data.reference_code), title=data.titles[code], start_date=data.start_date, reference_code=data.reference_code)
                # A new page is created live by default: only someone who may publish here gets that.
                page.live = user is None or parent.permissions_for_user(user).can_publish_subpage()
                parent.add_child(instance=page)
                created = True
            else:
                page = source.copy_for_translation(locale, copy_parents=True).specific
        else:
            page = page.get_latest_revision_as_object() if page.has_unpublished_changes else page
        page.title = data.titles.get(code) or data.titles[source_language]
        page.reference_code = data.reference_code
        page.activity_type = data.activity_type
        page.start_date, page.end_date = data.start_date, data.end_date
        page.summary = data.summaries.get(code, "")
        page.body = data.bodies.get(code, page.body if page.pk else "")
        page.outcomes = data.outcomes.get(code, page.outcomes if page.pk else "")
        page.venue, page.province = data.venues.get(code, data.venue), data.province
        page.commune = data.communes.get(code, data.commune)
        for name in COUNT_FIELDS:
            setattr(page, name, data.counts.get(name, 0))
        breakdown = sum(data.counts.get(name, 0) for name in COUNT_FIELDS)
        page.beneficiaries_total = data.beneficiaries_total if data.beneficiaries_total is not None else breakdown
        page.communes_count = data.communes_count
        page.source_note = data.source_notes.get(code, data.source_note)
        page.rights_notes = data.rights.get(code, data.rights_notes)
        local_themes = themes_by_locale.get(code, {})
        fallback = themes_by_locale.get(source_language, {})
        page.themes = [local_themes.get(slug) or fallback[slug] for slug in data.theme_slugs if slug in local_themes or slug in fallback]
        page.trainers = people
        page.partners = partners
        page.documents = _documents(page, data.attachments, shared_documents)
        page.full_clean()
        _save(page, user)
        source = source or page
    return source, created
