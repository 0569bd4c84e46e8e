"""The registration e-mails go out through a real SMTP server on loopback (aiosmtpd), in the attendee's
language, with the session's .ics (and the QR code for a confirmed place); the reminder is scheduled for
the day before when the session opens, and sent once."""

import contextlib
import datetime
import email
import socket
import time

import pytest
from aiosmtpd.controller import Controller
from django.core import mail
from django.test import override_settings
from django.utils import timezone

from programme.models import Registration
from programme.services import emails
from programme.services.registration import register
from programme.services.sessions import session_open
from tests.factories import UserFactory

from .factories import make_session


def _free_port() -> int:
    """A port the OS says is free now: parallel runs (xdist workers, other checkouts) never share one."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class _Inbox:
    def __init__(self, port: int):
        self.port = port
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(email.message_from_bytes(envelope.content))
        return "250 OK"


@contextlib.contextmanager
def smtp_inbox():
    """A real SMTP server on a free loopback port, stopped on exit; yields its inbox (with its port)."""
    inbox = _Inbox(_free_port())
    controller = Controller(inbox, hostname="127.0.0.1", port=inbox.port)
    controller.start()
    try:
        yield inbox
    finally:
        controller.stop()


@pytest.fixture
def smtp_server(settings):
    """The loopback server, with Django's SMTP backend pointed at it."""
    with smtp_inbox() as inbox:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_USE_TLS = "127.0.0.1", inbox.port, False
        yield inbox


def _wait_for(inbox, count, timeout=10):
    deadline = time.monotonic() + timeout
    while len(inbox.messages) < count and time.monotonic() < deadline:
        time.sleep(0.05)
    return inbox.messages


def test_confirmation_reaches_a_real_smtp_server_in_french_with_ics_and_qr(smtp_server, session, django_capture_on_commit_callbacks):
    """A French-speaking official's confirmation: French subject, a text/calendar part and a PNG QR code."""
    official = UserFactory(preferred_language="fr", category="elected", email="karim@example.ma")
    with django_capture_on_commit_callbacks(execute=True):
        register(session=session, user=official)
    messages = _wait_for(smtp_server, 1)
    assert len(messages) == 1
    message = messages[0]
    assert message["To"] == "karim@example.ma"
    assert str(email.header.make_header(email.header.decode_header(message["Subject"]))).startswith("Inscription confirmée")
    parts = {part.get_content_type(): part for part in message.walk()}
    assert "text/calendar" in parts and "image/png" in parts
    ics = parts["text/calendar"].get_payload(decode=True)
    assert b"BEGIN:VEVENT" in ics and session.code.encode() in ics
    assert parts["image/png"].get_payload(decode=True).startswith(b"\x89PNG")


def test_no_address_no_email(session, django_capture_on_commit_callbacks):
    """Someone registered by phone only gets no e-mail (and nothing fails)."""
    from programme.services.registration import Attendee

    with django_capture_on_commit_callbacks(execute=True):
        register(session=session, attendee=Attendee(full_name="Ali", phone="+212612345678"), source="staff")
    assert mail.outbox == []


@override_settings(TASKS={"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}})
def test_opening_schedules_the_reminder_for_the_day_before(plan, django_capture_on_commit_callbacks):
    """Opening a session enqueues the reminder task to run the day before its first half-day at 09:00."""
    from django_tasks import default_task_backend

    default_task_backend.clear()
    session = make_session(plan, open_it=False)
    with django_capture_on_commit_callbacks(execute=True):
        session_open(session=session)
    results = [r for r in default_task_backend.results if r.task.name == "send_session_reminders"]
    assert len(results) == 1
    first = session.half_days.order_by("date").first().date
    run_after = timezone.localtime(results[0].task.run_after)
    assert run_after.date() == first - datetime.timedelta(days=1) and run_after.hour == 9
    assert results[0].kwargs == {"session_id": session.pk}


def test_reminders_go_once_the_day_before_and_not_before(session, officials, django_capture_on_commit_callbacks):
    """Too early: nothing sent. The day before: each confirmed attendee once, with the QR code."""
    for user in officials[:4]:  # 3 confirmed, 1 waiting
        register(session=session, user=user)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert emails.send_reminders(session=session) == 0  # two weeks early (reschedules itself)
    assert mail.outbox == []
    first = session.half_days.order_by("date").first().date
    session.half_days.update(date=timezone.localdate() + datetime.timedelta(days=1))
    with django_capture_on_commit_callbacks(execute=True):
        assert emails.send_reminders(session=session) == 3
        assert emails.send_reminders(session=session) == 0
    assert len(mail.outbox) == 3
    assert all(any(n.endswith(".png") for n, _c, _m in m.attachments) for m in mail.outbox)
    assert Registration.objects.filter(session=session, reminded_at__isnull=False).count() == 3
    assert first  # the original date was in the future


def test_smtp_port_is_free_after_the_test():
    """The loopback server is stopped on exit (its port can be bound again)."""
    with smtp_inbox() as inbox:
        port = inbox.port
    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        probe.bind(("127.0.0.1", port))
