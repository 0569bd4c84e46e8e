"""Learner- and staff-facing views of the courses app that are not Wagtail pages."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from exports import Column, export_response

from .certificates import certificate_pdf, verification_url
from .models import Certificate, CoursePage
from .selectors import course_report, dashboard_data, reportable_courses
from .services import certificate_revoke, enrolment_create, enrolment_withdraw


@login_required
def dashboard(request):
    """"My learning": the signed-in learner's modules and certificates."""
    return render(request, "courses/dashboard.html", dashboard_data(user=request.user))


@login_required
@require_POST
def enrol(request, course_id: int):
    """Self-enrolment from a module page."""
    course = get_object_or_404(CoursePage.objects.live(), pk=course_id)
    try:
        enrolment_create(user=request.user, course=course)
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
    else:
        messages.success(request, _("You are enrolled. Good learning!"))
    return redirect(course.get_url(request))


@login_required
@require_POST
def unenrol(request, course_id: int):
    """Leave a module; progress and certificates are kept."""
    course = get_object_or_404(CoursePage, pk=course_id)
    try:
        enrolment_withdraw(user=request.user, course=course)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("You left this module. Your progress is kept if you come back."))
    return redirect(course.get_url(request) or "dashboard")


@require_GET
def certificate_verify(request, code: str):
    """Public page: whose certificate this is, for which module, when, and whether it is valid."""
    certificate = get_object_or_404(Certificate, code=code.upper())
    return render(request, "courses/certificate_verify.html", {
        "certificate": certificate,
        "can_revoke": request.user.is_authenticated and request.user.is_staff
        and request.user.has_perm("courses.change_certificate"),
    })


@login_required
@require_GET
def certificate_download(request, code: str):
    """The certificate PDF, for its holder or staff."""
    certificate = get_object_or_404(Certificate.objects.select_related("course"), code=code.upper())
    if certificate.user_id != request.user.pk and not request.user.is_staff:
        raise Http404
    pdf = certificate_pdf(certificate, base_url=request.build_absolute_uri("/"))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="takwin-certificate-{certificate.code}.pdf"'
    return response


@login_required
@require_POST
def certificate_revoke_view(request, code: str):
    """Staff revoke a certificate from its verification page."""
    certificate = get_object_or_404(Certificate, code=code.upper())
    try:
        certificate_revoke(certificate=certificate, by=request.user, reason=request.POST.get("reason", ""))
    except PermissionDenied as error:
        raise PermissionDenied(str(error)) from None
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The certificate is revoked."))
    return redirect(verification_url(certificate, base_url="/"))


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
    return render(request, "courses/report_index.html", {"courses": courses})


@login_required
@require_GET
def report_detail(request, course_id: int):
    """One module's report: figures, charts with their tables, and export links."""
    return render(request, "courses/report.html", course_report(course=_report_course(request, course_id)))


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
