"""Fixtures for the whole suite."""

import pytest
from django.core.management import call_command


def pytest_sessionfinish(session, exitstatus):
    """Remove this process's media, static and search folders (config/settings/test.py)."""
    import shutil

    from django.conf import settings

    root = getattr(settings, "TEST_TEMP_ROOT", None)
    if root:
        shutil.rmtree(root, ignore_errors=True)


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


def use_search_index(settings, path) -> None:
    """Point the default search backend (wagtail's and modelsearch's names) at ``path``."""
    conf = {"default": {"BACKEND": "search.backends.whoosh", "PATH": str(path)}}
    settings.WAGTAILSEARCH_BACKENDS = conf
    settings.MODELSEARCH_BACKENDS = conf


_index_count = {"n": 0}


@pytest.fixture(autouse=True)
def _search_index(settings):
    """Each test writes to its own search index, created by the backend on its first write.

    Pages a test saves are indexed on save (tasks run inline), but the database rollback
    does not reach the index: one index for the whole session would keep every earlier
    test's documents (answers about pages that no longer exist) and make each commit
    slower as the session goes on. A test that wants a particular folder
    (``search_index_dir``) or a module's shared index (tests/home) overrides this.
    """
    import shutil
    from pathlib import Path

    _index_count["n"] += 1
    path = Path(settings.SEARCH_INDEX_DIR) / f"test-{_index_count['n']}"
    use_search_index(settings, path)
    yield path
    shutil.rmtree(path, ignore_errors=True)


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


def _is_transactional(item) -> bool:
    marker = item.get_closest_marker("django_db")
    return bool((marker and marker.kwargs.get("transaction")) or {"live_server", "transactional_db"} & set(
        getattr(item, "fixturenames", ())
    ))


def restore_migrated_rows() -> None:
    """Put back the rows that data migrations create, after a transactional test's flush.

    A transactional test (live server, worker) empties every table when it ends,
    including Wagtail's locale, root page, root collection and default site and our
    groups with their permissions. Re-creating them is deterministic, where Django's
    serialized rollback trips over content types re-created with other ids.
    """
    import importlib

    from django.apps import apps
    from django.contrib.contenttypes.models import ContentType
    from wagtail.models import Collection, Locale, Page, Site

    if Page.objects.exists():
        return
    locale, _ = Locale.objects.get_or_create(language_code="ar")
    root = Page.add_root(
        instance=Page(title="Root", slug="root", locale=locale, content_type=ContentType.objects.get_for_model(Page))
    )
    if not Collection.objects.exists():
        Collection.add_root(name="Root")
    if not Site.objects.exists():
        Site.objects.create(hostname="localhost", port=80, root_page=root, is_default_site=True)
    importlib.import_module("accounts.migrations.0002_groups").create_groups(apps, None)
    importlib.import_module("accounts.migrations.0003_media_permissions").grant(apps, None)


@pytest.fixture(autouse=True)
def _migrated_rows_after_flush(request):
    """Transactional tests start with the migrated rows, like every other test."""
    if _is_transactional(request.node):
        request.getfixturevalue("transactional_db")
        restore_migrated_rows()

