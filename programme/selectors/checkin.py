"""What the door's phones read: the sessions to check in, a session's list, a half-day's sheet."""

from django.db.models import Count, Q, QuerySet

from ..models import Attendance, HalfDay, Registration, Session
from ..services.checkin import CHECK_IN_STATUSES


def sessions_for_check_in() -> QuerySet[Session]:
    """Sessions whose door is open (open, full or held), with their half-days, soonest first."""
    return (
        Session.objects.filter(status__in=CHECK_IN_STATUSES)
        .annotate(confirmed=Count("registrations", filter=Q(registrations__status=Registration.Status.CONFIRMED)))
        .prefetch_related("half_days", "pages__locale")
        .order_by("code")
    )


def session_title(session: Session, *, language: str) -> str:
    """The session page's title in ``language`` (the other language's, or the code, when missing)."""
    pages = sorted(session.pages.all(), key=lambda page: page.locale_id)
    for page in pages:
        if page.locale.language_code == language:
            return page.title
    return pages[0].title if pages else session.code


def roster(session: Session) -> dict:
    """The list a phone downloads before the door opens (staff only: it holds names).

    Every registration of the session with its code, name and status (cancelled and waiting ones
    too, so the phone can say why a code does not count), and the attendances already recorded.
    Three queries whatever the session's size.
    """
    registrations = list(
        session.registrations.order_by("full_name", "pk").values("pk", "code", "full_name", "status", "province")
    )
    half_days = list(HalfDay.objects.filter(session=session).order_by("date", "part"))
    return {
        "session": {"id": session.pk, "code": session.code, "status": session.status},
        "half_days": [{"id": h.pk, "date": h.date.isoformat(), "part": h.part, "label": str(h)} for h in half_days],
        "registrations": [
            {"id": r["pk"], "code": r["code"], "name": r["full_name"], "status": r["status"], "province": r["province"]}
            for r in registrations
        ],
        "present": present(session),
    }


def present(session: Session) -> list[list]:
    """Who is present so far: ``[code, half-day id]`` pairs (one query)."""
    rows = Attendance.objects.filter(half_day__session=session).values_list("registration__code", "half_day_id")
    return [[code, half_day] for code, half_day in rows]


def sheet_rows(session: Session, half_day: HalfDay) -> list[dict]:
    """The confirmed registrations of a session in name order, each marked present for ``half_day`` or not."""
    present = dict(half_day.attendances.values_list("registration_id", "method"))
    return [
        {"registration": r, "present": r.pk in present, "method": present.get(r.pk, "")}
        for r in session.registrations.filter(status=Registration.Status.CONFIRMED).order_by("full_name", "pk")
    ]
