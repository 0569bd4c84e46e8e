"""The demo programme: this year's plan with sessions on the twelve themes over the year and the eight
provinces, one full with a waiting list, one cancelled, some open; loading the demo twice changes nothing."""

from django.core.management import call_command

from programme.models import Registration, Session, SessionStatus


def test_demo_programme(demo_site):
    """The demo's sessions, statuses and registrations; a second load adds nothing.

    The plan's own 15 sessions (codes MDE-2026-S…/T…); the held ones (H…) and the cohort's (TOT-…)
    come from the after-session demo (tests/demo/test_programme_after.py)."""
    sessions = Session.objects.exclude(code__startswith="TOT-").exclude(code__startswith="MDE-2026-H")
    assert sessions.count() == 15
    statuses = {s.status for s in sessions}
    assert {SessionStatus.FULL, SessionStatus.CANCELLED, SessionStatus.OPEN} <= statuses
    full = sessions.get(status=SessionStatus.FULL)
    assert full.registrations.filter(status=Registration.Status.WAITING).count() == 2
    assert len({page.province for s in sessions for page in s.pages.all()}) == 8
    registrations = Registration.objects.count()
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert sessions.count() == 15 and Registration.objects.count() == registrations
