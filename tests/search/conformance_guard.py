"""The guard on modelsearch's conformance suite: prints how many BackendTests ran and
fails the run if any was skipped (a misconfigured suite skips every test and exits 0).

A plugin loaded by the root conftest (``pytest_plugins``): under xdist the controller
collects nothing, so hooks in tests/search/conftest.py would not run there when the
whole suite runs.
"""

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
