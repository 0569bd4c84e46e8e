"""Fixtures for the search tests, and the guard on the conformance suite."""

import pytest

CONFORMANCE_CLASS = "test_backend_conformance.py::TestWhooshBackend::"
_RANK = {"passed": 0, "skipped": 1, "failed": 2}
_collected = {"count": 0}
_outcomes: dict[str, str] = {}  # test id -> worst outcome (subtests included)


def pytest_collection_modifyitems(session, config, items):
    _collected["count"] = sum(1 for item in items if CONFORMANCE_CLASS in item.nodeid)


def pytest_runtest_logreport(report):
    if CONFORMANCE_CLASS not in report.nodeid:
        return
    if report.when == "call" or not report.passed:
        outcome = "passed" if report.passed else "skipped" if report.skipped else "failed"
        previous = _outcomes.get(report.nodeid, "passed")
        _outcomes[report.nodeid] = max(previous, outcome, key=_RANK.get)


def _counts() -> dict:
    # Under xdist the controller collects nothing: its count is the tests reported.
    counts = {"collected": max(_collected["count"], len(_outcomes)), "passed": 0, "skipped": 0, "failed": 0}
    for outcome in _outcomes.values():
        counts[outcome] += 1
    return counts


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    if _collected["count"] or _outcomes:
        terminalreporter.write_line(
            "modelsearch BackendTests on Whoosh: {collected} collected, {passed} passed, "
            "{skipped} skipped, {failed} failed".format(**_counts())
        )


def pytest_sessionfinish(session, exitstatus):
    """A skipped conformance test fails the run: a misconfigured suite skips everything."""
    if (_collected["count"] or _outcomes) and _counts()["skipped"]:
        session.exitstatus = 1


@pytest.fixture
def search_index_dir(tmp_path, settings):
    """A fresh, empty index folder for one test (the backend reads PATH on each lookup)."""
    path = tmp_path / "search-index"
    conf = {"default": {"BACKEND": "search.backends.whoosh", "PATH": str(path)}}
    settings.WAGTAILSEARCH_BACKENDS = conf
    settings.MODELSEARCH_BACKENDS = conf
    return path
