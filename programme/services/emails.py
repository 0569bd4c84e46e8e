"""The registration e-mails (confirmation, waiting list, promotion, reminder, cancellation) and the
scheduling of the day-before reminders.

Each e-mail is written in the attendee's language and carries the session's ``.ics`` (made by
``programme.calendar``); the confirmation, promotion and reminder also carry the QR code the door
scans. They are sent by ``programme.tasks`` once the transaction that caused them commits.
"""

import datetime
import logging

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from ..calendar import calendar_bytes
from ..models import Registration, Session, SessionPage, SessionStatus
from ..qr import registration_qr_png
from ..selectors.registrations import waiting_position

logger = logging.getLogger(__name__)

KINDS = ("confirmed", "waiting", "promoted", "reminder", "cancelled", "session_cancelled")
#: Kinds whose e-mail carries the QR code (a confirmed place).
WITH_QR = ("confirmed", "promoted", "reminder")
#: The reminder goes out the day before the first half-day, at this local hour.
REMINDER_TIME = datetime.time(9, 0)


def queue_registration_email(*, registration: Registration, kind: str) -> None:
    """Send the e-mail ``kind`` to the registration's attendee once the current transaction commits."""
    if kind not in KINDS:
        raise ValueError(kind)
    if not (registration.email or registration.user_id):
        return
    from ..tasks import send_registration_email as task

    registration_id = registration.pk
    transaction.on_commit(lambda: task.enqueue(registration_id=registration_id, kind=kind))


def session_page(session: Session, language: str) -> SessionPage | None:
    """The session's live page in ``language``, else in any language."""
    pages = SessionPage.objects.live().filter(session=session).select_related("locale")
    return pages.filter(locale__language_code=language).first() or pages.first()


def _site_url(path: str) -> str:
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def build_registration_email(*, registration: Registration, kind: str) -> EmailMultiAlternatives | None:
    """The e-mail ``kind`` for ``registration`` in its language (None without an address or a page)."""
    address = registration.email or (registration.user.email if registration.user_id else "")
    page = session_page(registration.session, registration.language)
    if not address or page is None:
        return None
    with translation.override(registration.language):
        page_url = page.url or ""
        context = {
            "registration": registration, "session": registration.session, "page": page,
            "half_days": list(registration.session.half_days.all()),
            "page_url": _site_url(page_url) if page_url.startswith("/") else page_url,
            "my_url": _site_url(reverse("programme:my_sessions")), "position": waiting_position(registration),
            "with_qr": kind in WITH_QR,
        }
        subject = " ".join(render_to_string(f"programme/email/{kind}_subject.txt", context).split())
        body = render_to_string(f"programme/email/{kind}_body.txt", context)
        cancelled = kind in ("cancelled", "session_cancelled")
        ics = calendar_bytes([page], name=page.title, method="CANCEL" if cancelled else "PUBLISH")
    message = EmailMultiAlternatives(subject, body, None, [address])
    message.attach(f"{registration.session.code}.ics", ics, "text/calendar; charset=utf-8")
    if kind in WITH_QR:
        message.attach(f"takwin-{registration.code}.png", registration_qr_png(registration.code), "image/png")
    return message


def send_registration_email(*, registration: Registration, kind: str) -> bool:
    """Build and send the e-mail ``kind``; returns whether one was sent."""
    message = build_registration_email(registration=registration, kind=kind)
    if message is None:
        return False
    message.send()
    return True


def reminder_due(session: Session) -> datetime.datetime | None:
    """When the reminder goes out: the day before the first half-day, at REMINDER_TIME (local)."""
    first = session.half_days.order_by("date").values_list("date", flat=True).first()
    if first is None:
        return None
    day_before = first - datetime.timedelta(days=1)
    return timezone.make_aware(datetime.datetime.combine(day_before, REMINDER_TIME))


def schedule_reminders(*, session: Session) -> None:
    """Enqueue the session's reminder task to run at ``reminder_due`` (once the transaction commits).

    A backend that cannot run a task later (the immediate backend of the tests) schedules nothing:
    the reminder would otherwise go out the moment the session opens.
    """
    due = reminder_due(session)
    if due is None:
        return
    from ..tasks import send_session_reminders as task

    session_id = session.pk

    def enqueue():
        if not task.get_backend().supports_defer:
            logger.info("Task backend cannot defer: no reminder scheduled for session %s", session_id)
            return
        task.using(run_after=max(due, timezone.now())).enqueue(session_id=session_id)

    transaction.on_commit(enqueue)


@transaction.atomic
def send_reminders(*, session: Session) -> int:
    """Remind the confirmed attendees not yet reminded; returns how many e-mails were queued.

    Run by the task scheduled when the session opened. If the session's first half-day moved later,
    the task is scheduled again for the new day before; once the session has started, nothing is sent.
    """
    session = Session.objects.select_for_update().get(pk=session.pk)
    due = reminder_due(session)
    if session.status not in (SessionStatus.OPEN, SessionStatus.FULL) or due is None:
        return 0
    now = timezone.now()
    if now < due - datetime.timedelta(minutes=30):
        schedule_reminders(session=session)
        return 0
    if timezone.localdate(now) > due.date():
        return 0
    registrations = list(
        Registration.objects.select_for_update()
        .filter(session=session, status=Registration.Status.CONFIRMED, reminded_at__isnull=True)
    )
    for registration in registrations:
        registration.reminded_at = now
        registration.save(update_fields=["reminded_at"])
        queue_registration_email(registration=registration, kind="reminder")
    return len(registrations)
