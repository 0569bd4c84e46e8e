"""In Debian's chromium with a fake camera showing a generated QR code: check-in with the network cut,
a reload offline, the sync when it returns, and a second phone's duplicate scan counted once."""

import contextlib
import subprocess

import pytest
import segno
from django.test import Client

from programme.models import Attendance, Registration

from .factories_door import SessionFactory, door_staff, half_days, registration

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def qr_video(code: str, clip) -> str:
    """A one-second 640×480 y4m clip of the QR code of ``code`` at ``clip``, as chromium's fake camera plays it."""
    image = clip.with_suffix(".png")
    # segno.make() picks a Micro QR for 16 letters, which jsQR (and most phone readers) cannot read.
    segno.make_qr(code, error="m").save(str(image), scale=10, border=4)
    subprocess.run([
        "ffmpeg", "-v", "error", "-y", "-loop", "1", "-i", str(image), "-t", "1", "-r", "10", "-vf",
        "scale=640:480:force_original_aspect_ratio=decrease,pad=640:480:(ow-iw)/2:(oh-ih)/2:white,format=yuv420p",
        str(clip),
    ], check=True)
    return str(clip)


@contextlib.contextmanager
def phones(driver, clip: str, cookie: str, url: str, count: int = 2):
    """``count`` phones (browser contexts: separate storage, service workers and network) sharing one
    fake camera, in a chromium of the process's Playwright driver (tests/browser_support.py)."""
    browser = driver.chromium("--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream",
                              f"--use-file-for-fake-video-capture={clip}")
    contexts = []
    try:
        for _ in range(count):
            context = browser.new_context(permissions=["camera"], viewport={"width": 375, "height": 800})
            context.add_cookies([{"name": "sessionid", "value": cookie, "url": url}])
            context.set_default_timeout(15_000)
            contexts.append(context)
        yield contexts
    finally:
        for context in contexts:
            context.close()


@pytest.fixture
def door(live_server, camera_clip):
    session = SessionFactory()
    am, _ = half_days(session)
    person = registration(session, full_name="خديجة أيت بوكماز")
    for _ in range(4):
        registration(session)
    client = Client()
    client.force_login(door_staff())
    return {"session": session, "am": am, "person": person, "clip": qr_video(person.code, camera_clip),
            "cookie": client.cookies["sessionid"].value, "url": live_server.url}


def open_page(context, door, path=""):
    page = context.new_page()
    page.goto(f"{door['url']}{path}/checkin/{door['session'].pk}/")
    page.wait_for_selector("[data-checkin][data-ready=yes]")
    page.wait_for_function("document.querySelector('[data-list-state]').textContent.includes('5')")
    return page


def wait_offline_ready(page):
    """The service worker is active and the page is in its cache (what a reload offline needs)."""
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    page.wait_for_function("caches.match(location.pathname).then(Boolean)")


def scan(page):
    page.get_by_role("button", name="المسح بالكاميرا").click()
    page.wait_for_selector("[data-verdict]:not([hidden])")
    verdict = page.locator("[data-verdict]")
    page.get_by_role("button", name="إيقاف الكاميرا").click()
    return verdict.get_attribute("data-verdict"), verdict.inner_text()


def test_offline_scan_survives_a_reload_syncs_and_a_second_phone_counts_once(door, playwright_driver):
    """Phone A scans offline (valid at once), reloads offline (page from the service worker, scan still
    pending), syncs when back; phone B scanned the same code offline too: after its sync, one attendance."""
    with phones(playwright_driver, door["clip"], door["cookie"], door["url"]) as (phone_a, phone_b):
        a = open_page(phone_a, door)
        b = open_page(phone_b, door)
        wait_offline_ready(a)

        phone_a.set_offline(True)
        phone_b.set_offline(True)
        a.wait_for_selector("[data-state][data-online=no]")
        verdict, text = scan(a)
        assert verdict == "ok" and "خديجة أيت بوكماز" in text
        assert a.locator("[data-state]").get_attribute("data-pending") == "1"
        assert not Attendance.objects.exists()

        response = a.reload()
        assert response.from_service_worker
        a.wait_for_selector("[data-checkin][data-ready=yes]")
        assert a.locator("[data-state]").get_attribute("data-pending") == "1"
        assert "5" in a.locator("[data-list-state]").inner_text()
        # The same person again on the same phone: already used, from the local copy.
        assert scan(a)[0] == "already-used"

        assert scan(b)[0] == "ok"  # phone B never heard of phone A's scan

        phone_a.set_offline(False)
        a.wait_for_selector("[data-state][data-pending='0'][data-online=yes]")
        attendance = Attendance.objects.get()
        assert attendance.registration_id == door["person"].pk and attendance.half_day_id == door["am"].pk

        phone_b.set_offline(False)
        b.wait_for_selector("[data-state][data-pending='0'][data-online=yes]")
        assert Attendance.objects.count() == 1
        assert "1" in b.locator("[data-list-state]").inner_text().split(":")[-1]


def test_find_by_name_and_walk_in_offline_in_french(door, playwright_driver):
    """In French, offline: one attendee found by name, one walk-in typed in; both synced when back."""
    with phones(playwright_driver, door["clip"], door["cookie"], door["url"], count=1) as (phone,):
        page = open_page(phone, door, path="/fr")
        phone.set_offline(True)
        page.get_by_role("searchbox", name="Nom ou code").fill("بوكماز")
        page.get_by_role("button", name="Pointer").click()
        assert page.locator("[data-verdict]").get_attribute("data-verdict") == "ok"
        page.locator("summary").click()
        page.get_by_label("Nom complet").fill("Said El Haddaoui")
        page.get_by_label("Genre").select_option("male")
        page.get_by_role("button", name="Pointer le visiteur").click()
        page.wait_for_selector("[data-state][data-pending='2']")
        phone.set_offline(False)
        page.wait_for_selector("[data-state][data-pending='0'][data-online=yes]")
    assert set(Attendance.objects.values_list("method", flat=True)) == {"name", "walk-in"}
    assert Registration.objects.get(source="walk-in").full_name == "Said El Haddaoui"
