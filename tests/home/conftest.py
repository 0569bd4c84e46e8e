"""The home tests only read the demo site: load it once per module, roll it back after."""

import pytest
from django.core.management import call_command


@pytest.fixture(scope="module")
def _module_demo(module_db, django_db_blocker):
    with django_db_blocker.unblock():
        call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115


@pytest.fixture
def demo_site(_module_demo, db):
    """The demo site, shared by this module's tests; each test's own writes are rolled back."""
