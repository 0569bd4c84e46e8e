from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EditorialConfig(AppConfig):
    name = "editorial"
    verbose_name = _("Editorial workflow")

    def ready(self):
        # The content apps know nothing of the editorial layer above them: it adds its form
        # (quality gates) and panels (translations, the module's lessons) to their page
        # models here, as lessons/apps.py states a module's subpage types. Wagtail builds
        # edit handlers lazily, on the first admin request, so this is early enough.
        from . import admin_setup, signal_handlers

        admin_setup.install()
        signal_handlers.register()
