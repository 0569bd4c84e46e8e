from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoursesConfig(AppConfig):
    name = "courses"
    verbose_name = _("Courses")

    def ready(self):
        # The search app knows no content app: courses register the theme facet with it.
        from search.registry import register_facet

        def theme_names(keys):
            from vocabulary.models import Theme

            # Other indexed models may use "theme" for free text: only ids name a Theme.
            ids = [int(key) for key in keys if str(key).isdigit()]
            return dict(Theme.objects.filter(pk__in=ids).values_list("pk", "name"))

        register_facet("theme", label=_("Theme"), field_name="theme", value_labels=theme_names, order=20)
