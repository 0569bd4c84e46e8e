"""Registration, the waiting list, promotion and cancellation, through the services."""

import datetime
import threading

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone

from programme.models import Registration, Session, SessionStatus
from programme.services.registration import Attendee, cancel_registration, register
from programme.services.sessions import session_cancel, session_mark_held, session_set_capacity
from tests.factories import UserFactory

from .factories import make_session

Status = Registration.Status


def test_official_registers_and_gets_the_confirmation_with_ics_and_qr(session, official, django_capture_on_commit_callbacks):
    """A registration while places remain is confirmed; the e-mail (in Arabic) carries the .ics and the QR code."""
    with django_capture_on_commit_callbacks(execute=True):
        registration = register(session=session, user=official)
    assert registration.status == Status.CONFIRMED
    assert registration.full_name == official.full_name and registration.category == "elected"
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["fatima@example.ma"]
    assert "تأكيد" in message.subject or "مؤكد" in message.subject
    kinds = {name.rsplit(".", 1)[-1]: mime for name, _content, mime in message.attachments}
    assert kinds["ics"].startswith("text/calendar") and kinds["png"] == "image/png"
    ics = next(content for name, content, _m in message.attachments if name.endswith(".ics"))
    assert b"BEGIN:VEVENT" in (ics if isinstance(ics, bytes) else ics.encode())


def test_full_session_puts_newcomers_on_the_waiting_list_and_promotes_the_oldest(session, officials, django_capture_on_commit_callbacks):
    """Beyond capacity: waiting list (status full); a confirmed cancellation promotes the oldest waiting, e-mailed."""
    first, second, third, fourth, fifth = officials
    with django_capture_on_commit_callbacks(execute=True):
        regs = [register(session=session, user=user) for user in (first, second, third)]
        waiting_a = register(session=session, user=fourth)
        waiting_b = register(session=session, user=fifth)
    session.refresh_from_db()
    assert [r.status for r in regs] == [Status.CONFIRMED] * 3
    assert waiting_a.status == waiting_b.status == Status.WAITING
    assert session.status == SessionStatus.FULL
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        cancel_registration(registration=regs[0])
    waiting_a.refresh_from_db(), waiting_b.refresh_from_db(), session.refresh_from_db()
    assert waiting_a.status == Status.CONFIRMED and waiting_a.promoted_at is not None
    assert waiting_b.status == Status.WAITING
    assert session.status == SessionStatus.FULL
    subjects = {m.to[0]: m for m in mail.outbox}
    promoted = subjects[fourth.email]
    assert any(name.endswith(".ics") for name, _c, _m in promoted.attachments)
    assert first.email in subjects  # the cancellation e-mail


def test_cancelling_without_anyone_waiting_reopens_a_full_session(session, officials):
    """full → open when a place frees and nobody waits."""
    regs = [register(session=session, user=user) for user in officials[:3]]
    session.refresh_from_db()
    assert session.status == SessionStatus.FULL
    cancel_registration(registration=regs[1])
    session.refresh_from_db()
    assert session.status == SessionStatus.OPEN


def test_registering_twice_is_refused(session, official):
    """A second live registration of the same person: a clear error, nothing written."""
    register(session=session, user=official)
    with pytest.raises(ValidationError, match="مسجل|Already"):
        register(session=session, user=official)
    assert Registration.objects.filter(session=session).count() == 1


@pytest.mark.parametrize("status", [SessionStatus.CANCELLED, SessionStatus.HELD, SessionStatus.CLOSED, SessionStatus.PLANNED])
def test_no_registration_for_a_session_not_taking_them(session, official, status):
    """Cancelled, held, closed or planned sessions take no registration."""
    Session.objects.filter(pk=session.pk).update(status=status, cancel_reason="x")
    with pytest.raises(ValidationError):
        register(session=session, user=official)
    assert not Registration.objects.exists()


def test_registration_window(plan, official):
    """Before the opening or past the deadline: refused, in the user's language."""
    early = make_session(plan, opens_at=timezone.now() + datetime.timedelta(days=2))
    with pytest.raises(ValidationError):
        register(session=early, user=official)
    late = make_session(plan, deadline=timezone.now() - datetime.timedelta(hours=1),
                        opens_at=timezone.now() - datetime.timedelta(days=3))
    with pytest.raises(ValidationError) as error:
        register(session=late, user=official)
    assert "Registration closed" not in error.value.messages[0]  # translated into Arabic
    assert not Registration.objects.exists()


def test_audience_is_checked(plan):
    """A session for elected officials refuses staff, and the reverse."""
    elected_only = make_session(plan, audience="elected")
    with pytest.raises(ValidationError):
        register(session=elected_only, user=UserFactory(category="staff"))
    staff_only = make_session(plan, audience="staff")
    with pytest.raises(ValidationError):
        register(session=staff_only, user=UserFactory(category="elected"))
    assert register(session=staff_only, user=UserFactory(category="staff")).status == Status.CONFIRMED


def test_quota_per_province(plan):
    """A quota caps the places one province takes; others still register."""
    session = make_session(plan, capacity=5, quotas=[("safi", None, 1)])
    register(session=session, user=UserFactory(province="safi"))
    with pytest.raises(ValidationError):
        register(session=session, user=UserFactory(province="safi"))
    assert register(session=session, user=UserFactory(province="marrakech")).status == Status.CONFIRMED


def test_cancelling_after_the_deadline_is_refused_for_the_official_not_for_staff(session, official):
    """The official cancels until the deadline; past it only staff may."""
    registration = register(session=session, user=official)
    Session.objects.filter(pk=session.pk).update(registration_deadline=timezone.now() - datetime.timedelta(minutes=1))
    registration.refresh_from_db()
    with pytest.raises(ValidationError):
        cancel_registration(registration=registration)
    registration.refresh_from_db()
    assert registration.status == Status.CONFIRMED
    cancel_registration(registration=registration, by_staff=True)
    registration.refresh_from_db()
    assert registration.status == Status.CANCELLED


def test_capacity_never_below_confirmed_and_growth_promotes(session, officials):
    """Capacity below the confirmed registrations is refused; more places promote the waiting list."""
    for user in officials:
        register(session=session, user=user)
    with pytest.raises(ValidationError):
        session_set_capacity(session=session, capacity=2)
    session_set_capacity(session=session, capacity=4)
    assert Registration.objects.filter(session=session, status=Status.CONFIRMED).count() == 4
    session.refresh_from_db()
    assert session.status == SessionStatus.FULL
    session.capacity = 1
    with pytest.raises(ValidationError):
        session.full_clean()  # the admin form's check


def test_cancel_session_needs_a_reason_and_tells_everyone(session, officials, django_capture_on_commit_callbacks):
    """Cancelling without a reason is refused; with one, every live registration is e-mailed."""
    for user in officials[:2]:
        register(session=session, user=user)
    with pytest.raises(ValidationError):
        session_cancel(session=session, reason="  ")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        session_cancel(session=session, reason="Intempéries")
    assert len(mail.outbox) == 2
    assert all(any(n.endswith(".ics") for n, _c, _m in m.attachments) for m in mail.outbox)
    ics = next(c for n, c, _m in mail.outbox[0].attachments if n.endswith(".ics"))
    assert "STATUS:CANCELLED" in (ics.decode() if isinstance(ics, bytes) else ics)


def test_mark_held_only_once_started(session):
    """A session whose first half-day is to come cannot be marked held."""
    with pytest.raises(ValidationError):
        session_mark_held(session=session)
    session.half_days.update(date=timezone.localdate())
    assert session_mark_held(session=session).status == SessionStatus.HELD


def test_person_without_account(session):
    """Staff register someone without an account: the key comes from the e-mail."""
    registration = register(session=session, attendee=Attendee(full_name="Ahmed", email="A@Example.ma"),
                            source=Registration.Source.STAFF)
    assert registration.user is None and registration.status == Status.CONFIRMED
    with pytest.raises(ValidationError):
        register(session=session, attendee=Attendee(full_name="Ahmed bis", email="a@example.ma"))


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_registrations_cannot_overbook(plan_transactional):
    """Two threads taking the last place at once: one confirmed, the other on the waiting list."""
    if connection.vendor == "sqlite":
        pytest.skip("SQLite serialises writers: the lock is the database's (tested on PostgreSQL)")
    session = make_session(plan_transactional, capacity=1)
    users = [UserFactory(category="elected") for _ in range(2)]
    barrier = threading.Barrier(2)
    results = []

    def worker(user):
        barrier.wait()
        try:
            results.append(register(session=session, user=user).status)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(user,)) for user in users]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == [Status.CONFIRMED, Status.WAITING]
