"""The electronic archive of the institution's activities.

ISAD(G) levels: the archive (fonds) → series (a plan year, a cycle) → activity (file).
Each activity is a Wagtail page translated per locale; translations share a reference
code, which gives the permalink ``/archive/<year>/<reference>/``.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path, re_path
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index
from wagtail.snippets.models import register_snippet

from search.attachments import ATTACHMENT_BOOST, ATTACHMENT_FIELD, attachment_parts, join_parts
from vocabulary.models import Person, Theme
from vocabulary.regions import Province

from .blocks import video_stream_blocks

REFERENCE_RE = r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}"


class ActivityType(models.TextChoices):
    """The kinds of activity the institution runs."""

    TRAINING_SESSION = "training-session", _("Training session")
    WORKSHOP = "workshop", _("Workshop")
    SEMINAR = "seminar", _("Seminar")
    TRAINING_OF_TRAINERS = "training-of-trainers", _("Training of trainers")
    STUDY_VISIT = "study-visit", _("Study visit")
    CONFERENCE = "conference", _("Conference")


@register_snippet
class Partner(models.Model):
    """A partner institution, named in both languages."""

    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    name_ar = models.CharField(_("name in Arabic"), max_length=250)
    name_fr = models.CharField(_("name in French"), max_length=250)

    panels = [FieldPanel("slug"), FieldPanel("name_ar"), FieldPanel("name_fr")]
    search_fields = [index.SearchField("name_ar"), index.SearchField("name_fr")]

    class Meta:
        verbose_name = _("partner institution")
        verbose_name_plural = _("partner institutions")
        ordering = ["slug"]

    def __str__(self):
        return self.name_fr or self.name_ar

    def name_for(self, language_code: str) -> str:
        """The name in ``language_code``, falling back to the other language."""
        if language_code == "ar":
            return self.name_ar or self.name_fr
        return self.name_fr or self.name_ar


class ArchiveIndexPage(RoutablePageMixin, Page):
    """The public archive (``/archive/``): browse, timeline, map, statistics, feed, exports, permalinks."""

    intro = RichTextField(_("introduction"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    search_fields = Page.search_fields + [index.SearchField("intro")]
    parent_page_types = ["home.HomePage"]
    subpage_types = ["archive.ActivitySeriesPage", "archive.ActivityPage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("archive")
        verbose_name_plural = _("archives")

    def get_context(self, request, *args, **kwargs):
        from .views import browse_context

        context = super().get_context(request, *args, **kwargs)
        context.update(browse_context(request, index_page=self))
        return context

    @path("")
    def browse(self, request):
        return self.render(request)

    @path("timeline/", name="timeline")
    def timeline(self, request):
        from .views import timeline

        return timeline(request, index_page=self)

    @path("map/", name="map")
    def map(self, request):
        from .views import province_map

        return province_map(request, index_page=self)

    @path("statistics/", name="statistics")
    def statistics(self, request):
        from .views import statistics

        return statistics(request, index_page=self)

    @path("feed/", name="feed")
    def feed(self, request):
        from .feeds import ActivityFeed

        return ActivityFeed(index_page=self)(request)

    @re_path(r"^export/(?P<fmt>csv|xlsx|json)/$", name="export")
    def export(self, request, fmt):
        from .views import export

        return export(request, index_page=self, fmt=fmt)

    @re_path(rf"^(?P<year>\d{{4}})/(?P<reference>{REFERENCE_RE})/$", name="permalink")
    def permalink(self, request, year, reference):
        # The search (view restrictions, the activity, its specific page) is remembered per content
        # generation (pagecache): a hit costs the one query of the page itself, which is checked again.
        from pagecache import versioned_key
        from pagecache.routing import cached_page

        def find():
            activity = (
                ActivityPage.objects.live().public().filter(locale_id=self.locale_id, reference_code__iexact=reference)
                .descendant_of(self).first()
            )
            return activity.specific if activity is not None else None

        activity = cached_page(versioned_key("permalink", self.pk, reference.lower()), find)
        if (
            activity is None or not activity.live or activity.locale_id != self.locale_id
            or not activity.path.startswith(self.path) or activity.reference_code.lower() != reference.lower()
            or activity.start_date.year != int(year)
        ):
            raise Http404
        return activity.serve(request)


class SeriesLevel(models.TextChoices):
    PLAN_YEAR = "plan-year", _("Plan year")
    CYCLE = "cycle", _("Cycle")


class ActivitySeriesPage(Page):
    """An ISAD(G) series: the activities of a plan year or of a cycle such as the training of trainers."""

    reference_code = models.CharField(_("reference code"), max_length=64, blank=True)
    level = models.CharField(_("kind of series"), max_length=20, choices=SeriesLevel.choices, default=SeriesLevel.PLAN_YEAR)
    intro = RichTextField(_("introduction"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("reference_code"), FieldPanel("level"), FieldPanel("intro")]
    search_fields = Page.search_fields + [index.SearchField("intro")]
    parent_page_types = ["archive.ArchiveIndexPage"]
    subpage_types = ["archive.ActivityPage"]

    class Meta:
        verbose_name = _("series")
        verbose_name_plural = _("series")

    def get_context(self, request, *args, **kwargs):
        from .selectors import activity_list

        context = super().get_context(request, *args, **kwargs)
        context["activities"] = activity_list(locale=self.locale).child_of(self).select_related("locale")
        return context


BENEFICIARY_FIELDS = [
    ("elected", "women"), ("elected", "men"),
    ("staff", "women"), ("staff", "men"),
    ("other", "women"), ("other", "men"),
]


class ActivityPage(Page):
    """One past activity of the institution: a session, workshop, seminar, visit or conference (ISAD(G) file)."""

    reference_code = models.CharField(
        _("reference code"), max_length=64, db_index=True, default="",
        help_text=_("Stable identifier shared by the translations, e.g. MDE-2017-004; it makes the permalink."),
    )
    activity_type = models.CharField(_("type"), max_length=30, choices=ActivityType.choices, default=ActivityType.TRAINING_SESSION)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), null=True, blank=True)
    summary = models.TextField(_("summary"), max_length=800, blank=True)
    venue = models.CharField(_("venue"), max_length=250, blank=True)
    province = models.CharField(_("province"), max_length=30, choices=Province.choices, blank=True)
    commune = models.CharField(_("commune"), max_length=120, blank=True)
    themes = ParentalManyToManyField(Theme, verbose_name=_("themes"), blank=True, related_name="activities")
    trainers = ParentalManyToManyField(Person, verbose_name=_("trainers and speakers"), blank=True, related_name="activities")
    partners = ParentalManyToManyField(Partner, verbose_name=_("partner institutions"), blank=True, related_name="activities")

    elected_women = models.PositiveIntegerField(_("elected members, women"), default=0)
    elected_men = models.PositiveIntegerField(_("elected members, men"), default=0)
    staff_women = models.PositiveIntegerField(_("staff, women"), default=0)
    staff_men = models.PositiveIntegerField(_("staff, men"), default=0)
    other_women = models.PositiveIntegerField(_("others, women"), default=0)
    other_men = models.PositiveIntegerField(_("others, men"), default=0)
    beneficiaries_total = models.PositiveIntegerField(
        _("beneficiaries in total"), default=0,
        help_text=_("Must equal the sum of the breakdown when a breakdown is given."),
    )
    communes_count = models.PositiveIntegerField(_("communes represented"), null=True, blank=True)

    body = RichTextField(_("body"), blank=True)
    videos = StreamField(video_stream_blocks(), verbose_name=_("recorded videos"), blank=True)
    # Kept in step with ``videos`` by clean() so the "has video" facet is a plain column filter.
    has_video = models.BooleanField(default=False, editable=False)
    # A plan session (programme.SessionPage) is an activity from the day it is planned, but the
    # archive lists it only once it is closed with its real attendance; every other activity is listed.
    listed = models.BooleanField(_("listed in the archive"), default=True, editable=False)
    outcomes = RichTextField(_("outcomes and recommendations"), blank=True)
    rights_notes = models.TextField(_("rights and access notes"), blank=True)
    source_note = models.CharField(
        _("source"), max_length=250, blank=True,
        help_text=_("Where this record comes from, e.g. compiled from public press reports."),
    )

    content_panels = Page.content_panels + [
        MultiFieldPanel([
            FieldPanel("reference_code"), FieldPanel("activity_type"),
            FieldRowPanel([FieldPanel("start_date"), FieldPanel("end_date")]),
        ], heading=_("Identity")),
        FieldPanel("summary"),
        MultiFieldPanel([FieldPanel("venue"), FieldPanel("province"), FieldPanel("commune")], heading=_("Place")),
        FieldPanel("themes"), FieldPanel("trainers"), FieldPanel("partners"),
        MultiFieldPanel([
            FieldRowPanel([FieldPanel("elected_women"), FieldPanel("elected_men")]),
            FieldRowPanel([FieldPanel("staff_women"), FieldPanel("staff_men")]),
            FieldRowPanel([FieldPanel("other_women"), FieldPanel("other_men")]),
            FieldPanel("beneficiaries_total"), FieldPanel("communes_count"),
        ], heading=_("Beneficiaries (numbers only, never names)")),
        FieldPanel("body"),
        InlinePanel("gallery_images", label=_("Gallery")),
        InlinePanel("documents", label=_("Documents")),
        FieldPanel("videos"),
        FieldPanel("outcomes"),
        MultiFieldPanel([FieldPanel("rights_notes"), FieldPanel("source_note")], heading=_("Rights and source")),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("summary"),
        index.SearchField("body"),
        index.SearchField("outcomes"),
        index.SearchField("venue"),
        index.SearchField("commune"),
        index.SearchField("reference_code"),
        # The words of its facets (themes, province, type, people, partners) in the page's language:
        # a search for a theme's name finds the activities filed under it.
        index.SearchField("facet_words"),
        index.FilterField("start_date"),
        index.FilterField("activity_type"),
        index.FilterField("province"),
        index.FilterField("locale"),
        index.FilterField("start_year"),
        # Last on purpose: the search page splits the stored body at the attachments.
        index.SearchField(ATTACHMENT_FIELD, boost=ATTACHMENT_BOOST),
    ]
    parent_page_types = ["archive.ArchiveIndexPage", "archive.ActivitySeriesPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")

    @property
    def start_year(self) -> int | None:
        """The year the activity started (the search page's year facet)."""
        return self.start_date.year if self.start_date else None

    def facet_words(self) -> str:
        """The names of the activity's themes, province, type, trainers and speakers, and partners,
        in the page's language (people and partners fall back to their other name), for search."""
        from django.utils import translation

        language = self.locale.language_code
        with translation.override(language):
            words = [str(self.get_activity_type_display()), str(self.get_province_display() or "")]
            words += [theme.name for theme in self.themes.all()]
            words += [person.name for person in self.trainers.all()]
        words += [partner.name_for(language) for partner in self.partners.all()]
        return "\n".join(word for word in words if word)

    def attachment_text(self) -> str:
        """The text of the activity's documents and of its recordings' captions, for search."""
        document_ids = [row.document_id for row in self.documents.all()]
        recording_ids = [
            block["value"] if block["type"] == "recording" else (block["value"] or {}).get("recording")
            for block in self.videos.raw_data
        ]
        language = self.locale.language_code
        return join_parts(attachment_parts(document_ids=document_ids, recording_ids=recording_ids, language=language))

    @property
    def breakdown_total(self) -> int:
        return sum(getattr(self, f"{cat}_{gender}") for cat, gender in BENEFICIARY_FIELDS)

    @property
    def women(self) -> int:
        return self.elected_women + self.staff_women + self.other_women

    @property
    def men(self) -> int:
        return self.elected_men + self.staff_men + self.other_men

    def clean(self):
        super().clean()
        self.has_video = bool(self.videos)
        errors = {}
        if self.start_date and self.end_date and self.end_date < self.start_date:
            errors["end_date"] = _("The end date cannot be before the start date.")
        breakdown = self.breakdown_total
        if breakdown and breakdown != self.beneficiaries_total:
            errors["beneficiaries_total"] = _(
                "The total (%(total)s) does not add up: the breakdown by category and gender sums to %(sum)s."
            ) % {"total": self.beneficiaries_total, "sum": breakdown}
        if self.reference_code:
            clash = ActivityPage.objects.filter(reference_code__iexact=self.reference_code, locale_id=self.locale_id)
            if self.pk:
                clash = clash.exclude(pk=self.pk)
            if clash.exists():
                errors["reference_code"] = _("Another activity already uses this reference code.")
        if errors:
            raise ValidationError(errors)

    def get_url_parts(self, request=None):
        """Serve the permalink ``<archive>/<year>/<reference>/`` whatever the tree path and the title."""
        parts = super().get_url_parts(request)
        if parts is None or not self.reference_code or not self.start_date:
            return parts
        site_id, root_url, page_path = parts
        # The archive index sits at depth 3 (root → home → archive); a series adds one segment.
        segments = page_path.rstrip("/").split("/")
        index_path = "/".join(segments[: len(segments) - (self.depth - 3)])
        return site_id, root_url, f"{index_path}/{self.start_date.year}/{self.reference_code}/"

    def get_context(self, request, *args, **kwargs):
        from .selectors import activity_detail_context

        context = super().get_context(request, *args, **kwargs)
        context.update(activity_detail_context(self, cached=not getattr(request, "is_preview", False)))
        return context

    def get_sitemap_urls(self, request=None):
        return [{"location": self.get_full_url(request), "lastmod": self.last_published_at or self.latest_revision_created_at}]


class ActivityImage(Orderable):
    """A gallery photo; shown to the public only when consent is noted."""

    page = ParentalKey(ActivityPage, on_delete=models.CASCADE, related_name="gallery_images")
    image = models.ForeignKey("wagtailimages.Image", verbose_name=_("image"), on_delete=models.CASCADE, related_name="+")
    caption = models.CharField(_("caption"), max_length=250, blank=True)
    consent = models.BooleanField(
        _("consent noted"), default=False,
        help_text=_("The people shown agreed to publication; without it the photo stays private."),
    )

    panels = [FieldPanel("image"), FieldPanel("caption"), FieldPanel("consent")]


class DocumentKind(models.TextChoices):
    PROGRAMME = "programme", _("Programme")
    SLIDES = "slides", _("Slides")
    REPORT = "report", _("Report")
    OTHER = "other", _("Other document")


class ActivityDocument(Orderable):
    """A document of the activity: programme, slides or report."""

    page = ParentalKey(ActivityPage, on_delete=models.CASCADE, related_name="documents")
    document = models.ForeignKey("wagtaildocs.Document", verbose_name=_("document"), on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("kind"), max_length=20, choices=DocumentKind.choices, default=DocumentKind.OTHER)

    panels = [FieldPanel("document"), FieldPanel("kind")]
