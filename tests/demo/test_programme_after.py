"""The programme's after-the-session demo: held sessions with attendance and evaluations, one closed
session listed in the archive, the cohort of 20 with its schedule and modules; made once."""

import pytest

from demo import programme_after
from programme.models import Attendance, Cohort, Evaluation, Registration, Session, SessionPage, SessionStatus


@pytest.mark.django_db
def test_the_demo_has_held_and_closed_sessions_and_the_cohort(demo_site):
    """After load_demo: one closed session listed in both languages, held ones with attendance and
    evaluations, a cohort of 20 enrolled in its 3 modules with 4 sessions; a second run adds nothing."""
    counts = (Session.objects.count(), Registration.objects.count(), Attendance.objects.count(), Evaluation.objects.count())
    closed = Session.objects.filter(status=SessionStatus.CLOSED)
    assert closed.count() == 1
    assert SessionPage.objects.filter(session__in=closed, listed=True, live=True).count() == 2
    assert Session.objects.filter(status=SessionStatus.HELD).count() >= 2
    assert Evaluation.objects.exists() and Attendance.objects.exists()
    cohort = Cohort.objects.get()
    assert cohort.members.count() == 20 and cohort.modules.count() == 3 and cohort.sessions.count() == 4
    from courses.models import Enrolment

    assert Enrolment.objects.filter(user__cohort_memberships__cohort=cohort).count() == 60
    programme_after.load()
    assert counts == (Session.objects.count(), Registration.objects.count(), Attendance.objects.count(),
                      Evaluation.objects.count())
