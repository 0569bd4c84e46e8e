"""Fixtures for the whole suite."""

import pytest
from django.core.management import call_command


@pytest.fixture
def demo_site(db):
    """The demo page tree, themes, modules and accounts, as ``make run`` shows them."""
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115


@pytest.fixture(autouse=True)
def _fresh_state():
    """Each test starts in Arabic with an empty cache.

    Django leaves the last request's language active in the thread, so a French
    request in one test would otherwise leak into the next test's `reverse()`.
    """
    from django.core.cache import cache
    from django.utils import translation

    cache.clear()
    translation.activate("ar")
    yield
    translation.activate("ar")


CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


@pytest.fixture
def browser(tmp_path_factory):
    """Debian's chromium driven by Playwright (never a downloaded browser).

    `make test` installs chromium first (bin/system-deps); a missing browser is a
    failure here, not a skip, so CI cannot pass without running these tests.

    Function-scoped on purpose: Playwright's sync API runs an event loop whose
    context gives Django other connection objects; a browser left running across
    tests makes the next test's database set-up (serialized rollback) miss.
    """
    import os

    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the ORM calls the
    # tests make around it are still synchronous.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    assert os.path.exists(CHROMIUM), "Debian's chromium is missing: run `make setup` (bin/system-deps)."
    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(tmp_path_factory.mktemp("chromium-profile")),
            executable_path=CHROMIUM,
            headless=True,
            args=CHROMIUM_ARGS,
        )
        yield context
        context.close()


@pytest.fixture
def page(browser, live_server):
    """A fresh tab with empty cookies; `page.goto(live_server.url + path)`."""
    browser.clear_cookies()
    tab = browser.new_page()
    tab.set_default_timeout(15_000)
    yield tab
    tab.close()


def pytest_collection_modifyitems(items):
    """Give every transactional test a serialized rollback.

    A transactional test (live server, worker) flushes every table afterwards,
    including the rows Wagtail's and our data migrations created (root page, locale,
    collections, groups). With serialized rollback for all of them, Django restores
    those rows and never re-runs post-migrate in between, which would otherwise make
    the next restore collide with content types created in the meantime.
    """
    for item in items:
        marker = item.get_closest_marker("django_db")
        kwargs = dict(marker.kwargs) if marker else {}
        transactional = kwargs.get("transaction") or {"live_server", "transactional_db"} & set(
            getattr(item, "fixturenames", ())
        )
        if transactional and not kwargs.get("serialized_rollback"):
            item.add_marker(pytest.mark.django_db(**{**kwargs, "transaction": True, "serialized_rollback": True}))
