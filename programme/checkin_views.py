"""The door's pages: choose a session, the phone's check-in page, its list and sync, the sign-in sheet.

Only programme staff (``programme.check_in``) reach them. The phone page holds no names in its HTML:
they come from ``roster`` as JSON, which the page keeps in IndexedDB for offline use; the service
worker (``service_worker``, scoped to the check-in path) keeps the page and its assets for a reload
without a connection.
"""

import json
from datetime import datetime

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.models import User
from vocabulary.regions import Province

from .models import Attendance, HalfDay, Session
from .selectors import checkin as selectors
from .services import checkin
from .services.checkin import Scan, WalkIn

#: What the service worker keeps for a reload offline (the page itself is added by the page's script).
OFFLINE_ASSETS = [
    "css/takwin.css", "js/site.js", "js/programme-checkin.js", "vendor/jsqr/jsQR.js", "favicon.svg",
    "fonts/noto-sans-arabic-arabic-400-normal.woff2", "fonts/noto-sans-arabic-arabic-700-normal.woff2",
    "fonts/inter-latin-400-normal.woff2", "fonts/inter-latin-700-normal.woff2",
    "fonts/inter-latin-ext-400-normal.woff2", "fonts/inter-latin-ext-700-normal.woff2",
]
_METHODS = {Attendance.Method.QR, Attendance.Method.NAME}


def staff_only(view):
    """Programme staff only: the anonymous go to the login page, everyone else gets a 403."""

    def wrapped(request, *args, **kwargs):
        if not request.user.is_authenticated:
            if request.method != "GET":
                return JsonResponse({"error": _("Log in again to sync.")}, status=403)
            return redirect_to_login(request.get_full_path())
        if not checkin.can_check_in(request.user):
            raise PermissionDenied(_("Only programme staff may check attendees in."))
        return view(request, *args, **kwargs)

    wrapped.__name__, wrapped.__doc__ = view.__name__, view.__doc__
    return wrapped


def _session(session_id: int) -> Session:
    return get_object_or_404(Session, pk=session_id)


@require_GET
@staff_only
def index(request):
    """The sessions whose door is open: pick one to check in (or print its sheets)."""
    sessions = list(selectors.sessions_for_check_in())
    language = translation.get_language()
    rows = [{"session": s, "title": selectors.session_title(s, language=language)} for s in sessions]
    return render(request, "programme/checkin_index.html", {"rows": rows})


@require_GET
@never_cache
@staff_only
def page(request, session_id: int):
    """The phone's check-in page for one session (works offline once opened)."""
    session = get_object_or_404(Session.objects.prefetch_related("pages__locale"), pk=session_id)
    half_days = list(session.half_days.order_by("date", "part"))
    context = {
        "session": session, "half_days": half_days, "current": _current_half_day(half_days),
        "title": selectors.session_title(session, language=translation.get_language()),
        "genders": User.Gender.choices, "categories": User.Category.choices, "provinces": Province.choices,
        "strings": _strings(),
    }
    return render(request, "programme/checkin.html", context)


def _current_half_day(half_days: list[HalfDay]) -> HalfDay | None:
    """Today's morning before 13:00, its afternoon after; else the first half-day."""
    now = timezone.localtime()
    part = HalfDay.Part.MORNING if now.hour < 13 else HalfDay.Part.AFTERNOON
    today = [h for h in half_days if h.date == now.date()]
    return next((h for h in today if h.part == part), today[0] if today else (half_days[0] if half_days else None))


def _strings() -> dict:
    """What the page's script says, in the page's language."""
    return {
        "ok": _("Valid: welcome"), "already-used": _("Already checked in for this half-day"),
        "foreign": _("Not on this session's list"), "unknown": _("Unknown code (forged or mistyped)"),
        "not-confirmed": _("Not confirmed (cancelled or on the waiting list)"),
        "bad-half-day": _("This half-day is not one of this session's"),
        "walk-in": _("Walk-in recorded"), "online": _("Online"), "offline": _("Offline: scans are kept on this phone"),
        "synced": _("All scans synced"), "pending": _("Waiting to sync:"), "syncing": _("Syncing…"),
        "sync-error": _("Sync failed, will retry:"), "list": _("On this phone:"), "present": _("Present:"),
        "check-in": _("Check in"), "no-camera": _("The camera cannot be opened on this phone."),
        "no-list": _("The list is not on this phone yet: open this page once with a connection."),
        "rejected": _("Refused when synced:"), "forgotten": _("The list was removed from this phone."),
        "waiting": _("waiting list"), "cancelled": _("cancelled"),
    }


@require_GET
@never_cache
@staff_only
def roster(request, session_id: int):
    """The session's registrations (codes, names, statuses) and attendances so far, as JSON."""
    response = JsonResponse(selectors.roster(_session(session_id)))
    response["Cache-Control"] = "no-store, private"
    return response


@require_POST
@staff_only
def sync(request, session_id: int):
    """Absorb a phone's batch (scans and walk-ins); one verdict each, and who is present now.

    Body: ``{"device": "...", "scans": [{"code", "half_day", "seen_at", "method"}],
    "walk_ins": [{"ref", "full_name", "gender", "category", "province", "email", "phone", "half_day", "seen_at"}]}``.
    """
    session = _session(session_id)
    try:
        body = json.loads(request.body or b"{}")
        device = str(body.get("device", ""))[:64]
        scans = [_scan(item, device) for item in _list(body, "scans")]
        walk_ins = _list(body, "walk_ins")
    except (ValueError, TypeError, AttributeError, KeyError, OverflowError):
        return JsonResponse({"error": _("This batch of scans cannot be read.")}, status=400)
    try:
        results = checkin.sync_scans(session=session, scans=scans, user=request.user) if scans else []
        walked = [_walk_in(session, item, device, request.user) for item in walk_ins]
    except ValidationError as error:
        return JsonResponse({"error": " ".join(error.messages)}, status=409)
    return JsonResponse({
        "results": [r.as_json() for r in results], "walk_ins": walked, "present": selectors.present(session),
    })


def _list(body: dict, key: str) -> list:
    items = body.get(key, [])
    if not isinstance(items, list) or len(items) > checkin.MAX_BATCH or not all(isinstance(i, dict) for i in items):
        raise ValueError(key)
    return items


def _when(value) -> datetime:
    """A phone's ISO time (aware); a missing, unreadable or future one becomes now."""
    parsed = parse_datetime(str(value or "")) if value else None
    now = timezone.now()
    if parsed is None or timezone.is_naive(parsed) or parsed > now:
        return now
    return parsed


def _half_day_id(value) -> int:
    """A half-day id from JSON (a 64-bit positive integer), else ValueError."""
    number = int(value)
    if isinstance(value, bool) or not 0 < number < 2**63:
        raise ValueError(value)
    return number


def _scan(item: dict, device: str) -> Scan:
    method = item.get("method") if item.get("method") in _METHODS else Attendance.Method.QR
    return Scan(checkin.normalise_code(item.get("code", "")), _half_day_id(item["half_day"]),
                _when(item.get("seen_at")), method, device)


def _walk_in(session: Session, item: dict, device: str, user) -> dict:
    """One walk-in of a batch: its verdict, or its error (the other walk-ins still count)."""
    fields = {name: str(item.get(name, ""))[:200] for name in
              ("full_name", "gender", "category", "province", "email", "phone", "language")}
    walk_in = WalkIn(reference=str(item.get("ref", ""))[:64], **{**fields, "language": fields["language"] or "ar"})
    try:
        half_day_id = _half_day_id(item.get("half_day"))
    except (ValueError, TypeError, OverflowError):
        half_day_id = 0  # refused below as "not one of this session's half-days"
    try:
        registration, result = checkin.register_walk_in(
            session=session, walk_in=walk_in, half_day_id=half_day_id, user=user,
            device=device, seen_at=_when(item.get("seen_at")),
        )
    except ValidationError as error:
        return {"ref": walk_in.reference, "verdict": "error", "error": " ".join(error.messages)}
    return {"ref": walk_in.reference, "verdict": result.verdict, "code": registration.code,
            "name": registration.full_name}


@require_GET
def service_worker(request):
    """The service worker that keeps the check-in page and its assets for a reload offline.

    Served from the check-in path so that its scope is that path (and no other page of the site).
    """
    assets = [static(name) for name in OFFLINE_ASSETS]
    body = render(request, "programme/checkin_sw.js", {
        "assets": json.dumps(assets), "scope": json.dumps(reverse("checkin:index")),
        "version": json.dumps("-".join(a.rsplit("/", 1)[-1] for a in assets[:4])),
    }, content_type="text/javascript; charset=utf-8")
    body["Cache-Control"] = "no-cache"
    return body


@require_GET
@staff_only
def sheet_pdf(request, session_id: int, half_day_id: int):
    """The printable sign-in sheet of one half-day (names and a signature column)."""
    from .signin_sheet import sheet_pdf as render_sheet

    session = _session(session_id)
    half_day = get_object_or_404(HalfDay, pk=half_day_id, session=session)
    pdf = render_sheet(session=session, half_day=half_day, language=translation.get_language())
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{session.code}-{half_day.date.isoformat()}-{half_day.part}.pdf"'
    return response


@require_http_methods(["GET", "POST"])
@staff_only
def sheet_entry(request, session_id: int, half_day_id: int):
    """Tick who signed the sheet of a half-day: their attendance is recorded (method ``sheet``)."""
    session = _session(session_id)
    half_day = get_object_or_404(HalfDay, pk=half_day_id, session=session)
    if request.method == "POST":
        try:
            present = {int(value) for value in request.POST.getlist("present")}
            counts = checkin.enter_sheet(session=session, half_day=half_day, present=present, user=request.user)
        except (ValueError, ValidationError) as error:
            messages.error(request, " ".join(getattr(error, "messages", [_("This form cannot be read.")])))
        else:
            messages.success(request, _("Sheet entered: %(added)s added, %(removed)s removed.") % counts)
            return redirect(request.path)
    rows = selectors.sheet_rows(session, half_day)
    title = selectors.session_title(session, language=translation.get_language())
    return render(request, "programme/checkin_sheet_entry.html", {
        "session": session, "half_day": half_day, "rows": rows, "title": title,
    })
