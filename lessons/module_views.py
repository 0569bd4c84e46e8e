"""Views over whole modules that read the learners' progress: the learner's dashboard (``/my/``)
and the trainers' reports (``/reports/``, in the ``courses`` URL namespace they have always had:
config/urls.py serves them with the courses app's URLs)."""

import csv
import io

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from courses.models import CoursePage
from courses.selectors import reportable_courses

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
    ("name", "Name"), ("email", "E-mail"), ("province", "Province"), ("category", "Category"),
    ("gender", "Gender"), ("state", "Status"), ("lessons_done", "Lessons completed"),
    ("time", "Time spent (s)"), ("score", "Best quiz score (%)"), ("enrolled_at", "Enrolled at"),
    ("completed_at", "Completed at"), ("certificate", "Certificate"),
]


def _export_rows(report: dict):
    yield [_(label) for _key, label in EXPORT_COLUMNS]
    for learner in report["learners"]:
        row = []
        for key, _label in EXPORT_COLUMNS:
            value = learner[key]
            if hasattr(value, "isoformat"):
                value = value.replace(tzinfo=None).isoformat(sep=" ", timespec="seconds")
            row.append("" if value is None else value)
        yield row


@login_required
@require_GET
def report_export(request, course_id: int, fmt: str):
    """The learners of one module as CSV or XLSX."""
    course = _report_course(request, course_id)
    report = course_report(course=course)
    name = f"takwin-report-{course.slug}"
    if fmt == "csv":
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
        response.write("\ufeff")  # a BOM, so that spreadsheet programs read the Arabic as UTF-8
        writer = csv.writer(response)
        for row in _export_rows(report):
            writer.writerow(row)
        return response
    if fmt == "xlsx":
        from openpyxl import Workbook

        workbook = Workbook()
        sheet = workbook.active
        sheet.title = "Learners"
        sheet.sheet_view.rightToLeft = course.locale.language_code == "ar"
        for row in _export_rows(report):
            sheet.append(row)
        buffer = io.BytesIO()
        workbook.save(buffer)
        response = HttpResponse(
            buffer.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
        response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
        return response
    raise Http404
