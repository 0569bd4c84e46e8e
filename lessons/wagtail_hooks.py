"""Quizzes in the Wagtail admin (a snippet viewset with the questions inline), and the lesson
outline that module pages show (courses reads no progress: it asks this hook)."""

from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import RevisionsCompareView, SnippetViewSet

from courses.models import COURSE_LESSON_FACTS_HOOK, COURSE_PAGE_CONTEXT_HOOK

from .models import Quiz
from .selectors import module_lesson_facts, module_outline


class QuizRevisionsCompareView(RevisionsCompareView):
    """Wagtail 8.0.1's comparison of two revisions answers 500 on a quiz id that is no
    number (``history/a/revisions/compare/…``): a 404 instead."""

    def get_object(self, queryset=None):
        from django.http import Http404

        from params.converters import parse_int

        if parse_int(str(self.pk)) is None:
            raise Http404
        return super().get_object(queryset)


class QuizViewSet(SnippetViewSet):
    """Quizzes in the admin: drafts, revisions, locks and review come from the model's mixins."""

    model = Quiz
    revisions_compare_view_class = QuizRevisionsCompareView
    icon = "tasks"
    menu_label = _("Quizzes")
    add_to_admin_menu = True
    menu_order = 210
    list_display = ["title", "pass_mark", "max_attempts", "time_limit_minutes"]
    search_fields = ["title"]


register_snippet(QuizViewSet)


class LearnerReportsMenuItem(MenuItem):
    """The module reports in the admin's Reports menu, for those who may read them."""

    def is_shown(self, request):
        from accounts.selectors import may_read_reports

        return may_read_reports(request.user)


@hooks.register("register_reports_menu_item")
def learner_reports_menu_item():
    # Lazy: the reports live under the language prefixes, and the admin's language is the user's.
    return LearnerReportsMenuItem(
        _("Learner reports"), reverse_lazy("courses:report_index"), name="learner-reports", icon_name="table", order=50
    )


@hooks.register(COURSE_PAGE_CONTEXT_HOOK)
def course_page_outline(*, course, user) -> dict:
    """The module page's lesson outline with the visitor's progress."""
    return {"outline": module_outline(course=course, user=user)}


@hooks.register(COURSE_LESSON_FACTS_HOOK)
def course_lesson_facts(*, courses) -> dict:
    """Modules' lengths and lesson counts from their live lessons (an editor's estimate wins: courses.selectors)."""
    return module_lesson_facts(courses)


@hooks.register("before_serve_document")
def protect_lesson_videos(document, request):
    """Wagtail's own ``/documents/<id>/<name>`` serves a lesson's video document only to
    those who may follow a lesson that plays it (the lesson's own access rule)."""
    from django.http import Http404

    from .selectors import document_video_access

    if document_video_access(document=document, request=request) == "denied":
        raise Http404


@hooks.register("personal_data_collect")
def personal_data_lessons(user):
    """The person's lesson progress and quiz attempts (they go with the account when it is deleted)."""
    from django.utils.translation import gettext as _

    from .models import LessonProgress, QuizAttempt

    progress = LessonProgress.objects.filter(user=user).select_related("lesson").defer("watched").order_by("started_at")
    attempts = QuizAttempt.objects.filter(user=user).select_related("lesson").order_by("started_at")
    return [
        {"key": "progress", "title": _("Lesson progress"),
         "columns": [("lesson", _("Lesson")), ("status", _("Status")), ("percent", _("Percent")),
                     ("time_spent", _("Time spent (s)")), ("completed_at", _("Completed on"))],
         "rows": [{"lesson": p.lesson.title, "status": p.status, "percent": p.percent, "time_spent": p.time_spent,
                   "completed_at": p.completed_at} for p in progress]},
        {"key": "quiz_attempts", "title": _("Quiz attempts"),
         "columns": [("lesson", _("Lesson")), ("started_at", _("Started on")), ("submitted_at", _("Submitted on")),
                     ("score", _("Score")), ("max_score", _("Maximum score"))],
         "rows": [{"lesson": a.lesson.title, "started_at": a.started_at, "submitted_at": a.submitted_at,
                   "score": a.score, "max_score": a.max_score} for a in attempts]},
    ]
