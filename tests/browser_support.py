"""Debian's chromium for the browser tests, driven by Playwright (never a downloaded browser).

One Playwright driver and one chromium per test process (each xdist worker), started by the
first test that asks for them; each test gets a fresh browser context (its own cookies,
storage, cache, service workers and network state). Starting the driver, launching chromium
and closing it again took 4 to 6 s per test on this machine, for each of some twenty tests.

A plugin of the root conftest (``pytest_plugins``).
"""

import asyncio
import os

import pytest

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


class Driver:
    """The process's Playwright driver and the chromiums it launched (one per set of arguments).

    Playwright's sync API marks its event loop as running in this thread between its calls.
    While the mark is there Django takes other connection objects from its thread-critical
    storage (asgiref reads a running loop as an async context), and ``async_to_sync`` refuses
    to run: so the mark is taken off when a browser test ends (:meth:`pause`), as closing the
    driver after each test used to do, and put back before the next one calls Playwright
    (:meth:`resume`). No Playwright call may happen in between.
    """

    def __init__(self):
        self._manager = None
        self._loop = None
        self.playwright = None
        self._browsers: dict[tuple[str, ...], object] = {}

    def resume(self):
        """The driver, started now if it is not yet, with its loop marked as running."""
        if self.playwright is None:
            from playwright.sync_api import sync_playwright

            self._manager = sync_playwright()
            self.playwright = self._manager.__enter__()
            self._loop = asyncio.get_running_loop()  # marked by the driver's start
        else:
            asyncio._set_running_loop(self._loop)
        return self.playwright

    def pause(self) -> None:
        """Take the running mark off between browser tests (see the class)."""
        asyncio._set_running_loop(None)

    def chromium(self, *extra_args: str):
        """A chromium launched with ``CHROMIUM_ARGS`` plus ``extra_args``, shared by the tests."""
        browser = self._browsers.get(extra_args)
        if browser is None or not browser.is_connected():
            assert os.path.exists(CHROMIUM), "Debian's chromium is missing: run `make setup` (bin/system-deps)."
            browser = self.playwright.chromium.launch(
                executable_path=CHROMIUM, headless=True, args=[*CHROMIUM_ARGS, *extra_args]
            )
            self._browsers[extra_args] = browser
        return browser

    def stop(self) -> None:
        """Close the chromiums and the driver (at the end of the session)."""
        if self.playwright is None:
            return
        asyncio._set_running_loop(self._loop)
        for browser in self._browsers.values():
            if browser.is_connected():
                browser.close()
        self._manager.__exit__(None, None, None)
        self.playwright = None


@pytest.fixture(scope="session")
def _driver():
    driver = Driver()
    yield driver
    driver.stop()


@pytest.fixture
def playwright_driver(_driver):
    """This process's :class:`Driver`, usable during the test (``.playwright``, ``.chromium()``).

    `make test` installs chromium first (bin/system-deps); a missing browser is a failure,
    not a skip, so CI cannot pass without running these tests.
    """
    # Playwright's sync API runs an event loop in this thread; the ORM calls the tests make
    # around it are still synchronous.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    _driver.resume()
    yield _driver
    _driver.pause()


@pytest.fixture
def browser(playwright_driver):
    """A fresh browser context of the shared chromium: no cookies, storage or service workers."""
    context = playwright_driver.chromium().new_context()
    yield context
    context.close()


@pytest.fixture
def tab(browser):
    """A tab of a fresh context, for tests that bring their own server."""
    tab = browser.new_page()
    tab.set_default_timeout(15_000)
    yield tab
    tab.close()


@pytest.fixture
def page(tab, live_server):
    """A fresh tab with empty cookies; `page.goto(live_server.url + path)`."""
    return tab
