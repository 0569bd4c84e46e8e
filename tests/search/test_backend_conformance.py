"""modelsearch's own backend conformance suite, run against the Whoosh backend.

Wagtail installs modelsearch as ``wagtail.search``; the suite imports
``modelsearch.models``, so that module is aliased to Wagtail's before the import.
tests/search/conftest.py fails the run if any of these tests is skipped (a wrong
``backend_path`` makes modelsearch skip every test and exit 0).
"""

import sys
import unittest

import wagtail.search.models

sys.modules.setdefault("modelsearch.models", wagtail.search.models)

from django.conf import settings  # noqa: E402
from django.test import TestCase  # noqa: E402
from modelsearch.tests.test_backends import BackendTests  # noqa: E402

BACKEND_PATH = "search.backends.whoosh"
#: modelsearch 1.3.2's BackendTests has 120 tests.
EXPECTED_TESTS = 120


class TestWhooshBackend(BackendTests, TestCase):
    """Every test of modelsearch's BackendTests passes on the Whoosh backend."""

    backend_path = BACKEND_PATH


def test_conformance_suite_is_configured():
    """The backend path the suite looks for is the configured one, under both
    settings names, and the whole suite is collected."""
    assert settings.MODELSEARCH_BACKENDS["default"]["BACKEND"] == BACKEND_PATH
    assert settings.WAGTAILSEARCH_BACKENDS["default"]["BACKEND"] == BACKEND_PATH
    names = unittest.TestLoader().getTestCaseNames(TestWhooshBackend)
    assert len(names) == EXPECTED_TESTS
