"""Public views after the session: evaluating it, its attendees (staff and trainers), its evaluations."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from .after_forms import EvaluationForm
from .models import Evaluation, Session
from .selectors.access import can_see_attendees
from .selectors.attendance import attendees
from .selectors.evaluations import evaluable_registration, evaluation_summary
from .services.evaluations import evaluation_submit


def _session_title(session: Session, language: str) -> str:
    page = session.pages.filter(locale__language_code=language).first() or session.pages.first()
    return page.title if page else session.code


@login_required
def evaluate(request, session_id: int):
    """The attendee's evaluation form (one per registration); anyone else is refused (403)."""
    session = get_object_or_404(Session, pk=session_id)
    registration = evaluable_registration(user=request.user, session=session)
    if registration is None:
        raise PermissionDenied(_("Only attendees of a held session can evaluate it."))
    done = Evaluation.objects.filter(registration=registration).first()
    form = EvaluationForm(request.POST or None)
    if request.method == "POST" and done is None and form.is_valid():
        try:
            evaluation_submit(user=request.user, session=session, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Thank you: your evaluation is recorded."))
            return redirect(request.path)
    return render(request, "programme/evaluation_form.html", {
        "session": session, "title": _session_title(session, request.LANGUAGE_CODE), "form": form, "done": done,
    }, status=400 if form.errors else 200)


@login_required
def session_attendees(request, session_id: int):
    """Attendees' names, contacts and evaluations' summary: programme staff and the session's trainers."""
    session = get_object_or_404(Session, pk=session_id)
    if not can_see_attendees(user=request.user, session=session):
        raise PermissionDenied(_("Only programme staff and this session's trainers see its attendees."))
    people = list(attendees(session=session).select_related("commune"))
    return render(request, "programme/session_attendees.html", {
        "session": session, "title": _session_title(session, request.LANGUAGE_CODE), "people": people,
        "summary": evaluation_summary(session=session),
    })
