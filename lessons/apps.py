from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LessonsConfig(AppConfig):
    name = "lessons"
    verbose_name = _("Lessons")

    def ready(self):
        # Only lessons go under a module. The rule is stated here, on the lessons side,
        # because courses never names lessons (README, "Layout"); Wagtail reads it lazily.
        from courses.models import CoursePage

        CoursePage.subpage_types = ["lessons.LessonPage"]

        from . import signal_handlers

        signal_handlers.register()
