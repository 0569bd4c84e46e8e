"""Heartbeat benchmark: N learners beating against gunicorn, on SQLite and on PostgreSQL.

    .venv/bin/python benchmarks/heartbeats.py [--learners 200] [--beats 15] [--clients 24]
        [--workers 3] [--db sqlite,postgres] [--postgres postgres://postgres@127.0.0.1:5432/h_perf]
        [--ports 8380 8399] [--root PATH]

For each database: a throw-away database is migrated, a module with a 20 s video lesson
(a real MP4 made by ffmpeg, probed by the server) gets N enrolled learners with a session
each, and gunicorn (sync workers, 127.0.0.1 on a free port) serves it. Client threads
then send every learner's beats in order, as a player does: beat k claims the watched
range [k/20, (k+1)/20] s. Every answer is checked against what the beat must have
saved (position and distinct seconds), and at the end every learner's row is read back
from the database: a beat is lost if its answer was not 200, disagreed, or the final row
misses it. Before the beats, the same clients hit a trivial view on the same server
(tus OPTIONS: the middleware stack, no database) for the baseline ratio.

Prints beats/s, p50/p99 latency, lost, the ratio to the baseline and the load average
(other people share the cores). ``--root`` runs another checkout's code (to measure the
code before a change) with this script's client.
"""

import argparse
import http.client
import json
import os
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
STEP = 0.05  # seconds of video claimed per beat

SETUP = r"""
import json, subprocess, sys, tempfile
from pathlib import Path
from django.contrib.auth import get_user_model, BACKEND_SESSION_KEY, SESSION_KEY, HASH_SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.core.files import File
from wagtail.documents import get_document_model
from demo import home as home_demo
from courses.models import CourseIndexPage, CoursePage
from courses.services import enrolment_create
from lessons.models import LessonPage

homes = home_demo.load()
with tempfile.TemporaryDirectory() as tmp:
    clip = Path(tmp) / "bench.mp4"
    subprocess.run(["ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i", "testsrc=size=160x90:rate=10:duration=20",
                    "-c:v", "libx264", "-preset", "veryfast", "-pix_fmt", "yuv420p", str(clip)], check=True)
    with clip.open("rb") as handle:
        document = get_document_model()(title="bench")
        document.file.save("bench.mp4", File(handle), save=True)
try:  # the server's probe of the stored file (the task's service), where the code has one
    from lessons.services import video_document_probe
    video_document_probe(document_id=document.pk)
except ImportError:
    pass
catalogue = CourseIndexPage.objects.get(slug="courses", locale__language_code="ar")
course = CoursePage(slug="bench", title="bench", summary="bench")
catalogue.add_child(instance=course)
lesson = LessonPage(title="bench", slug="bench", completion_rule="video",
                    body=[("video", {"video": document, "recording": None, "poster": None, "caption": ""})])
course.add_child(instance=lesson)
User = get_user_model()
sessions = []
for n in range(int(sys.argv[-1])):
    # No password (hashing 200 of them takes minutes); the session below logs the learner in.
    user = User.objects.create_user(email=f"bench{n}@example.ma", password=None, full_name=f"b{n}")
    enrolment_create(user=user, course=course)
    s = SessionStore()
    s[SESSION_KEY] = str(user.pk)
    s[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    s[HASH_SESSION_KEY] = user.get_session_auth_hash()
    s.create()
    sessions.append([user.pk, s.session_key])
print("BENCH " + json.dumps({"lesson": lesson.pk, "sessions": sessions}))
"""

CHECK = r"""
import json
from lessons.models import LessonProgress
rows = LessonProgress.objects.filter(lesson_id=int(__import__("sys").argv[-1]))
print("BENCH " + json.dumps({r.user_id: [r.position, r.seconds_watched, r.watched] for r in rows}))
"""


def free_port(first: int, last: int) -> int:
    """The first port of ``first``..``last`` free on loopback (a shared machine gives each job a range)."""
    for port in range(first, last + 1):
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise SystemExit(f"no free port in {first}-{last}")


def manage(root: Path, env: dict, script: str, *args: str) -> dict:
    done = subprocess.run(
        [str(root / ".venv" / "bin" / "python"), "-c", ("import django, sys; django.setup()\n" + script), *args],
        cwd=root,
        env={**env, "PYTHONPATH": str(root)},
        capture_output=True,
        text=True,
    )
    if done.returncode:
        raise SystemExit(f"set-up failed in {root}:\n{done.stderr[-2000:]}")
    line = next(line for line in done.stdout.splitlines() if line.startswith("BENCH "))
    return json.loads(line[6:])


def request(port: int, method: str, path: str, body: bytes | None, headers: dict) -> tuple[int, bytes, float]:
    start = time.perf_counter()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        data = response.read()
        return response.status, data, time.perf_counter() - start
    finally:
        conn.close()


def baseline(port: int, clients: int, total: int) -> tuple[float, list[float]]:
    """Requests/s of the trivial view (tus OPTIONS) with the same number of client threads."""
    latencies: list[float] = []
    lock = threading.Lock()
    share = total // clients

    def run():
        mine = []
        for _ in range(share):
            status, _data, took = request(port, "OPTIONS", "/media-pipeline/tus/", None, {})
            assert status in (200, 204), status
            mine.append(took)
        with lock:
            latencies.extend(mine)

    start = time.perf_counter()
    threads = [threading.Thread(target=run) for _ in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return len(latencies) / (time.perf_counter() - start), latencies


def beats(port: int, lesson: int, sessions: list, clients: int, count: int) -> dict:
    """Every learner sends ``count`` beats in order; clients share the learners round-robin."""
    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    csrf = secrets.token_hex(16)

    def run(mine):
        took_all, bad = [], []
        for k in range(count):
            for user_id, key in mine:
                end = round((k + 1) * STEP, 2)
                body = json.dumps({"position": end, "duration": 20, "ranges": [[round(k * STEP, 2), end]]}).encode()
                headers = {
                    "Content-Type": "application/json",
                    "X-CSRFToken": csrf,
                    "Cookie": f"sessionid={key}; csrftoken={csrf}",
                }
                status, data, took = request(port, "POST", f"/api/progress/{lesson}/", body, headers)
                took_all.append(took)
                if status != 200:
                    bad.append(f"user {user_id} beat {k}: {status} {data[:120]!r}")
                    continue
                answer = json.loads(data)
                if answer["position"] != end or abs(answer["seconds_watched"] - end) > 0.011:
                    bad.append(f"user {user_id} beat {k}: saved {answer}")
        with lock:
            latencies.extend(took_all)
            errors.extend(bad)

    shares = [sessions[i::clients] for i in range(clients)]
    start = time.perf_counter()
    threads = [threading.Thread(target=run, args=(share,)) for share in shares if share]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return {"seconds": time.perf_counter() - start, "latencies": latencies, "errors": errors}


def wait_for(port: int, server: subprocess.Popen) -> None:
    for _ in range(300):
        if server.poll() is not None:
            raise SystemExit("gunicorn exited")
        try:
            request(port, "OPTIONS", "/media-pipeline/tus/", None, {})
            return
        except OSError:
            time.sleep(0.1)
    raise SystemExit("gunicorn did not start")


def ms(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100)[int(q) - 1] * 1000 if len(values) > 1 else 0.0


def run_one(args, kind: str, root: Path, tmp: Path) -> None:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.dev",
        "DJANGO_DEBUG": "false",
        "DJANGO_MEDIA_ROOT": str(tmp / "media"),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "SEARCH_INDEX_DIR": str(tmp / f"index-{kind}"),
        "TASKS_BACKEND": "database",
        "DJANGO_LOG_LEVEL": "WARNING",
        # As in production: connections kept open (the development settings close them after
        # each request), and the cache in this run's own folder.
        "DATABASE_CONN_MAX_AGE": "60",
        "DJANGO_CACHE_DIR": str(tmp / "cache"),
    }
    if kind == "sqlite":
        env["DATABASE_URL"] = f"sqlite:///{tmp / 'bench.sqlite3'}"
    else:
        env["DATABASE_URL"] = args.postgres
        name = args.postgres.rsplit("/", 1)[1]
        admin = args.postgres.rsplit("/", 1)[0] + "/postgres"
        for sql in (f'DROP DATABASE IF EXISTS "{name}"', f'CREATE DATABASE "{name}"'):
            subprocess.run(["psql", admin, "-q", "-c", sql], check=True, capture_output=True)
    for folder in ("media", "protected"):  # the storage expects its folders to exist
        (tmp / folder).mkdir(exist_ok=True)
    python = str(root / ".venv" / "bin" / "python")
    subprocess.run([python, "manage.py", "migrate", "-v", "0"], cwd=root, env=env, check=True)
    data = manage(root, env, SETUP, str(args.learners))
    port = free_port(*args.ports)
    server = subprocess.Popen(
        [
            str(root / ".venv" / "bin" / "gunicorn"),
            "config.wsgi",
            "-b",
            f"127.0.0.1:{port}",
            "-w",
            str(args.workers),
            "--worker-class",
            "sync",
            "--timeout",
            "120",
        ],
        cwd=root,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_for(port, server)
        base_rate, base_lat = baseline(port, args.clients, args.learners * 4)
        load_before = os.getloadavg()
        result = beats(port, data["lesson"], data["sessions"], args.clients, args.beats)
        load_after = os.getloadavg()
    finally:
        server.terminate()
        server.wait(timeout=30)
    saved = manage(root, env, CHECK, str(data["lesson"]))
    expected = round(args.beats * STEP, 2)
    missing = [
        uid
        for uid, _key in data["sessions"]
        if str(uid) not in saved
        or abs(saved[str(uid)][1] - expected) > 0.011
        or saved[str(uid)][2] != [[0.0, expected]]
    ]
    total = args.learners * args.beats
    rate = total / result["seconds"]
    lost = len(result["errors"]) + len(missing)
    print(
        f"{kind:>8}: {total} beats from {args.learners} learners ({args.clients} client threads, "
        f"{args.workers} sync workers) in {result['seconds']:.1f} s"
    )
    print(
        f"          {rate:.0f} beats/s, p50 {ms(result['latencies'], 50):.1f} ms, "
        f"p99 {ms(result['latencies'], 99):.1f} ms, lost {lost}"
    )
    print(
        f"          baseline (trivial view, same server and clients): {base_rate:.0f} req/s, "
        f"p50 {ms(base_lat, 50):.1f} ms; beats/baseline = {rate / base_rate:.2f}"
    )
    print(
        f"          load average before/after: {' '.join(f'{v:.2f}' for v in load_before)} / "
        f"{' '.join(f'{v:.2f}' for v in load_after)}"
    )
    for line in result["errors"][:5] + [f"learner {uid}: final row misses beats" for uid in missing[:5]]:
        print("          !", line)
    if kind != "sqlite":
        name = args.postgres.rsplit("/", 1)[1]
        admin = args.postgres.rsplit("/", 1)[0] + "/postgres"
        subprocess.run(
            ["psql", admin, "-q", "-c", f'DROP DATABASE IF EXISTS "{name}"'], check=False, capture_output=True
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--learners", type=int, default=200)
    parser.add_argument("--beats", type=int, default=15, help="beats per learner")
    parser.add_argument("--clients", type=int, default=24, help="client threads")
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--db", default="sqlite,postgres")
    parser.add_argument("--postgres", default="postgres://postgres@127.0.0.1:5432/h_perf")
    parser.add_argument("--ports", type=int, nargs=2, default=(8380, 8399), metavar=("FIRST", "LAST"),
                        help="the port range gunicorn may use")
    parser.add_argument("--root", type=Path, default=ROOT, help="the checkout whose code gunicorn runs")
    args = parser.parse_args()
    print(f"load average at start: {' '.join(f'{v:.2f}' for v in os.getloadavg())} ({os.cpu_count()} cores)")
    for kind in args.db.split(","):
        with tempfile.TemporaryDirectory(prefix="takwin-heartbeat-bench-") as tmp:
            run_one(args, kind, args.root.resolve(), Path(tmp))
    sys.stdout.flush()


if __name__ == "__main__":
    main()
