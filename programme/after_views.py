"""Public views after the session: evaluating it, its attendees (staff and trainers), its evaluations."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from accounts.models import User
from archive import charts
from exports import Column, export_response
from vocabulary.regions import Province

from .after_forms import EvaluationForm
from .models import Cohort, Evaluation, Session, SessionPage
from .selectors.access import can_see_attendees, is_programme_staff
from .selectors.attendance import attendees
from .selectors.cohorts import cohort_overview
from .selectors.evaluations import evaluable_registration, evaluation_summary
from .selectors.figures import DIMENSION_LABELS, DIMENSIONS, FigureFilters, plan_years, programme_figures
from .services.cohorts import cohort_review
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


def _figure_charts(figures: dict) -> list[dict]:
    sections = []
    for name in DIMENSIONS:
        rows = figures["tables"][name]
        chart = charts.hbar_chart_svg(
            [(str(row["label"]), row["beneficiaries"]) for row in rows],
            title=_("Distinct beneficiaries per %(dimension)s") % {"dimension": DIMENSION_LABELS[name]},
            chart_id=f"chart-{name}",
        ) if name != "year" else charts.bar_chart_svg(
            [(str(row["label"]), row["beneficiaries"]) for row in rows],
            title=_("Distinct beneficiaries per plan year"), chart_id="chart-year",
        )
        sections.append({"name": name, "label": DIMENSION_LABELS[name], "rows": rows, "chart": chart})
    return sections


def figures(request):
    """The programme in figures (aggregates only: no person is named), with filters and downloads."""
    filters = FigureFilters.from_querydict(request.GET)
    data = programme_figures(filters=filters, language=request.LANGUAGE_CODE)
    return render(request, "programme/figures.html", {
        "figures": data, "totals": data["totals"], "sections": _figure_charts(data), "filters": filters,
        "years": plan_years(), "themes": data["tables"]["theme"], "provinces": Province.choices,
        "categories": User.Category.choices, "genders": User.Gender.choices,
        "export_query": request.GET.urlencode(),
    })


def figures_export(request, fmt: str):
    """The figures' tables as one CSV/XLSX (one row per dimension and value), through ``exports``."""
    filters = FigureFilters.from_querydict(request.GET)
    data = programme_figures(filters=filters, language=request.LANGUAGE_CODE)
    # A plan year stays a number; the other values are their labels in the file's language.
    rows = [
        {"dimension": str(DIMENSION_LABELS[name]), **row, "label": row["label"] if name == "year" else str(row["label"])}
        for name in DIMENSIONS for row in data["tables"][name]
    ]
    return export_response(fmt=fmt, columns=FIGURE_COLUMNS, rows=rows, filename="takwin-programme-figures",
                                   sheet_title=_("Figures"))


FIGURE_COLUMNS = [
    Column("dimension", gettext_lazy("Dimension")), Column("label", gettext_lazy("Value")), Column("sessions", gettext_lazy("Sessions held")),
    Column("registrations", gettext_lazy("Registrations")), Column("participations", gettext_lazy("Participations")),
    Column("no_shows", gettext_lazy("No-shows")), Column("attendance_rate", gettext_lazy("Attendance rate (%)")),
    Column("beneficiaries", gettext_lazy("Distinct beneficiaries")), Column("completions", gettext_lazy("Online modules completed")),
]


def _cohort_access(user, cohort: Cohort) -> None:
    """Members' names and progress: programme staff and the trainers of the cohort's sessions."""
    if is_programme_staff(user):
        return
    if user.is_authenticated and SessionPage.objects.filter(session__cohort=cohort, trainers__user=user).exists():
        return
    raise PermissionDenied(_("Only programme staff and the cohort's trainers see its members."))


@login_required
def cohort_page(request, cohort_id: int):
    """One page per cohort: each member's attendance at its sessions and progress in its modules."""
    cohort = get_object_or_404(Cohort, pk=cohort_id)
    _cohort_access(request.user, cohort)
    language = request.LANGUAGE_CODE
    overview = cohort_overview(cohort=cohort, language=language)
    return render(request, "programme/cohort.html", {
        **overview, "name": cohort.name_ar if language == "ar" else cohort.name_fr,
        "can_review": is_programme_staff(request.user),
    })


@require_POST
@login_required
def cohort_review_view(request, cohort_id: int):
    """Staff check the cycle's rule for every member now (completions and certificates)."""
    cohort = get_object_or_404(Cohort, pk=cohort_id)
    if not is_programme_staff(request.user):
        raise PermissionDenied(_("Only programme staff can review a cohort."))
    done = cohort_review(cohort=cohort)
    messages.success(request, ngettext(
        "%(count)s member completed the cycle.", "%(count)s members completed the cycle.", len(done),
    ) % {"count": len(done)})
    return redirect("programme:cohort", cohort_id=cohort.pk)
