"""Learner- and staff-facing views of the courses app that are not Wagtail pages: enrolment and
certificates. The dashboard and the module reports read progress: they are in ``lessons.module_views``."""

import re

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_GET, require_POST

from accounts.selectors import gendered

from .certificates import certificate_pdf, verification_url
from .models import Certificate, CoursePage
from .services import certificate_revoke, enrolment_create, enrolment_withdraw


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
        messages.success(request, gendered(request.user, default=_("You are enrolled. Good learning!"),
                                           feminine=pgettext("feminine", "You are enrolled. Good learning!")))
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


CODE_PATTERN = re.compile(r"[A-Za-z0-9]{1,32}")


def _code_typed(value: str) -> str:
    """A typed code as printed on certificates: spaces and dashes dropped, capitals."""
    return re.sub(r"[\s\-]", "", value or "").upper()[:64]


@require_GET
def certificate_lookup(request):
    """The verification form: a code typed here (or sent as ``?code=``) opens its page."""
    typed = request.GET.get("code")
    if typed is None:
        return render(request, "courses/certificate_lookup.html", {"code": ""})
    code = _code_typed(typed)
    if CODE_PATTERN.fullmatch(code):
        return redirect("courses:certificate_verify", code=code)
    error = _("A verification code has letters and digits only, as printed under the QR code.")
    return render(request, "courses/certificate_lookup.html", {"code": typed[:64], "error": error}, status=400)


@require_GET
def certificate_verify(request, code: str):
    """Public page: whose certificate this is, for which module, when, and whether it is valid.
    An unknown code gives a 404 page in the visitor's language, with the form to type it again."""
    certificate = Certificate.objects.filter(code=code.upper()).first()
    if certificate is None:
        return render(request, "courses/certificate_lookup.html", {"code": code, "not_found": True}, status=404)
    return render(request, "courses/certificate_verify.html", {
        "certificate": certificate,
        "can_revoke": request.user.is_authenticated and request.user.is_staff
        and request.user.has_perm("courses.change_certificate"),
    })


@login_required
@require_GET
def certificate_download(request, code: str):
    """The certificate PDF, for its holder or staff, in the language asked for (``?lang=``, else
    the language of the page the link is on)."""
    certificate = get_object_or_404(Certificate.objects.select_related("course", "user"), code=code.upper())
    if certificate.user_id != request.user.pk and not request.user.is_staff:
        raise Http404
    languages = dict(settings.LANGUAGES)
    language = request.GET.get("lang") if request.GET.get("lang") in languages else request.LANGUAGE_CODE
    pdf = certificate_pdf(certificate, base_url=request.build_absolute_uri("/"), language=language)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="takwin-certificate-{certificate.code}-{language}.pdf"'
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
