"""Admin: a clear message on the dashboard when the search index is unusable."""

from django.utils.html import format_html
from django.utils.translation import gettext as _
from wagtail import hooks
from wagtail.admin.ui.components import Component

from search.health import index_status


class SearchIndexPanel(Component):
    """Shown only when the index is missing or damaged."""

    name = "search_index_status"
    order = 10

    def __init__(self, status: dict):
        self.status = status

    def render_html(self, parent_context=None):
        return format_html(
            '<section class="panel help-block help-critical" role="alert" aria-labelledby="search-index-status">'
            '<h2 id="search-index-status">{}</h2><p>{}</p><p><code>{}</code></p></section>',
            _("Search is not working"),
            _(
                "The search index is missing or damaged: visitors get empty search results. "
                "Rebuild it with the command below (search keeps answering from the old index meanwhile)."
            ),
            "python manage.py update_index",
        )


@hooks.register("construct_homepage_panels")
def add_search_index_panel(request, panels):
    status = index_status()
    if not status["ok"]:
        panels.insert(0, SearchIndexPanel(status))
