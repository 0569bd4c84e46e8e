"""Fixtures for the whole suite."""

import pytest
from django.core.management import call_command


@pytest.fixture
def demo_site(db):
    """The demo page tree, themes, modules and accounts, as ``make run`` shows them."""
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115


@pytest.fixture(autouse=True)
def _reset_axes_cache():
    from django.core.cache import cache

    cache.clear()
    yield
