"""The editorial layer in Wagtail's admin: its URLs, the editor's dashboard panels and the
translation state in page listings."""

from django.urls import include, path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail import hooks
from wagtail.admin.ui.components import Component
from wagtail.admin.widgets.button import ListingButton

from . import selectors
from .admin_setup import REVIEWED_PAGES


@hooks.register("insert_global_admin_css")
def editorial_css():
    """The module builder's, the choosers' and the translation panel's layout."""
    from django.templatetags.static import static
    from django.utils.html import format_html

    return format_html('<link rel="stylesheet" href="{}">', static("editorial/editorial.css"))


@hooks.register("register_admin_urls")
def register_urls():
    return [path("editorial/", include("editorial.urls", namespace="editorial"))]


class _DashboardPanel(Component):
    """One list of the editor's dashboard; hidden when empty."""

    template_name = "editorial/dashboard_panel.html"
    heading = ""
    panel_id = ""
    kind = "pages"

    def rows(self, request) -> list:
        """The panel's rows for ``request``'s user: each panel below defines its own (abstract here)."""
        raise NotImplementedError

    def get_context_data(self, parent_context):
        request = parent_context["request"]
        return {"heading": self.heading, "panel_id": self.panel_id, "kind": self.kind, "rows": self.rows(request)}


class DraftsPanel(_DashboardPanel):
    order = 205
    panel_id = "editorial-drafts"
    heading = property(lambda self: _("Your drafts"))

    def rows(self, request):
        return selectors.user_drafts(user=request.user)


class OutdatedTranslationsPanel(_DashboardPanel):
    order = 230
    panel_id = "editorial-translations"
    heading = property(lambda self: _("Translations out of date"))

    def rows(self, request):
        return selectors.outdated_translations()


class UnusedRecordingsPanel(_DashboardPanel):
    order = 240
    panel_id = "editorial-recordings"
    kind = "recordings"
    heading = property(lambda self: _("Recordings ready, not used in a lesson yet"))

    def rows(self, request):
        if not request.user.has_perm("media_pipeline.change_mediaasset"):
            return []
        return selectors.unused_ready_recordings()


@hooks.register("construct_homepage_panels")
def editor_dashboard(request, panels):
    # Wagtail's own panels stay: "Awaiting your review" and "Your pages in a workflow".
    panels += [DraftsPanel(), OutdatedTranslationsPanel(), UnusedRecordingsPanel()]


@hooks.register("construct_explorer_page_queryset")
def annotate_translations(parent_page, pages, request):
    """The page listing reads its rows' translations with the rows (one query for the
    languages): the buttons below cost no query per row. Not while searching, where the
    search backend builds its own query."""
    if request.GET.get("q"):
        return pages
    from wagtail.models import Locale

    return pages.annotate(**selectors.translation_annotations(list(Locale.objects.order_by("language_code"))))


#: The listing button of each translation state: label and icon.
_STATE_BUTTONS = {
    "out_of_date": (gettext_lazy("%(language)s: out of date"), "warning"),
    "source_changed": (gettext_lazy("%(language)s: the source changed after this translation"), "warning"),
    "up_to_date": (gettext_lazy("%(language)s: up to date"), "tick"),
}


@hooks.register("register_page_listing_buttons")
def translation_buttons(page, user, next_url=None):
    """In page listings, each module, lesson and activity says how its other-language
    version stands: missing (one click translates it), out of date, its source changed
    after it (a translation's own row), or up to date."""
    if not isinstance(page.specific_deferred, REVIEWED_PAGES):
        return
    for row in selectors.translation_status(page=page):
        language = row.language
        if row.state == "missing":
            if not user.has_perm("simple_translation.submit_translation"):
                continue
            yield ListingButton(
                _("Translate into %(language)s") % {"language": language},
                reverse("editorial:translate", args=[page.pk, row.locale.language_code]),
                icon_name="globe",
                attrs={"data-controller": "w-action", "data-action": "w-action#post"},
                priority=20,
            )
        else:
            label, icon = _STATE_BUTTONS[row.state]
            yield ListingButton(
                label % {"language": language},
                reverse("wagtailadmin_pages:edit", args=[row.translation_id]),
                icon_name=icon,
                attrs={"data-translation-state": row.state},
                priority=20,
            )
