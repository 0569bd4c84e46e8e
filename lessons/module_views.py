"""Views over whole modules that read the learners' progress: the learner's dashboard (``/my/``)
and the trainers' reports (``/reports/``, in the ``courses`` URL namespace they have always had:
config/urls.py serves them with the courses app's URLs)."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from courses.models import CoursePage
from courses.selectors import reportable_courses
from exports import Column, export_response

from .reports import course_report
from .selectors import dashboard_data


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
    if not courses and not request.user.is_staff:
        raise PermissionDenied
    return render(request, "lessons/report_index.html", {"courses": courses})


@login_required
@require_GET
def report_detail(request, course_id: int):
    """One module's report: figures, charts with their tables, and export links."""
    return render(request, "lessons/report.html", course_report(course=_report_course(request, course_id)))


EXPORT_COLUMNS = [
    Column("name", gettext_lazy("Name")), Column("email", gettext_lazy("E-mail")),
    Column("province", gettext_lazy("Province")), Column("category", gettext_lazy("Category")),
    Column("gender", gettext_lazy("Gender")), Column("state", gettext_lazy("Status")),
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
