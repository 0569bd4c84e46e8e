"""The plan year's page and the session page.

A session page *is* an archive activity (multi-table inheritance from ``archive.ActivityPage``): the
plan's session and its archive entry are one record. The archive lists it once it is closed
(``ActivityPage.listed``), with the attendance that check-in recorded.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.search import index

from archive.models import ActivityPage


class PlanPage(RoutablePageMixin, Page):
    """The annual training plan of one year: its sessions by theme and month."""

    year = models.PositiveSmallIntegerField(_("plan year"))
    intro = RichTextField(_("introduction"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("year"), FieldPanel("intro")]
    search_fields = Page.search_fields + [index.SearchField("intro"), index.FilterField("year")]
    parent_page_types = ["archive.ArchiveIndexPage"]
    subpage_types = ["programme.SessionPage"]

    class Meta:
        verbose_name = _("annual plan")
        verbose_name_plural = _("annual plans")

    @path("")
    def plan(self, request):
        from ..views import plan_view

        return plan_view(request, plan=self)

    @path("calendar/", name="calendar")
    def calendar(self, request):
        from ..views import plan_calendar

        return plan_calendar(request, plan=self)


class SessionPage(ActivityPage):
    """A session of the plan, as the public reads it (one per language; both share one ``Session``)."""

    session = models.ForeignKey(
        "programme.Session", verbose_name=_("session"), on_delete=models.PROTECT, related_name="pages",
    )

    content_panels = ActivityPage.content_panels + [FieldPanel("session")]
    search_fields = ActivityPage.search_fields
    parent_page_types = ["programme.PlanPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("plan session")
        verbose_name_plural = _("plan sessions")

    def get_context(self, request, *args, **kwargs):
        from ..views import session_page_context

        # Page's context, not the archive record's: the session page shows no gallery, partners or
        # related activities while it is planned, which keeps it within its query budget.
        context = Page.get_context(self, request, *args, **kwargs)
        context.update(session_page_context(request, page=self))
        return context
