"""Fixtures for the search tests, and the guard on the conformance suite."""

import pytest

CONFORMANCE_CLASS = "test_backend_conformance.py::TestWhooshBackend::"
_outcomes = {"collected": 0, "passed": 0, "skipped": 0, "failed": 0}


def pytest_collection_modifyitems(session, config, items):
    _outcomes["collected"] = sum(1 for item in items if CONFORMANCE_CLASS in item.nodeid)


def pytest_runtest_logreport(report):
    if CONFORMANCE_CLASS not in report.nodeid:
        return
    if report.when == "call" or (report.when == "setup" and not report.passed):
        key = "passed" if report.passed else "skipped" if report.skipped else "failed"
        _outcomes[key] += 1


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    if _outcomes["collected"]:
        terminalreporter.write_line(
            "modelsearch BackendTests on Whoosh: {collected} collected, {passed} passed, "
            "{skipped} skipped, {failed} failed".format(**_outcomes)
        )


def pytest_sessionfinish(session, exitstatus):
    """A skipped conformance test fails the run: a misconfigured suite skips everything."""
    if _outcomes["collected"] and _outcomes["skipped"]:
        session.exitstatus = 1


@pytest.fixture
def search_index_dir(tmp_path, settings):
    """A fresh, empty index folder for one test (the backend reads PATH on each lookup)."""
    path = tmp_path / "search-index"
    conf = {"default": {"BACKEND": "search.backends.whoosh", "PATH": str(path)}}
    settings.WAGTAILSEARCH_BACKENDS = conf
    settings.MODELSEARCH_BACKENDS = conf
    return path
