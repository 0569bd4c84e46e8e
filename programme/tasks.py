"""Background work of the programme: the registration e-mails, the day-before reminders and the
cohorts' review when a member completes a module.

Thin: ids in, a service called. Enqueued in ``transaction.on_commit`` by ``services.emails`` and by
``receivers`` (which answers the courses app's ``enrolment_completed``, itself sent on commit).
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


@task()
def review_cohorts_after_completion(*, user_id: int, course_key: str) -> int:
    """A member completed a module: check the cycle's rule in the cohorts that assign it."""
    from .services.cohorts import cohorts_review_for_completion

    return cohorts_review_for_completion(user_id=user_id, course_key=course_key)
