"""Background work of the programme: the registration e-mails and the day-before reminders.

Thin: ids in, a service called. Enqueued in ``transaction.on_commit`` by ``services.emails``.
"""

from django_tasks import task


@task()
def send_registration_email(*, registration_id: int, kind: str) -> bool:
    """Send one registration e-mail (``kind``: confirmed, waiting, promoted, reminder, cancelled,
    session_cancelled) in the attendee's language; False when the registration has no address."""
    from .models import Registration
    from .services import emails

    registration = Registration.objects.filter(pk=registration_id).first()
    return registration is not None and emails.send_registration_email(registration=registration, kind=kind)


@task()
def send_session_reminders(*, session_id: int) -> int:
    """The day before a session: remind everyone confirmed (it reschedules itself if the dates moved)."""
    from .models import Session
    from .services import emails

    session = Session.objects.filter(pk=session_id).first()
    return 0 if session is None else emails.send_reminders(session=session)
