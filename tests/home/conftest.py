"""The home tests only read the demo site: load it once per module, roll it back after."""

import pytest
from django.core.management import call_command
from django.db import transaction


@pytest.fixture(scope="module")
def _module_demo(django_db_setup, django_db_blocker):
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
def demo_site(_module_demo, db):
    """The demo site, shared by this module's tests; each test's own writes are rolled back."""

