"""Bytes and requests a learner's phone transfers on each page before any interaction.

One command: ``.venv/bin/python benchmarks/page_weight.py`` (``--keep DIR`` reuses a prepared
folder's database and media; the static files are collected again on every run; ``--detail``
lists each page's responses, largest first). It serves the production settings with
gunicorn on 127.0.0.1 (a port the kernel picks): ``collectstatic`` into a temporary folder
(whitenoise's compressed manifest storage: hashed names, gzip and brotli), a temporary SQLite
database migrated and loaded with ``manage.py load_demo`` (dev settings, where the demo app
is installed), its recording encoded by ``db_worker --batch``. Debian's chromium (Playwright) opens each page at 375 px with the cache
off and a fresh profile, waits until the network is idle, and sums, for every response, the
encoded body and the headers (``request.sizes()``). Each page is printed against the
150 KB budget and against the 2,306,241 bytes the lesson page with one 20 s recording cost
before the player was made lazy (issue 14); the exit status is 1 if a page is over budget.
"""

import argparse
import json
import os
import re
import secrets
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BUDGET = 150 * 1024
BEFORE = 2_306_241  # the lesson page with a recording, issue 14 (34 requests)
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
    "--disable-dev-shm-usage",
]


def environment(folder: Path) -> dict[str, str]:
    """Production settings whose database, media, static files and index live in ``folder``."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "AWS_", "DATABASE_"))}
    env.pop("TASKS_BACKEND", None)
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.production",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS="127.0.0.1",
        DATABASE_URL=f"sqlite:///{folder / 'db.sqlite3'}",
        DJANGO_STATIC_ROOT=str(folder / "static"),
        DJANGO_MEDIA_ROOT=str(folder / "media"),
        SEARCH_INDEX_DIR=str(folder / "search-index"),
        PYTHONPATH=str(ROOT),
        PYTHONDONTWRITEBYTECODE="1",
    )
    return env


def manage(args: list[str], env: dict[str, str]) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def finish(process: subprocess.Popen, what: str) -> str:
    output, _ = process.communicate(timeout=1800)
    if process.returncode:
        raise SystemExit(f"{what} failed:\n{output[-3000:]}")
    return output


def prepare(folder: Path, env: dict[str, str]) -> None:
    """migrate + load_demo + the recording's encode (once per folder), beside collectstatic
    (every run: the static files are the thing being weighed)."""
    collect = manage(["collectstatic", "--no-input", "--clear", "-v", "0"], env)
    if not (folder / "ready").exists():
        (folder / "media").mkdir(exist_ok=True)
        # The demo app is installed by the dev settings only: the content is written with them,
        # into the same database and media folder, and then served with the production ones.
        dev = {**env, "DJANGO_SETTINGS_MODULE": "config.settings.dev", "DJANGO_DEBUG": "false"}
        finish(manage(["migrate", "--no-input", "-v", "0"], dev), "migrate")
        finish(manage(["load_demo"], dev), "load_demo")
        finish(manage(["db_worker", "--batch", "--no-startup-delay", "-v", "0"], dev), "db_worker")
        (folder / "ready").touch()
    finish(collect, "collectstatic")


def plan() -> dict:
    """(Run inside the prepared environment.) The pages to weigh and the learner's session cookie."""
    # benchmarks/search.py would shadow the project's search package.
    here = Path(__file__).resolve().parent
    sys.path[:] = [str(ROOT)] + [p for p in sys.path if Path(p or ".").resolve() != here]
    import django

    django.setup()
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
    from django.contrib.sessions.backends.db import SessionStore

    from archive.models import ActivityPage
    from courses.models import Enrolment
    from courses.services import enrolment_create
    from lessons.models import LessonPage
    from media_pipeline.models import MediaStatus

    lessons = LessonPage.objects.live().filter(locale__language_code="ar").order_by("path")
    with_video = next(
        p
        for p in lessons
        if any(
            b.block_type == "video" and b.value.get("recording") and b.value["recording"].status == MediaStatus.READY
            for b in p.body
        )
    )
    without = next(p for p in lessons if not any(b.block_type == "video" for b in p.body))
    module = with_video.get_parent().specific
    user = get_user_model().objects.get(email="learner@takwin.test")
    if not Enrolment.objects.filter(user=user, course=module).exists():
        enrolment_create(user=user, course=module)
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    activity = ActivityPage.objects.live().filter(locale__language_code="ar").first()
    from programme.models import PlanPage, SessionPage, SessionStatus

    plan_page = PlanPage.objects.live().filter(locale__language_code="ar").order_by("-year").first()
    sessions = SessionPage.objects.live().filter(locale__language_code="ar")
    session_page = sessions.filter(session__status=SessionStatus.OPEN).first() or sessions.first()
    return {
        "session": session.session_key,
        "pages": [
            ("home", "/"),
            ("catalogue", "/courses/"),
            ("module", module.url),
            ("lesson with a recording", with_video.url),
            ("lesson without", without.url),
            ("archive", "/archive/"),
            ("activity", activity.url),
            ("search", "/search/?q=%D9%85%D9%8A%D8%B2%D8%A7%D9%86%D9%8A%D8%A9"),
            ("my learning", "/my/"),
            ("plan", plan_page.url),
            ("plan calendar", plan_page.url + "?view=calendar"),
            ("plan session", session_page.url),
        ],
    }


def serve(env: dict[str, str], log: Path) -> tuple[subprocess.Popen, int]:
    with log.open("w") as out:
        server = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "config.wsgi",
                "--bind",
                "127.0.0.1:0",
                "--workers",
                "2",
                "--no-control-socket",
            ],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    for _ in range(600):
        if match := re.search(r"Listening at: http://127\.0\.0\.1:(\d+)", log.read_text()):
            return server, int(match.group(1))
        if server.poll() is not None:
            break
        time.sleep(0.1)
    server.terminate()
    raise SystemExit(f"gunicorn did not start:\n{log.read_text()[-3000:]}")


def _size(request) -> int:
    sizes = request.sizes()
    return sizes["requestHeadersSize"] + sizes["responseHeadersSize"] + sizes["responseBodySize"]


def weigh(base: str, session: str, pages: list, profile: Path) -> list[tuple[str, str, int, int, int, list]]:
    """(name, path, status, bytes, requests, [(bytes, url)]) for each page, opened in a fresh tab, cache off."""
    from playwright.sync_api import sync_playwright

    rows = []
    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(profile),
            executable_path=CHROMIUM,
            headless=True,
            args=CHROMIUM_ARGS,
            viewport={"width": 375, "height": 740},
            is_mobile=True,
            has_touch=True,
            device_scale_factor=2,
            # What nginx adds in production: the site is HTTPS only (SECURE_SSL_REDIRECT).
            extra_http_headers={"X-Forwarded-Proto": "https"},
        )
        context.add_cookies([{"name": "sessionid", "value": session, "url": base}])
        for name, path in pages:
            tab = context.new_page()
            cdp = context.new_cdp_session(tab)
            cdp.send("Network.enable")
            cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
            finished, failed = [], []
            tab.on("requestfinished", lambda request, seen=finished: seen.append(request))
            # A request cut before its response (an aborted media fetch) has no sizes: counted, 0 B.
            tab.on("requestfailed", lambda request, seen=failed: seen.append(request))
            response = tab.goto(base + path, wait_until="networkidle")
            tab.wait_for_timeout(1000)  # late requests (deferred scripts, lazy images in view)
            parts = [(_size(request), request.url.removeprefix(base)) for request in list(finished)]
            parts += [(0, request.url.removeprefix(base) + " (failed)") for request in list(failed)]
            total = sum(size for size, _url in parts)
            rows.append((name, path, response.status if response else 0, total, len(parts), sorted(parts, reverse=True)))
            tab.close()
        context.close()
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keep", type=Path, help="prepare (or reuse) this folder instead of a temporary one")
    parser.add_argument("--detail", action="store_true", help="list each page's responses, largest first")
    parser.add_argument("--plan", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.plan:
        print(json.dumps(plan()))
        return 0
    with tempfile.TemporaryDirectory(prefix="page-weight-") as scratch:
        folder = args.keep or Path(scratch)
        folder.mkdir(parents=True, exist_ok=True)
        env = environment(folder)
        if args.keep and (folder / "secret").exists():
            env["DJANGO_SECRET_KEY"] = (folder / "secret").read_text()
        (folder / "secret").write_text(env["DJANGO_SECRET_KEY"])
        prepare(folder, env)
        targets = json.loads(
            finish(
                subprocess.Popen(
                    [sys.executable, __file__, "--plan"], cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True
                ),
                "plan",
            )
        )
        server, port = serve(env, Path(scratch) / "gunicorn.log")
        try:
            rows = weigh(f"http://127.0.0.1:{port}", targets["session"], targets["pages"], Path(scratch) / "profile")
        finally:
            server.terminate()
            server.wait(timeout=30)
    print(
        f"Before any interaction, chromium at 375 px, cache off; budget {BUDGET:,} B; "
        f"issue 14's lesson page: {BEFORE:,} B in 34 requests. Load average {os.getloadavg()[0]:.1f}."
    )
    print(f"{'page':<26}{'HTTP':>5}{'bytes':>11}{'requests':>10}{'of budget':>11}{'of 2,306,241':>14}  path")
    over = False
    for name, path, status, total, count, parts in rows:
        over |= total > BUDGET or status != 200
        print(f"{name:<26}{status:>5}{total:>11,}{count:>10}{total / BUDGET:>10.0%}{total / BEFORE:>13.1%}  {path}")
        for size, url in parts if args.detail else []:
            print(f"{'':<31}{size:>11,}  {url}")
    print("OVER BUDGET (or not 200)" if over else "Every page within the budget.")
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main())
