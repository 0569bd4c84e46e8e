"""The production settings serve pages: ``collectstatic`` passes and gunicorn answers 200 behind a TLS proxy.

Once per module: ``collectstatic`` with ``config.settings.production`` into a temporary folder, a
migrated SQLite file with the demo's home pages, archive index and one module, then gunicorn with
those settings on 127.0.0.1 (a port the kernel picks). Requests carry what nginx adds
(``Host``, ``X-Forwarded-Proto: https``). A vendored file naming a missing source map, or any
other static file the hashed storage cannot process, fails here before it fails in production.
"""

import http.client
import os
import re
import secrets
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
HOST = "takwin.example.ma"
STARTUP_SECONDS = 120
# The tests only talk HTTP, but the marker makes pytest-django create the suite's test database,
# whose migrated copy (``migrated_db_file``, tests/conftest.py) the server gets.
pytestmark = pytest.mark.django_db


def production_env(folder: Path) -> dict[str, str]:
    """The environment of a production service whose files all live in ``folder``."""
    inherited = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "AWS_", "DATABASE_")) and k not in {"TASKS_BACKEND", "REDIS_URL"}
    }
    return {
        **inherited,
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": HOST,
        "DATABASE_URL": f"sqlite:///{folder / 'db.sqlite3'}",
        "DJANGO_STATIC_ROOT": str(folder / "static"),
        "DJANGO_MEDIA_ROOT": str(folder / "media"),
        "SEARCH_INDEX_DIR": str(folder / "search-index"),
        "PYTHONDONTWRITEBYTECODE": "1",
    }


def _manage(args: list[str], env: dict[str, str]) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def _finish(process: subprocess.Popen, what: str) -> None:
    output, _ = process.communicate(timeout=600)
    assert process.returncode == 0, f"{what} failed under the production settings:\n{output[-4000:]}"


def _listening_port(process: subprocess.Popen, log: Path) -> int:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if match := re.search(r"Listening at: http://127\.0\.0\.1:(\d+)", log.read_text()):
            return int(match.group(1))
        assert process.poll() is None, f"gunicorn exited:\n{log.read_text()[-4000:]}"
        time.sleep(0.05)
    raise AssertionError(f"gunicorn did not start:\n{log.read_text()[-4000:]}")


@pytest.fixture(scope="module")
def production_server(tmp_path_factory, migrated_db_file):
    """``(port, env)`` of gunicorn serving the production settings from a temporary folder."""
    folder = tmp_path_factory.mktemp("production")
    env = production_env(folder)
    # collectstatic (the slow part: hashing, then gzip and brotli) runs while the database is made.
    collect = _manage(["collectstatic", "--no-input", "-v", "0"], env)
    shutil.copyfile(migrated_db_file, folder / "db.sqlite3")
    seed = subprocess.Popen(
        [sys.executable, "-m", "tests.config.production_seed"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    _finish(seed, "the demo pages")
    _finish(collect, "collectstatic")

    log = folder / "gunicorn.log"
    with log.open("w") as log_file:
        server = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "config.wsgi",
                "--bind",
                "127.0.0.1:0",
                "--workers",
                "1",
                "--timeout",
                "60",
                "--no-control-socket",
            ],
            cwd=ROOT,
            env=env,
            stdout=log_file,
            stderr=subprocess.STDOUT,
        )
    try:
        yield _listening_port(server, log), log
    finally:
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def fetch(port: int, path: str, *, https: bool = True) -> tuple[int, dict[str, str], bytes]:
    """GET ``path`` as nginx forwards it (``Host`` and, for TLS, ``X-Forwarded-Proto: https``)."""
    headers = {"Host": HOST, "Accept-Language": "ar"}
    if https:
        headers["X-Forwarded-Proto"] = "https"
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=STARTUP_SECONDS)
    try:
        conn.request("GET", path, headers=headers)
        response = conn.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    finally:
        conn.close()


PAGES = ["/", "/fr/", "/courses/gis/", "/archive/", "/accounts/login/", "/admin/login/"]


def test_production_settings_serve_pages_through_gunicorn(production_server):
    """Home (both languages), a module, the archive, the site's and the admin's login pages: 200 over
    HTTPS behind the proxy, with HSTS and a Content-Security-Policy. The stylesheet the home page links
    by its hashed name is served (text/css, cached for ten years). Without nginx's
    ``X-Forwarded-Proto: https`` a request counts as plain HTTP: 301 to https.

    One test, not one per page: under ``-n`` tests are handed out one by one, and each worker that got
    one would collect the static files and start its own gunicorn."""
    port, log = production_server
    failures = []
    for path in PAGES:
        status, headers, body = fetch(port, path)
        if status != 200:
            failures.append(f"{path} -> {status}: {body[-1500:].decode(errors='replace')}")
        elif not headers.get("strict-transport-security", "").startswith("max-age=31536000"):
            failures.append(f"{path}: no HSTS")
        elif "default-src 'self'" not in headers.get("content-security-policy", ""):
            failures.append(f"{path}: no Content-Security-Policy")
    assert failures == [], "\n".join(failures) + "\n" + log.read_text()[-3000:]

    _, _, home = fetch(port, "/")
    match = re.search(rb'href="(/static/css/takwin\.[0-9a-f]{12}\.css)"', home)
    assert match, "the page links the stylesheet by its hashed name"
    status, headers, css = fetch(port, match.group(1).decode())
    assert status == 200
    assert headers["content-type"].startswith("text/css")
    assert "max-age=315360000" in headers["cache-control"] and b"inline-size" in css

    status, headers, _ = fetch(port, "/fr/", https=False)
    assert status == 301
    assert headers["location"] == f"https://{HOST}/fr/"
