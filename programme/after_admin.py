"""Programme staff's admin screens after the session: closing held sessions, the evaluations' summary."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .models import Session, SessionStatus
from .selectors.access import STAFF_PERMISSION, is_programme_staff
from .selectors.evaluations import evaluation_summary
from .services.closing import session_close

__all__ = ["STAFF_PERMISSION", "close", "evaluations", "sessions_after"]


def _require_staff(user) -> None:
    if not is_programme_staff(user):
        raise PermissionDenied


def sessions_after(request):
    """Held sessions waiting to be closed, and the closed ones, each with its evaluations."""
    _require_staff(request.user)
    sessions = Session.objects.filter(status__in=[SessionStatus.HELD, SessionStatus.CLOSED]).order_by("status", "code")
    return TemplateResponse(request, "programme/admin/sessions_after.html", {
        "sessions": sessions, "page_title": _("After the session"), "held": SessionStatus.HELD,
    })


@require_POST
def close(request, session_id: int):
    """Close one held session (publishes its archive entry with the attendance figures)."""
    _require_staff(request.user)
    session = get_object_or_404(Session, pk=session_id)
    try:
        session_close(session=session, by=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("%(code)s is closed and published in the archive.") % {"code": session.code})
    return redirect("programme_after:index")


def evaluations(request, session_id: int):
    """The evaluations' aggregates (and comments) of one session, for staff."""
    _require_staff(request.user)
    session = get_object_or_404(Session, pk=session_id)
    return TemplateResponse(request, "programme/admin/evaluations.html", {
        "session": session, "summary": evaluation_summary(session=session),
        "page_title": _("Evaluations of %(code)s") % {"code": session.code},
    })
