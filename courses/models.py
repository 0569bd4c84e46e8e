"""The course catalogue: themes, the catalogue page and one page per module."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page, TranslatableMixin
from wagtail.search import index
from wagtail.snippets.models import register_snippet


@register_snippet
class Theme(TranslatableMixin, models.Model):
    """A training theme of the institution's plan (shared by modules and the archive)."""

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=80, allow_unicode=False)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    panels = [FieldPanel("name"), FieldPanel("slug"), FieldPanel("sort_order")]

    class Meta(TranslatableMixin.Meta):
        verbose_name = _("theme")
        verbose_name_plural = _("themes")
        ordering = ["sort_order", "name"]
        unique_together = [("translation_key", "locale"), ("slug", "locale")]

    def __str__(self):
        return self.name


class CourseIndexPage(Page):
    """The catalogue of modules (``/courses/``)."""

    intro = RichTextField(_("introduction"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    search_fields = Page.search_fields + [index.SearchField("intro")]
    parent_page_types = ["home.HomePage"]
    subpage_types = ["courses.CoursePage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("course catalogue")

    def get_context(self, request, *args, **kwargs):
        from .selectors import course_list

        context = super().get_context(request, *args, **kwargs)
        context["courses"] = course_list(locale=self.locale, parent=self)
        return context


class CoursePage(Page):
    """One training module: what it covers and for whom; its lessons are child pages."""

    theme = models.ForeignKey(
        Theme, verbose_name=_("theme"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    summary = models.TextField(_("summary"), max_length=600)
    body = RichTextField(_("description"), blank=True)
    featured = models.BooleanField(_("featured on the home page"), default=False)

    content_panels = Page.content_panels + [
        FieldPanel("theme"),
        FieldPanel("summary"),
        FieldPanel("body"),
    ]
    promote_panels = Page.promote_panels + [FieldPanel("featured")]
    search_fields = Page.search_fields + [
        index.SearchField("summary"),
        index.SearchField("body"),
        index.FilterField("theme"),
        index.FilterField("locale"),
    ]
    parent_page_types = ["courses.CourseIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("course module")
        verbose_name_plural = _("course modules")
