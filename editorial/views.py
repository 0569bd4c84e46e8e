"""Admin views of the editorial layer: translate in one click, and the module builder's
actions (reorder lessons, attach a quiz, choose a recording). Each calls a service."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from wagtail.admin.admin_url_finder import AdminURLFinder
from wagtail.models import Locale, Page, TaskState

from courses.models import CoursePage
from lessons.models import LessonPage, Quiz
from media_pipeline import get_media_model
from params.converters import parse_int

from . import selectors, services
from .gates import revision_problems


def _module_edit(lesson: LessonPage):
    return redirect("wagtailadmin_pages:edit", lesson.get_parent().pk)


def _refused(request, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


@require_POST
def translate(request, page_id: int, language: str):
    """Copy the page into ``language``'s tree as a draft, then open the copy."""
    page = get_object_or_404(Page, pk=page_id).specific
    locale = get_object_or_404(Locale, language_code=language)
    copy = services.page_translate(page=page, locale=locale, user=request.user)
    messages.success(
        request, _("The %(language)s version is a draft: translate it, then submit it for review.")
        % {"language": locale.get_display_name()}
    )
    return redirect("wagtailadmin_pages:edit", copy.pk)


@require_POST
def lessons_order(request, course_id: int):
    """Save the order the editor dragged the module's lessons into (``order``: ids, comma-separated)."""
    course = get_object_or_404(CoursePage, pk=course_id)
    ids = [parse_int(part) for part in request.POST.get("order", "").split(",")]
    if not ids or None in ids:
        return JsonResponse({"error": _("The order sent is not a list of lessons.")}, status=400)
    try:
        services.lessons_reorder(course=course, lesson_ids=ids, user=request.user)
    except ValidationError as error:
        return JsonResponse({"error": " ".join(error.messages)}, status=400)
    return JsonResponse({"ok": True})


@require_http_methods(["GET", "POST"])
def lesson_quiz(request, lesson_id: int):
    """Choose a quiz for the lesson (GET lists quizzes by title; POST attaches one)."""
    lesson = get_object_or_404(LessonPage, pk=lesson_id)
    if not lesson.permissions_for_user(request.user).can_edit():
        raise PermissionDenied
    if request.method == "POST":
        quiz = get_object_or_404(Quiz, pk=parse_int(request.POST.get("quiz", "")) or 0)
        try:
            services.lesson_attach_quiz(lesson=lesson, quiz=quiz, user=request.user)
        except ValidationError as error:
            _refused(request, error)
            return redirect("editorial:lesson_quiz", lesson.pk)
        messages.success(request, _("The quiz “%(quiz)s” is in the lesson’s draft.") % {"quiz": quiz})
        return _module_edit(lesson)
    query = request.GET.get("q", "")[:100]
    quizzes = Quiz.objects.filter(title__icontains=query) if query else Quiz.objects.all()
    return TemplateResponse(request, "editorial/chooser.html", {
        "lesson": lesson, "kind": "quiz", "heading": _("Attach a quiz"), "icon": "tasks",
        "columns": [_("Quiz"), _("Questions"), _("Pass mark"), _("Status")],
        "items": quizzes.prefetch_related("questions")[:50], "params": {"q": query},
    })


@require_http_methods(["GET", "POST"])
def lesson_recording(request, lesson_id: int):
    """Choose a recording for the lesson: listed by title, length and date with its encode
    state; only a ready one can be chosen."""
    lesson = get_object_or_404(LessonPage, pk=lesson_id)
    if not lesson.permissions_for_user(request.user).can_edit():
        raise PermissionDenied
    if request.method == "POST":
        recording = get_object_or_404(get_media_model(), pk=parse_int(request.POST.get("recording", "")) or 0)
        try:
            services.lesson_attach_recording(lesson=lesson, recording=recording, user=request.user)
        except ValidationError as error:
            _refused(request, error)
            return redirect("editorial:lesson_recording", lesson.pk)
        messages.success(request, _("The recording “%(title)s” is in the lesson’s draft.") % {"title": recording.title})
        return _module_edit(lesson)
    params = {key: request.GET.get(key, "")[:100] for key in ("q", "duration", "order")}
    recordings = selectors.recordings_for_choosing(
        query=params["q"], duration=params["duration"], order=params["order"] or "-created_at"
    )
    return TemplateResponse(request, "editorial/chooser.html", {
        "lesson": lesson, "kind": "recording", "heading": _("Choose a recording"), "icon": "media",
        "columns": [_("Recording"), _("Length"), _("Added"), _("Encoding")], "items": recordings[:50], "params": params,
        "durations": [("short", _("Under 10 minutes")), ("medium", _("10 to 30 minutes")), ("long", _("Over 30 minutes"))],
    })


@require_GET
def approval_refused(request, task_state_id: int):
    """Where an approval stopped by a quality gate lands (``ReviewTask.on_action``, from the
    dashboard or the listings): each problem as an error in the reviewer's language, then the
    edit screen of what was not approved. Nothing was published."""
    task_state = get_object_or_404(TaskState.objects.select_related("workflow_state"), pk=task_state_id)
    obj = task_state.workflow_state.content_object
    if obj is None or "approve" not in [name for name, *_ in task_state.task.specific.get_actions(obj, request.user)]:
        raise Http404
    revision = obj.get_latest_revision()
    for problem in revision_problems(revision=revision) if revision is not None else []:
        messages.error(request, problem)
    return redirect(AdminURLFinder(request.user).get_edit_url(obj) or "wagtailadmin_home")
