"""Throughput and latency of the learning pages, beside a minimal Wagtail page.

One command: ``.venv/bin/python benchmarks/pages.py`` (options: ``--requests``, ``--concurrency``,
``--port``, ``--db``). It prepares a SQLite database with the demo content (once), adds a bare
Wagtail ``Page`` as the baseline, serves everything with gunicorn on loopback (DEBUG off), then
fires the same number of requests at each page and prints req/s, p50 and p95 and the ratio of
each page's throughput to the baseline measured in the same run.
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

ROOT = Path(__file__).resolve().parent.parent
PY = str(ROOT / ".venv" / "bin" / "python")


def environment(db: Path) -> dict:
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.dev", DJANGO_DEBUG="false", DATABASE_URL=f"sqlite:///{db}",
        DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost", PYTHONPATH=str(ROOT),
    )
    return env


def prepare(db: Path, env: dict) -> dict:
    """Migrate and load the demo once; return the URLs to hit and a logged-in session cookie."""
    if not db.exists():
        subprocess.run([PY, "manage.py", "migrate", "--no-input", "-v", "0"], cwd=ROOT, env=env, check=True)
        subprocess.run([PY, "manage.py", "load_demo"], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
    from django.contrib.sessions.backends.db import SessionStore
    from wagtail.models import Page

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
    module = enrolment.course
    lesson = LessonPage.objects.child_of(module).live().order_by("path").first()
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return {
        "cookie": f"{settings.SESSION_COOKIE_NAME}={session.session_key}",
        "targets": [
            ("baseline (bare Wagtail page)", baseline.url, False),
            ("catalogue", "/courses/", False),
            ("module", CoursePage.objects.get(pk=module.pk).url, True),
            ("lesson", lesson.url, True),
            ("dashboard", "/my/", True),
        ],
    }


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


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--port", type=int, default=8101)
    parser.add_argument("--db", type=Path, default=ROOT / "var" / "bench-pages.sqlite3")
    args = parser.parse_args()
    args.db.parent.mkdir(parents=True, exist_ok=True)
    env = environment(args.db)
    plan = prepare(args.db, env)
    server = subprocess.Popen(
        [str(ROOT / ".venv" / "bin" / "gunicorn"), "config.wsgi", "-b", f"127.0.0.1:{args.port}",
         "-w", str(args.workers), "--log-level", "warning"],
        cwd=ROOT, env=env,
    )
    try:
        for _ in range(100):
            try:
                conn = http.client.HTTPConnection("127.0.0.1", args.port, timeout=2)
                conn.request("GET", "/courses/", headers={"Host": "127.0.0.1"})
                conn.getresponse().read()
                break
            except OSError:
                time.sleep(0.2)
        print(f"gunicorn, {args.workers} workers, SQLite; {args.requests} requests per page, "
              f"{args.concurrency} concurrent connections")
        print(f"{'page':<30}{'req/s':>9}{'p50 ms':>9}{'p95 ms':>9}{'vs baseline':>13}")
        baseline_rps = None
        for label, path, logged_in in plan["targets"]:
            cookie = plan["cookie"] if logged_in else None
            hammer(args.port, path, cookie, 20, args.concurrency)  # warm-up
            wall, latencies = hammer(args.port, path, cookie, args.requests, args.concurrency)
            rps = args.requests / wall
            baseline_rps = baseline_rps or rps
            q = statistics.quantiles(latencies, n=100)
            print(f"{label:<30}{rps:>9.1f}{q[49] * 1000:>9.1f}{q[94] * 1000:>9.1f}{rps / baseline_rps:>12.2f}x")
    finally:
        server.terminate()
        server.wait(timeout=20)


if __name__ == "__main__":
    main()
