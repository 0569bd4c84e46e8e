"""Views over whole modules that read the learners' progress: the learner's dashboard (``/my/``)
and the trainers' reports (``/reports/``, in the ``courses`` URL namespace they have always had:
config/urls.py serves them with the courses app's URLs)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from accounts.models import User
from accounts.selectors import may_read_reports
from courses.models import CoursePage
from courses.selectors import reportable_courses
from exports import Column, export_response
from media_pipeline import get_media_model
from params.converters import parse_int
from vocabulary.regions import Province

from .reports import LEARNER_STATES, course_report, report_index_rows
from .selectors import dashboard_data, recording_use_choices
from .services import lesson_add_recording


@login_required
def dashboard(request):
    """"My learning": the signed-in learner's modules and certificates."""
    return render(request, "lessons/dashboard.html", dashboard_data(user=request.user))


def _report_course(request, course_id: int) -> CoursePage:
    course = reportable_courses(user=request.user).filter(pk=course_id).first()
    if course is None:
        raise Http404
    return course


@login_required
@require_GET
def report_index(request):
    """The modules whose reports this trainer or administrator may read."""
    courses = list(reportable_courses(user=request.user))
    if not courses and not (may_read_reports(request.user) or request.user.is_staff):
        raise PermissionDenied
    rows = report_index_rows(courses=courses, language=request.LANGUAGE_CODE)
    return render(request, "lessons/report_index.html", {"rows": rows})


@login_required
@require_GET
def report_detail(request, course_id: int):
    """One module's report: figures, charts with their tables, the learners 25 a page, and export links."""
    context = course_report(course=_report_course(request, course_id))
    page = Paginator(context["learners"], LEARNERS_PER_PAGE).get_page(request.GET.get("page"))
    provinces = dict(Province.choices)
    for learner in page.object_list:
        learner["province_label"] = provinces.get(learner["province"], "")
    context["learners_page"] = page
    return render(request, "lessons/report.html", context)


LEARNERS_PER_PAGE = 25


EXPORT_COLUMNS = [
    Column("name", gettext_lazy("Name")), Column("email", gettext_lazy("E-mail")),
    Column("province", gettext_lazy("Province"), choices=Province.choices),
    Column("category", gettext_lazy("Category"), choices=User.Category.choices),
    Column("gender", gettext_lazy("Gender"), choices=User.Gender.choices),
    Column("state", gettext_lazy("Status"), choices=LEARNER_STATES),
    Column("lessons_done", gettext_lazy("Lessons completed")), Column("time", gettext_lazy("Time spent (s)")),
    Column("score", gettext_lazy("Best quiz score (%)")), Column("enrolled_at", gettext_lazy("Enrolled at")),
    Column("completed_at", gettext_lazy("Completed at")), Column("certificate", gettext_lazy("Certificate")),
]


@login_required
@require_GET
def report_export(request, course_id: int, fmt: str):
    """The learners of one module as CSV or XLSX."""
    course = _report_course(request, course_id)
    return export_response(fmt=fmt, columns=EXPORT_COLUMNS, rows=course_report(course=course)["learners"],
                           filename=f"takwin-report-{course.slug}", sheet_title=gettext_lazy("Learners"))


@login_required
def recording_use(request, recording_id: int):
    """"Use in a lesson": the trainer picks one of their modules' lessons; the recording is added
    to its draft and the trainer continues in the lesson's editor."""
    recording = get_object_or_404(get_media_model(), pk=recording_id)
    if recording.uploaded_by_user_id != request.user.pk and not request.user.has_perm("media_pipeline.change_mediaasset"):
        raise Http404
    modules = recording_use_choices(user=request.user)
    if request.method == "POST":
        lesson_id = parse_int(request.POST.get("lesson"))
        lesson = next((item for module in modules for item in module["lessons"] if item.pk == lesson_id), None)
        if lesson is None:
            messages.error(request, _("Choose one of the lessons below."))
        else:
            try:
                lesson_add_recording(lesson=lesson, recording=recording, user=request.user)
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            else:
                messages.success(request, _("The recording was added to the lesson's draft: check it, then submit it."))
                return redirect(reverse("wagtailadmin_pages:edit", args=[lesson.pk]))
    status = 400 if request.method == "POST" else 200
    return render(request, "lessons/recording_use.html", {"recording": recording, "modules": modules}, status=status)
