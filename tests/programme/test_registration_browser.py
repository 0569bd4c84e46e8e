"""In a real browser: an official registers in two taps, the session fills, a second official lands on
the waiting list, the first cancels and the second is promoted (the e-mail with its .ics is in the outbox)."""

import pytest
from django.core import mail

from programme.models import Registration, SessionPage
from tests.factories import PASSWORD, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _log_in(page, live_server, user):
    page.context.clear_cookies()
    page.goto(live_server.url + "/fr/accounts/login/")
    page.locator("input[name=username]").fill(user.email)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()


def test_register_fill_wait_cancel_promote(page, live_server, plan_transactional):
    """Two taps to register; a 1-place session puts the second official on the waiting list; the first
    cancels in two taps and the second is promoted, with the promotion e-mail and its .ics."""
    from .factories import make_session

    session = make_session(plan_transactional, capacity=1)
    url = live_server.url + SessionPage.objects.get(session=session, locale__language_code="fr").url
    first = UserFactory(category="elected", preferred_language="fr", email="first@example.ma")
    second = UserFactory(category="elected", preferred_language="fr", email="second@example.ma")

    _log_in(page, live_server, first)
    page.goto(url)
    page.locator("[data-testid=register]").click()  # tap 1
    page.locator("[data-testid=confirm-registration]").click()  # tap 2
    page.wait_for_url("**/programme/my/")
    assert page.locator("[data-testid=status]").first.inner_text() == "Confirmée"
    assert page.locator("[data-testid=qr]").count() == 1

    _log_in(page, live_server, second)
    page.goto(url)
    assert page.locator("[data-testid=register]").inner_text() == "Rejoindre la liste d'attente"
    page.locator("[data-testid=register]").click()
    page.locator("[data-testid=confirm-registration]").click()
    page.wait_for_url("**/programme/my/")
    assert "numéro 1" in page.locator("[data-testid=status]").first.inner_text()

    _log_in(page, live_server, first)
    page.goto(live_server.url + "/fr/programme/my/")
    page.locator("[data-testid=cancel]").click()
    mail.outbox.clear()
    page.locator("[data-testid=confirm-cancel]").click()
    page.wait_for_url("**/programme/my/")

    promoted = Registration.objects.get(session=session, user=second)
    assert promoted.status == Registration.Status.CONFIRMED
    to_second = [m for m in mail.outbox if m.to == ["second@example.ma"]]
    assert len(to_second) == 1 and to_second[0].subject.startswith("Une place pour vous")
    assert any(name.endswith(".ics") for name, _content, _mime in to_second[0].attachments)
