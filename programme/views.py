"""Public and officials' views of the programme: the plan page, a session page's registration box,
registering (two taps: the session page's button, then "Confirm"), cancelling, "my sessions" and the
iCalendar feeds. The decisions are the services'; these views read, call and show the outcome."""

import datetime

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from wagtail.models import Locale

from vocabulary.models import Theme
from vocabulary.regions import Province

from .calendar import calendar_bytes
from .models import Audience, Registration, Session, SessionModule, SessionPage, SessionStatus
from .qr import registration_qr_svg
from .selectors import plan as plan_selectors
from .selectors import registrations as reg_selectors
from .services.registration import can_cancel, cancel_registration, register


def _errors(error: ValidationError) -> str:
    return " ".join(error.messages)


def _active_filters(filters, themes) -> list[dict]:
    """The filters in force as chips: each one's label and the query string without it."""
    labels = {
        "theme": {theme.slug: theme.name for theme in themes}, "province": dict(Province.choices),
        "audience": dict(Audience.choices),
    }
    return [
        {"label": labels[name][getattr(filters, name)], "query": filters.query(**{name: ""})}
        for name in labels if getattr(filters, name)
    ]


def plan_view(request, *, plan):
    """The plan: sessions as a list by month, by theme, or a month's calendar, with filters."""
    themes = list(Theme.objects.filter(locale_id=plan.locale_id).order_by("sort_order", "name"))
    filters = plan_selectors.PlanFilters.from_query(request.GET, theme_slugs=[t.slug for t in themes])
    pages = list(plan_selectors.plan_session_pages(plan=plan, filters=filters).distinct())
    for page in pages:
        page.places_left = plan_selectors.places_left(page)
    context = plan.get_context(request)
    context.update({
        "filters": filters, "themes": themes, "provinces": Province.choices, "audiences": Audience.choices,
        "pages": pages, "months": plan_selectors.by_month(pages),
        "list_query": filters.query(view="list", month=""), "themes_query": filters.query(view="themes", month=""),
        "calendar_query": filters.query(view="calendar"),
        "chips": _active_filters(filters, themes), "clear_query": filters.query(theme="", province="", audience=""),
    })
    if filters.view == "themes":
        context["theme_groups"] = plan_selectors.by_theme(pages)
    if filters.view == "calendar":
        month = filters.month or plan_selectors.default_month(year=plan.year, pages=pages, today=timezone.localdate())
        weeks = plan_selectors.month_weeks(year=plan.year, month=month, pages=pages)
        context.update({
            "month": datetime.date(plan.year, month, 1), "weeks": weeks,
            "month_pages": list({item.pk: item for week in weeks for _day, items in week for item in items}.values()),
            "previous_query": filters.query(month=month - 1) if month > 1 else None,
            "next_query": filters.query(month=month + 1) if month < 12 else None,
        })
    return TemplateResponse(request, "programme/plan_page.html", context)


def _ics_response(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Cache-Control"] = "private, max-age=900"
    return response


def plan_calendar(request, *, plan):
    """The whole plan as an iCalendar feed (a phone calendar subscribes to it)."""
    pages = plan_selectors.plan_session_pages(plan=plan)
    return _ics_response(calendar_bytes(pages, name=plan.title), f"takwin-plan-{plan.year}.ics")


def session_page_context(request, *, page: SessionPage) -> dict:
    """What the session page shows beside the archive record: places, half-days, modules, the visitor's place."""
    session = reg_selectors.session_with_places(page.session_id)
    registration = reg_selectors.live_registration(session=session, user=request.user)
    plan_url, plan_title = plan_selectors.plan_link(page=page, request=request)
    return {
        "session": session, "plan_url": plan_url, "plan_title": plan_title,
        "themes": list(page.themes.all()),
        "trainers": list(page.trainers.all()),
        "activity_documents": list(page.documents.select_related("document")),
        "places": session.places,
        "half_days": list(session.half_days.all()),
        "linked_modules": list(
            SessionModule.objects.filter(session=session, module__live=True).select_related("module")
        ),
        "my_registration": registration,
        "my_position": reg_selectors.waiting_position(registration) if registration else None,
        "can_register": registration is None and reg_selectors.registration_window_open(session),
        "can_cancel": registration is not None and can_cancel(registration),
    }


def _page_for(session: Session) -> SessionPage:
    pages = SessionPage.objects.live().filter(session=session)
    page = pages.filter(locale=Locale.get_active()).first() or pages.first()
    if page is None:
        raise Http404
    return page


@login_required
@require_http_methods(["GET", "POST"])
def register_view(request, session_id: int):
    """The second tap: confirm the registration (GET shows what one registers for, POST registers)."""
    session = get_object_or_404(Session, pk=session_id)
    page = _page_for(session)
    if request.method == "POST":
        try:
            registration = register(session=session, user=request.user)
        except ValidationError as error:
            messages.error(request, _errors(error))
            return redirect(page.url)
        if registration.status == Registration.Status.CONFIRMED:
            messages.success(request, _("You are registered. Your QR code is in “My sessions” and in your e-mail."))
        else:
            messages.warning(request, _("The session is full: you are on the waiting list. We will e-mail you if a place frees."))
        return redirect("programme:my_sessions")
    context = session_page_context(request, page=page)
    context.update({"page": page, "full": context["places"].free == 0})
    return TemplateResponse(request, "programme/register_confirm.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def cancel_view(request, registration_id: int):
    """Cancel one's own registration (GET asks to confirm, POST cancels)."""
    registration = get_object_or_404(Registration.objects.select_related("session"), pk=registration_id, user=request.user)
    page = _page_for(registration.session)
    if request.method == "POST":
        try:
            cancel_registration(registration=registration)
        except ValidationError as error:
            messages.error(request, _errors(error))
        else:
            messages.success(request, _("Your registration is cancelled."))
        return redirect("programme:my_sessions")
    return TemplateResponse(request, "programme/cancel_confirm.html", {
        "registration": registration, "page": page, "can_cancel": can_cancel(registration),
    })


@login_required
def my_sessions(request):
    """The official's sessions: status, waiting-list position, QR code of each confirmed place, cancel."""
    lines = reg_selectors.my_registrations(user=request.user, language=get_language() or "ar")
    for line in lines:
        line.can_cancel = can_cancel(line.registration)
        # The door scans it: only for a confirmed place at a session still to come.
        if line.registration.status == Registration.Status.CONFIRMED and line.registration.session.status in (
            SessionStatus.PLANNED, SessionStatus.OPEN, SessionStatus.FULL,
        ):
            line.qr = registration_qr_svg(line.registration.code)
    token = reg_selectors.calendar_token(request.user)
    feed_url = request.build_absolute_uri(
        _feed_path(user_id=request.user.pk, token=token)
    )
    return TemplateResponse(request, "programme/my_sessions.html", {
        "lines": lines, "feed_url": feed_url, "webcal_url": "webcal://" + feed_url.split("://", 1)[-1],
    })


def _feed_path(*, user_id: int, token: str) -> str:
    from django.urls import reverse

    return reverse("programme:my_calendar", kwargs={"user_id": user_id, "token": token})


def my_calendar(request, user_id: int, token: str):
    """The official's "my sessions" feed, reached by its unguessable URL alone (a calendar app has no login)."""
    user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    if user is None or not reg_selectors.calendar_token_valid(user, token):
        raise Http404
    pages = reg_selectors.feed_pages(user=user, language=get_language() or "ar")
    return _ics_response(calendar_bytes(pages, name=_("My sessions")), "takwin-my-sessions.ics")
