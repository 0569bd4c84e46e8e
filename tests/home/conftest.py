"""The home tests only read the demo site: load it once per module, roll it back after."""

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings


@pytest.fixture(scope="module")
def _module_search_index(tmp_path_factory):
    """The module's search index: the demo's pages are indexed into it as they are saved."""
    path = tmp_path_factory.mktemp("home-search") / "index"
    conf = {"default": {"BACKEND": "search.backends.whoosh", "PATH": str(path)}}
    with override_settings(WAGTAILSEARCH_BACKENDS=conf, MODELSEARCH_BACKENDS=conf):
        yield path


@pytest.fixture(scope="module")
def _module_demo(_module_search_index, django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
            yield
        finally:
            # Undo the demo so that later modules start from the migrated database.
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.fixture
def _search_index(_module_search_index, settings):
    """The home tests search the demo's index (tests/conftest.py gives other tests an empty one)."""
    from tests.conftest import use_search_index

    use_search_index(settings, _module_search_index)
    return _module_search_index


@pytest.fixture
def demo_site(_module_demo, db):
    """The demo site, shared by this module's tests; each test's own writes are rolled back."""
