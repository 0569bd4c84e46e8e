from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ArchiveConfig(AppConfig):
    name = "archive"
    verbose_name = _("Archive")

    def ready(self):
        # The search app knows no content app: the archive registers its facets with it.
        from search.registry import register_facet
        from vocabulary.regions import Province

        from .models import ActivityType

        register_facet("year", label=_("Year"), field_name="start_year", sort="value", order=30)
        register_facet(
            "province", label=_("Province"), field_name="province", order=40,
            value_labels=lambda keys: dict(Province.choices),
        )
        register_facet(
            "activity_type", label=_("Activity type"), field_name="activity_type", order=50,
            value_labels=lambda keys: dict(ActivityType.choices),
        )
