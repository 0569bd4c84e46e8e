from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "search"
    verbose_name = _("Search")

    def ready(self):
        from search import signal_handlers
        from search.registry import register_builtin_facets

        register_builtin_facets()
        signal_handlers.register()
