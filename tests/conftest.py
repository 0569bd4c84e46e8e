"""Fixtures for the whole suite."""

import pytest

pytest_plugins = ["tests.search.conformance_guard", "tests.browser_support"]

#: Modules whose tests share rows made once (``module_db``): under ``-n`` each goes to one
#: worker whole, so its rows are made once per run instead of once per worker.
SHARED_MODULES = {
    "tests/archive/test_import_export.py",
    "tests/archive/test_models.py",
    "tests/archive/test_public.py",
    "tests/home/test_pages.py",
    "tests/lessons/test_heartbeat.py",
    "tests/lessons/test_quiz.py",
    "tests/test_hostile_urls.py",
}


def pytest_sessionfinish(session, exitstatus):
    """Remove this process's media, static and search folders (config/settings/test.py)."""
    import shutil

    from django.conf import settings

    root = getattr(settings, "TEST_TEMP_ROOT", None)
    if root:
        shutil.rmtree(root, ignore_errors=True)


@pytest.hookimpl(tryfirst=True, optionalhook=True)
def pytest_xdist_make_scheduler(config, log):
    """``-n`` without another ``--dist``: tests are handed out one by one as workers free up
    (like ``--dist load``), except that each module of SHARED_MODULES is handed out whole.

    (``--dist loadgroup`` would do this from ``xdist_group`` marks, but with pytest 9.2 it
    no longer groups anything: pytest-xdist#1386.)
    """
    if config.getvalue("dist") != "load":
        return None
    from xdist.scheduler import LoadScopeScheduling

    class SharedModulesTogether(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            module = nodeid.split("::", 1)[0]
            return module if module in SHARED_MODULES else nodeid

    return SharedModulesTogether(config, log)


#: Modules of long tests besides the browser tests (each from half a minute to minutes,
#: durations of 2026-12-04): collected first with them, see ``_long_modules_first``.
LONG_MODULES = {
    "tests/demo/test_load_demo.py",
    "tests/home/test_queries.py",
    "tests/lessons/test_migration_translations.py",
    "tests/lessons/test_queries.py",
    "tests/media_pipeline/test_watchdog.py",
    "tests/vocabulary/test_migrations.py",
}


def _long_modules_first(items) -> None:
    """Put the modules of browser tests and of LONG_MODULES first among their kind (rolled back, then
    transactional), each module kept whole.

    Workers take the next test as they free up, in collection order: a minutes-long test
    collected last (the migration tests sit in tests/vocabulary/) ran while the other worker
    had nothing left to do. Handed out first, the long tests overlap with the many short ones.
    """
    def module(item) -> str:
        return item.nodeid.split("::", 1)[0]

    long = {module(item) for item in items if item.get_closest_marker("browser")} | LONG_MODULES
    # Transactional tests (browser tests among them) stay after the rolled-back ones, as pytest-django
    # orders them: their flush empties the migrated rows (Wagtail's root and home, the groups) that the
    # rolled-back tests read, and only transactional tests put them back (_migrated_rows_after_flush).
    items.sort(key=lambda item: (_is_transactional(item), module(item) not in long))


def pytest_collection_modifyitems(config, items):
    """Long modules first (``_long_modules_first``). A module that shares rows (``module_db``)
    may hold no transactional test, whose flush would empty them under its neighbours, and
    must be listed in SHARED_MODULES."""
    _long_modules_first(items)
    sharing, transactional = set(), set()
    for item in items:
        module = item.nodeid.split("::", 1)[0]
        if "module_db" in item.fixturenames:
            sharing.add(module)
        if _is_transactional(item):
            transactional.add(module)
    if mixed := sharing & transactional:
        raise pytest.UsageError(f"module_db in a module with transactional tests: {sorted(mixed)}")
    if unlisted := {m for m in sharing if m.startswith("tests/")} - SHARED_MODULES:
        raise pytest.UsageError(f"modules using module_db missing from SHARED_MODULES: {sorted(unlisted)}")


@pytest.fixture
def demo_site(db):
    """The demo page tree, themes, modules and accounts, as ``make run`` shows them (``load_demo``
    writes its search index once, at the end: search/bulk.py)."""
    from django.core.management import call_command

    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115


_MIGRATED_DB = pytest.StashKey()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker, tmp_path_factory, pytestconfig):
    """pytest-django's test databases, and on SQLite a file copy of the freshly migrated one
    (``migrated_db_file``), taken before any test could flush Wagtail's root page away."""
    import sqlite3

    from django.db import connection

    if connection.vendor == "sqlite":
        path = tmp_path_factory.mktemp("migrated-db") / "migrated.sqlite3"
        with django_db_blocker.unblock():
            connection.ensure_connection()
            target = sqlite3.connect(path)
            try:
                connection.connection.backup(target)
            finally:
                target.close()
        pytestconfig.stash[_MIGRATED_DB] = path
    yield


@pytest.fixture(scope="session")
def migrated_db_file(django_db_setup, pytestconfig, tmp_path_factory):
    """A migrated SQLite file for the servers and workers a test starts as processes of its
    own (copy it before writing to it): on SQLite, the copy of this run's test database taken
    right after its migrations; on another engine (PostgreSQL runs), a file migrated here once."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    if (path := pytestconfig.stash.get(_MIGRATED_DB, None)) is not None:
        return path
    path = tmp_path_factory.mktemp("migrated-db") / "migrated.sqlite3"
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{path}"}
    root = Path(__file__).resolve().parents[1]
    subprocess.run([sys.executable, "manage.py", "migrate", "-v", "0"], env=env, cwd=root, check=True)
    return path


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


def search_conf(path) -> dict:
    """Search backend settings (wagtail's and modelsearch's names) for a Whoosh index at ``path``."""
    return {"default": {"BACKEND": "search.backends.whoosh", "PATH": str(path)}}


@pytest.fixture(scope="module")
def module_db(django_db_setup, django_db_blocker, tmp_path_factory):
    """A transaction held open across a module's tests, for rows that module-scoped fixtures
    make once (inside ``django_db_blocker.unblock()``); yields the module's search index.

    pytest-django runs each test in a savepoint inside it, so a test's own writes still roll
    back and every test starts from the same shared rows; the module's end rolls those back
    too. Pages saved here are indexed into the module's own search index, which its tests
    then search (``_search_index``). List the module in SHARED_MODULES; it may hold no
    transactional test (pytest_collection_modifyitems checks both).
    """
    from django.db import transaction
    from django.test import override_settings

    index = tmp_path_factory.mktemp("module-search") / "index"
    conf = search_conf(index)
    with override_settings(WAGTAILSEARCH_BACKENDS=conf, MODELSEARCH_BACKENDS=conf):
        with django_db_blocker.unblock():
            outer = transaction.atomic()
            outer.__enter__()
        try:
            yield index
        finally:
            with django_db_blocker.unblock():
                transaction.set_rollback(True)
                outer.__exit__(None, None, None)


_index_count = {"n": 0}


@pytest.fixture(autouse=True)
def _search_index(request, settings):
    """Each test writes to its own search index, which the backend creates on its first write.

    Pages a test saves are indexed on save (tasks run inline), but the database rollback
    does not reach the index: one index for the whole session kept every earlier test's
    documents (answers about pages that no longer exist) and made each commit slower as
    the session went on. Tests of a module that shares rows (``module_db``) search the
    module's index; ``search_index_dir`` and the like still override this.
    """
    import shutil
    from pathlib import Path

    if "module_db" in request.fixturenames:
        yield request.getfixturevalue("module_db")
        return
    _index_count["n"] += 1
    path = Path(settings.SEARCH_INDEX_DIR) / f"test-{_index_count['n']}"
    conf = search_conf(path)
    settings.WAGTAILSEARCH_BACKENDS = conf
    settings.MODELSEARCH_BACKENDS = conf
    yield path
    shutil.rmtree(path, ignore_errors=True)


def _is_transactional(item) -> bool:
    marker = item.get_closest_marker("django_db")
    return bool(
        (marker and marker.kwargs.get("transaction"))
        or {"live_server", "transactional_db"} & set(getattr(item, "fixturenames", ()))
    )


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
    importlib.import_module("programme.migrations.0002_progcore_reminders_and_group").create_group(apps, None)
    importlib.import_module("programme.migrations.0003_progdoor_check_in_permission").grant(apps, None)
    importlib.import_module("editorial.migrations.0001_review_task_and_scheduler").configure_review(apps, None)
    importlib.import_module("editorial.migrations.0002_quiz_review").assign_workflow(apps, None)


@pytest.fixture(autouse=True)
def _migrated_rows_after_flush(request):
    """Transactional tests start with the migrated rows, like every other test."""
    if _is_transactional(request.node):
        request.getfixturevalue("transactional_db")
        restore_migrated_rows()
