"""The home page: the root of each language's page tree."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.models import Page
from wagtail.search import index


class HomePage(Page):
    """The site's front page: a hero, featured modules, the latest archive entries."""

    hero_title = models.CharField(_("hero title"), max_length=200)
    hero_text = models.TextField(_("hero text"), max_length=600, blank=True)
    hero_cta_label = models.CharField(_("button label"), max_length=60, blank=True)

    content_panels = Page.content_panels + [
        FieldPanel("hero_title"),
        FieldPanel("hero_text"),
        FieldPanel("hero_cta_label"),
    ]
    search_fields = Page.search_fields + [index.SearchField("hero_text")]
    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["courses.CourseIndexPage", "archive.ArchiveIndexPage"]

    class Meta:
        verbose_name = _("home page")
        verbose_name_plural = _("home pages")

    def route(self, request, path_components):
        # Each language's tree starts here: remember which page answers a path (pagecache.routing).
        from pagecache.routing import cached_route

        return cached_route(self, request, path_components, super().route)

    def get_context(self, request, *args, **kwargs):
        # Content apps own their queries; the home page only composes them.
        from archive.selectors import activity_list, latest_activities
        from courses.selectors import course_list, featured_courses, with_card_facts
        from pagecache import cache_in_generation, versioned_key
        from vocabulary.regions import Province

        context = super().get_context(request, *args, **kwargs)
        context["featured_courses"] = with_card_facts(featured_courses(locale=self.locale))
        context["latest_activities"] = latest_activities(locale=self.locale)
        context["figures"] = cache_in_generation(
            versioned_key("home:figures", self.locale_id),
            lambda: {
                "modules": course_list(locale=self.locale).count(),
                "provinces": len(Province.choices),
                "activities": activity_list(locale=self.locale).count(),
            },
        )
        return context
