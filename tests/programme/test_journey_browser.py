"""The issue's journey in one browser: an official registers, the session fills, a second official lands
on the waiting list, the first cancels and the second is promoted (the e-mail with its .ics is in the
outbox), staff check the second in by QR code with the network cut, the check-in syncs when it is back,
a second phone's duplicate scan counts once, the session is closed and its archive entry shows the
attendance figures.

The door's helpers (the QR clip, the phones with a fake camera, the scan) are the check-in test's.
"""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.test import Client
from django.utils import timezone

from programme.models import Attendance, Registration, SessionPage, SessionStatus
from programme.roles import PROGRAMME
from programme.services.sessions import session_mark_held
from tests.factories import UserFactory

from .factories import make_session
from .test_checkin_browser import phones, qr_video, scan, wait_offline_ready

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _cookie(user) -> str:
    client = Client()
    client.force_login(user)
    return client.cookies["sessionid"].value


def _as(context, user, url) -> None:
    """The phone now carries ``user``'s session (the same browser, another person holding it)."""
    context.clear_cookies()
    context.add_cookies([{"name": "sessionid", "value": _cookie(user), "url": url}])


def _register(page, url, *, label: str | None = None) -> None:
    page.goto(url)
    button = page.locator("[data-testid=register]")
    if label is not None:
        assert button.inner_text() == label
    button.click()
    page.locator("[data-testid=confirm-registration]").click()
    page.wait_for_url("**/programme/my/")


def _open_door(context, base, session):
    page = context.new_page()
    page.goto(f"{base}/checkin/{session.pk}/")
    page.wait_for_selector("[data-checkin][data-ready=yes]")
    return page


def test_register_wait_promote_check_in_offline_close_and_archive(live_server, plan_transactional, camera_clip,
                                                                 playwright_driver):
    """The whole life of a one-place session, from the first registration to its archive entry."""
    today = timezone.localdate()
    session = make_session(
        plan_transactional, capacity=1, half_days=[(today, "am")], deadline=timezone.now() + datetime.timedelta(hours=2),
    )
    base = live_server.url
    fr_url = base + SessionPage.objects.get(session=session, locale__language_code="fr").url
    first = UserFactory(category="elected", preferred_language="fr", email="first@example.ma")
    second = UserFactory(category="elected", gender="female", preferred_language="fr", email="second@example.ma")
    staff = UserFactory(email="door@example.ma", is_staff=True)
    staff.groups.add(Group.objects.get(name=PROGRAMME))
    clip = camera_clip  # written once the second official has a code: chromium reads it when the camera starts

    with phones(playwright_driver, str(clip), _cookie(staff), base) as (phone_a, phone_b):
        _as(phone_a, first, base)
        page = phone_a.new_page()
        _register(page, fr_url)
        assert page.locator("[data-testid=status]").first.inner_text() == "Confirmée"
        assert page.locator("[data-testid=qr]").count() == 1

        _as(phone_a, second, base)
        _register(page, fr_url, label="Rejoindre la liste d'attente")
        assert "numéro 1" in page.locator("[data-testid=status]").first.inner_text()

        _as(phone_a, first, base)
        page.goto(base + "/fr/programme/my/")
        page.locator("[data-testid=cancel]").click()
        mail.outbox.clear()
        page.locator("[data-testid=confirm-cancel]").click()
        page.wait_for_url("**/programme/my/")
        promoted = Registration.objects.get(session=session, user=second)
        assert promoted.status == Registration.Status.CONFIRMED
        (to_second,) = [m for m in mail.outbox if m.to == ["second@example.ma"]]
        assert to_second.subject.startswith("Une place pour vous")
        assert any(name.endswith(".ics") for name, _content, _mime in to_second.attachments)
        page.close()

        qr_video(promoted.code, clip)
        _as(phone_a, staff, base)
        door_a, door_b = _open_door(phone_a, base, session), _open_door(phone_b, base, session)
        wait_offline_ready(door_a)
        phone_a.set_offline(True)
        phone_b.set_offline(True)
        door_a.wait_for_selector("[data-state][data-online=no]")
        assert scan(door_a)[0] == "ok"
        assert scan(door_b)[0] == "ok"  # the second phone never heard of the first's scan
        assert not Attendance.objects.exists()
        phone_a.set_offline(False)
        door_a.wait_for_selector("[data-state][data-pending='0'][data-online=yes]")
        phone_b.set_offline(False)
        door_b.wait_for_selector("[data-state][data-pending='0'][data-online=yes]")
        assert list(Attendance.objects.values_list("registration_id", flat=True)) == [promoted.pk]

        session_mark_held(session=session)
        admin = phone_a.new_page()
        admin.goto(base + "/admin/programme-after/")
        admin.locator(f"[data-testid=close-{session.code}]").click()
        admin.wait_for_load_state()
        session.refresh_from_db()
        assert session.status == SessionStatus.CLOSED

        archive = phone_b.new_page()
        archive.goto(fr_url)
        figures = archive.locator(".beneficiaries")
        assert figures.locator(".big-number").inner_text() == "1"
        elected = figures.locator("tbody tr").first.locator("td")
        assert [elected.nth(0).inner_text(), elected.nth(1).inner_text()] == ["1", "0"]  # one elected woman
