"""Edit-screen panels: the translations' state of a page, and a module's lessons in order."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import Panel


class TranslationStatusPanel(Panel):
    """For each other language: missing (with a one-click translate), or its last change
    compared with this page's; on a translation, whether its source changed after it."""

    def __init__(self, **kwargs):
        kwargs.setdefault("heading", _("Translations"))
        super().__init__(**kwargs)

    class BoundPanel(Panel.BoundPanel):
        template_name = "editorial/translation_status_panel.html"

        def get_context_data(self, parent_context=None):
            from .selectors import source_language, translation_status

            context = super().get_context_data(parent_context)
            context["statuses"] = translation_status(page=self.instance) if self.instance.pk else []
            context["source_language"] = source_language()
            context["page_id"] = self.instance.pk
            return context


class ModuleLessonsPanel(Panel):
    """The module's lessons in their order (drag to reorder), with their quizzes and
    recordings, and the links to add a lesson, attach a quiz or choose a recording."""

    def __init__(self, **kwargs):
        kwargs.setdefault("heading", _("Lessons of this module"))
        super().__init__(**kwargs)

    class BoundPanel(Panel.BoundPanel):
        template_name = "editorial/module_lessons_panel.html"

        def get_context_data(self, parent_context=None):
            from .selectors import module_lessons

            context = super().get_context_data(parent_context)
            context["module"] = self.instance
            context["lessons"] = module_lessons(course=self.instance) if self.instance.pk else []
            return context
