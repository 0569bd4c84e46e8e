"""What the editorial layer adds to the content apps' admin: the gated forms and the
translation and lesson panels (called once, from EditorialConfig.ready)."""

from archive.models import ActivityPage, ActivitySeriesPage
from courses.models import CoursePage
from lessons.models import LessonPage, Quiz

from .forms import EditorialPageForm, QuizForm
from .panels import ModuleLessonsPanel, TranslationStatusPanel

#: The page types that go through review and show their translations' state.
REVIEWED_PAGES = (CoursePage, LessonPage, ActivityPage, ActivitySeriesPage)


def install() -> None:
    for model in REVIEWED_PAGES:
        model.base_form_class = EditorialPageForm
        extra = [TranslationStatusPanel()]
        if model is CoursePage:
            extra.append(ModuleLessonsPanel())
        # Right below the title: the first thing an editor reads on opening the page.
        model.content_panels = [*model.content_panels[:1], *extra, *model.content_panels[1:]]
    Quiz.base_form_class = QuizForm
