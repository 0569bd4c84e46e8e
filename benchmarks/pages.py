"""Throughput, latency and queries of every public and learner page, beside a bare Wagtail page.

One command: ``.venv/bin/python benchmarks/pages.py`` (options: ``--requests``, ``--concurrency``,
``--workers``, ``--port``, ``--db``). It prepares a SQLite database with the demo content (once),
adds a bare Wagtail ``Page`` as the baseline, then serves everything with gunicorn on loopback
(DEBUG off, persistent connections) twice in the same run:

1. with the anonymous page cache off: every page rendered, the baseline included;
2. with it on (when the project has one): the anonymous pages again, answered from the cache.

For each page it prints req/s, p50 and p95, the SQL queries of one request (counted in-process on
the same database, after a warm-up request) and the ratio of its throughput to the baseline of
pass 1. The load average is printed before and after: on a shared machine it says how quiet the
run was.
"""

import argparse
import http.client
import os
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
PY = str(ROOT / ".venv" / "bin" / "python")
SEARCH_WORD = "الحكامة"


def environment(db: Path, *, page_cache: bool) -> dict:
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.dev", DJANGO_DEBUG="false", DATABASE_URL=f"sqlite:///{db}",
        DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost", PYTHONPATH=str(ROOT), DATABASE_CONN_MAX_AGE="60",
        DJANGO_CACHE_DIR=str(db.parent / "bench-cache"), PAGECACHE_SECONDS="300" if page_cache else "0",
        SEARCH_INDEX_DIR=str(db.parent / "bench-search-index"),
    )
    return env


def prepare(db: Path, env: dict) -> dict:
    """Migrate and load the demo once; return the pages to hit and a logged-in session cookie."""
    for folder in ("media", "protected"):
        (db.parent / folder).mkdir(exist_ok=True)
    if not db.exists():
        subprocess.run([PY, "manage.py", "migrate", "--no-input", "-v", "0"], cwd=ROOT, env=env, check=True)
        subprocess.run([PY, "manage.py", "load_demo"], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)
    if not (db.parent / "bench-search-index").exists():
        # The demo's index updates are queued tasks: index what search will look for.
        subprocess.run([PY, "manage.py", "update_index"], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
    from django.contrib.sessions.backends.db import SessionStore
    from wagtail.models import Page

    from archive.models import ActivityPage
    from courses.models import CoursePage, Enrolment
    from home.models import HomePage
    from lessons.models import LessonPage

    home = HomePage.objects.get(locale__language_code="ar")
    baseline = Page.objects.child_of(home).filter(slug="bench-baseline").first()
    if baseline is None:
        # A bare wagtailcore Page rendered with Wagtail's own minimal template: the floor of any page.
        baseline = Page(title="Baseline", slug="bench-baseline")
        home.add_child(instance=baseline)
        baseline.save_revision().publish()
    user = get_user_model().objects.get(email="learner@takwin.test")
    enrolment = Enrolment.objects.filter(user=user, completed_at__isnull=True).select_related("course").first()
    module = CoursePage.objects.get(pk=enrolment.course.pk)
    lesson = LessonPage.objects.child_of(module).live().order_by("path").first()
    activity = ActivityPage.objects.live().public().filter(locale=home.locale).order_by("-start_date").first()
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    public = [
        ("baseline (bare Wagtail page)", baseline.url),
        ("home /", "/"),
        ("home /fr/", "/fr/"),
        ("catalogue", "/courses/"),
        ("module", module.url),
        ("archive", "/archive/"),
        ("activity", activity.url),
        ("statistics", "/archive/statistics/"),
        ("search", f"/search/?q={quote(SEARCH_WORD)}"),
    ]
    learner = [("lesson (enrolled learner)", lesson.url), ("module (enrolled learner)", module.url), ("/my/", "/my/")]
    return {
        "cookie": f"{settings.SESSION_COOKIE_NAME}={session.session_key}",
        "sessionid": session.session_key,
        "public": public,
        "learner": learner,
    }


def count_queries(path: str, session_key: str | None, *, page_cache: bool = False) -> int:
    """The SQL queries of one request to ``path`` (after a warm-up), in this process; with
    ``page_cache``, of the anonymous visitor's second request (a hit)."""
    from django.conf import settings
    from django.db import connection
    from django.test import Client, override_settings
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST="127.0.0.1")
    if session_key:
        client.cookies[settings.SESSION_COOKIE_NAME] = session_key
    with override_settings(PAGECACHE_SECONDS=300 if page_cache else 0):
        client.get(path)
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(path)
    if response.status_code != 200:
        raise SystemExit(f"{path}: HTTP {response.status_code}")
    return len(ctx.captured_queries)


def hammer(port: int, path: str, cookie: str | None, requests: int, concurrency: int) -> tuple[float, list[float]]:
    """``requests`` GETs spread over ``concurrency`` keep-alive connections; (wall seconds, latencies)."""
    latencies: list[float] = []
    lock = threading.Lock()
    per_thread = [requests // concurrency + (1 if n < requests % concurrency else 0) for n in range(concurrency)]
    errors: list[str] = []

    def worker(count: int):
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        headers = {"Host": "127.0.0.1", "Cookie": cookie} if cookie else {"Host": "127.0.0.1"}
        mine = []
        for _ in range(count):
            start = time.perf_counter()
            conn.request("GET", path, headers=headers)
            response = conn.getresponse()
            response.read()
            mine.append(time.perf_counter() - start)
            if response.status != 200:
                errors.append(f"{path}: HTTP {response.status}")
        conn.close()
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=worker, args=(count,)) for count in per_thread]
    began = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise SystemExit(f"Errors while benchmarking: {errors[:3]}")
    return time.perf_counter() - began, latencies


def serve(args, env: dict) -> subprocess.Popen:
    server = subprocess.Popen(
        [str(ROOT / ".venv" / "bin" / "gunicorn"), "config.wsgi", "-b", f"127.0.0.1:{args.port}",
         "-w", str(args.workers), "--log-level", "warning", "--no-control-socket"],
        cwd=ROOT, env=env,
    )
    for _ in range(150):
        try:
            conn = http.client.HTTPConnection("127.0.0.1", args.port, timeout=2)
            conn.request("GET", "/courses/", headers={"Host": "127.0.0.1"})
            conn.getresponse().read()
            return server
        except OSError:
            time.sleep(0.2)
    server.terminate()
    raise SystemExit("gunicorn did not start")


def measure(args, env: dict, rows: list, *, mode: str, queries: dict, baseline: list) -> None:
    """Hammer each (label, path, cookie) of ``rows`` on a fresh gunicorn and print its line."""
    server = serve(args, env)
    try:
        for label, path, cookie in rows:
            hammer(args.port, path, cookie, 20, args.concurrency)  # warm-up (and, cached, the first miss)
            wall, latencies = hammer(args.port, path, cookie, args.requests, args.concurrency)
            rps = args.requests / wall
            if not baseline:
                baseline.append(rps)
            q = statistics.quantiles(latencies, n=100)
            print(f"{label:<30}{mode:<12}{rps:>9.1f}{q[49] * 1000:>9.1f}{q[94] * 1000:>9.1f}"
                  f"{queries.get((label, mode), '-'):>9}{rps / baseline[0]:>12.2f}x", flush=True)
    finally:
        server.terminate()
        try:
            server.wait(timeout=120)  # a loaded machine takes its time
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--port", type=int, default=8101)
    parser.add_argument("--db", type=Path, default=ROOT / "var" / "bench-pages.sqlite3")
    parser.add_argument("--passes", default="uncached,learner,cached",
                        help="which passes to run (the baseline is always measured first)")
    args = parser.parse_args()
    passes = set(args.passes.split(","))
    args.db.parent.mkdir(parents=True, exist_ok=True)
    plan = prepare(args.db, environment(args.db, page_cache=False))
    has_page_cache = (ROOT / "pagecache").is_dir()
    print(f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}; load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(f"gunicorn, {args.workers} sync workers, SQLite; {args.requests} requests per page, "
          f"{args.concurrency} concurrent keep-alive connections")
    queries = {(label, "uncached"): count_queries(path, None) for label, path in plan["public"]}
    queries.update({(label, "learner"): count_queries(path, plan["sessionid"]) for label, path in plan["learner"]})
    if has_page_cache:
        queries.update({(label, "cached"): count_queries(path, None, page_cache=True) for label, path in plan["public"]})
    print(f"{'page':<30}{'mode':<12}{'req/s':>9}{'p50 ms':>9}{'p95 ms':>9}{'queries':>9}{'vs baseline':>13}")
    baseline: list[float] = []
    rows = [(label, path, None) for label, path in plan["public"]]
    learner_rows = [(label, path, plan["cookie"]) for label, path in plan["learner"]]
    measure(args, environment(args.db, page_cache=False), rows if "uncached" in passes else rows[:1],
            mode="uncached", queries=queries, baseline=baseline)
    if "learner" in passes:
        measure(args, environment(args.db, page_cache=False), learner_rows, mode="learner", queries=queries,
                baseline=baseline)
    if "cached" not in passes:
        pass
    elif has_page_cache:
        measure(args, environment(args.db, page_cache=True), rows, mode="cached", queries=queries, baseline=baseline)
    else:
        print("(no anonymous page cache in this tree: the cached pass is skipped)")
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
