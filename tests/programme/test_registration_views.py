"""An official registers in two taps, sees "my sessions" (status, waiting position, QR code), cancels,
and subscribes to their own calendar feed by an unguessable URL."""

import pytest
from django.urls import reverse
from icalendar import Calendar

from programme.models import Registration, SessionPage
from programme.selectors.registrations import calendar_token
from programme.services.registration import register
from tests.factories import UserFactory


def test_two_taps_register_an_official(client, session, official):
    """The session page's button leads to the confirmation; confirming registers and shows "my sessions"."""
    client.force_login(official)
    page = SessionPage.objects.get(session=session, locale__language_code="ar")
    html = client.get(page.url).content.decode()
    register_url = reverse("programme:register", kwargs={"session_id": session.pk})
    assert f'href="{register_url}"' in html  # tap 1
    assert client.get(register_url).status_code == 200
    response = client.post(register_url, follow=True)  # tap 2
    assert response.redirect_chain[-1][0] == reverse("programme:my_sessions")
    registration = Registration.objects.get(session=session, user=official)
    assert registration.status == Registration.Status.CONFIRMED
    html = response.content.decode()
    assert 'data-testid="qr"' in html and registration.code in html


def test_registering_again_shows_the_error_without_a_second_row(client, session, official):
    """A second POST: the error as a message, still one registration."""
    client.force_login(official)
    url = reverse("programme:register", kwargs={"session_id": session.pk})
    client.post(url)
    response = client.post(url, follow=True)
    assert response.status_code == 200
    assert "مسجل من قبل" in response.content.decode()
    assert Registration.objects.filter(session=session).count() == 1


def test_waiting_list_position_shows_in_my_sessions(client, session):
    """The fourth official of a 3-place session sees "number 1" on the waiting list, and no QR code."""
    for _ in range(3):
        register(session=session, user=UserFactory(category="elected"))
    late = UserFactory(category="elected", preferred_language="fr")
    register(session=session, user=late)
    client.force_login(late)
    html = client.get(reverse("programme:my_sessions")).content.decode()
    assert "لائحة الانتظار: الرتبة 1" in html and 'data-testid="qr"' not in html


def test_cancel_in_two_taps_and_only_ones_own(client, session, official):
    """GET asks, POST cancels; another official's registration is a 404."""
    registration = register(session=session, user=official)
    other = UserFactory()
    client.force_login(other)
    url = reverse("programme:cancel", kwargs={"registration_id": registration.pk})
    assert client.get(url).status_code == 404
    assert client.post(url).status_code == 404
    client.force_login(official)
    assert client.get(url).status_code == 200
    client.post(url)
    registration.refresh_from_db()
    assert registration.status == Registration.Status.CANCELLED


def test_anonymous_visitors_are_sent_to_log_in(client, session):
    """Registering and "my sessions" need an account."""
    for url in (reverse("programme:my_sessions"), reverse("programme:register", kwargs={"session_id": session.pk})):
        response = client.get(url)
        assert response.status_code == 302 and "login" in response["Location"]


def test_my_calendar_feed_by_token(client, session, official):
    """The feed answers only to its token; it holds the confirmed sessions' half-days."""
    register(session=session, user=official)
    url = reverse("programme:my_calendar", kwargs={"user_id": official.pk, "token": calendar_token(official)})
    response = client.get(url)
    assert response.status_code == 200
    assert len(list(Calendar.from_ical(response.content).walk("VEVENT"))) == 2
    wrong = reverse("programme:my_calendar", kwargs={"user_id": official.pk, "token": "0" * 32})
    assert client.get(wrong).status_code == 404
    official.set_password("another-long-password-1")
    official.save()
    assert client.get(url).status_code == 404  # a new password revokes the old address


@pytest.mark.parametrize("session_id", ["0", "9223372036854775807"])
def test_unknown_session_is_a_404(client, official, session_id):
    client.force_login(official)
    assert client.get(f"/programme/sessions/{session_id}/register/").status_code == 404
