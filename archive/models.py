"""The electronic archive of the institution's activities."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.search import index


class ArchiveIndexPage(Page):
    """The public archive (``/archive/``)."""

    intro = RichTextField(_("introduction"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    search_fields = Page.search_fields + [index.SearchField("intro")]
    parent_page_types = ["home.HomePage"]
    subpage_types = ["archive.ActivityPage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("archive")

    def get_context(self, request, *args, **kwargs):
        from .selectors import activity_list

        context = super().get_context(request, *args, **kwargs)
        context["activities"] = activity_list(locale=self.locale)
        return context


class ActivityPage(Page):
    """One past activity of the institution: a session, workshop, seminar or cycle."""

    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), null=True, blank=True)
    summary = models.TextField(_("summary"), max_length=800, blank=True)
    body = RichTextField(_("body"), blank=True)

    content_panels = Page.content_panels + [
        FieldPanel("start_date"),
        FieldPanel("end_date"),
        FieldPanel("summary"),
        FieldPanel("body"),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("summary"),
        index.SearchField("body"),
        index.FilterField("start_date"),
    ]
    parent_page_types = ["archive.ArchiveIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
