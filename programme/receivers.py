"""The programme's answers to the signals of the apps below it (which may not import the programme)."""

from django.db import transaction

DISPATCH_UID = "programme-cohort-completion"


def enrolment_completed(sender=None, *, user_id: int, course_key, **kwargs) -> None:
    """A module was completed: queue the review of the member's cohorts (a task, after the commit)."""
    from .tasks import review_cohorts_after_completion

    transaction.on_commit(
        lambda: review_cohorts_after_completion.enqueue(user_id=user_id, course_key=str(course_key))
    )


def connect() -> None:
    """Connect the receivers (from the app's ``ready``)."""
    from courses.signals import enrolment_completed as completed

    completed.connect(enrolment_completed, dispatch_uid=DISPATCH_UID)
