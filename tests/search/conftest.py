"""Fixtures for the search tests (the conformance guard is tests/search/conformance_guard.py)."""

import pytest


@pytest.fixture
def search_index_dir(tmp_path, settings):
    """A fresh, empty index folder for one test (the backend reads PATH on each lookup)."""
    path = tmp_path / "search-index"
    conf = {"default": {"BACKEND": "search.backends.whoosh", "PATH": str(path)}}
    settings.WAGTAILSEARCH_BACKENDS = conf
    settings.MODELSEARCH_BACKENDS = conf
    return path
