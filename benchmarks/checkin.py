"""Check-in sync benchmark: 10 phones × 200 attendees syncing at once against gunicorn on SQLite.

    .venv/bin/python benchmarks/checkin.py [--phones 10] [--per-phone 200] [--batch 50] [--workers 3]
        [--port 8230]

A throw-away SQLite database is migrated; a session gets ``phones × per-phone / 2`` confirmed
registrations and a programme staff account with a logged-in session. Phone i scanned the 200
attendees from ``i × per-phone / 2`` on (wrapping), so every attendee was scanned by exactly two
phones, at different times. All phones then sync at once (one client thread each), their scans in
batches of ``--batch`` as the check-in page sends them, and each phone replays its first batch (an
answer lost on a weak connection). Every answer is checked, then the database is read back:

- duplicates counted once: exactly one attendance per attendee, at the earlier of its two sightings;
- none lost: every scanned attendee is present, every request answered 200, every scan a verdict.

Baselines in the same run, same server and same client threads: a trivial view (tus OPTIONS: the
middleware stack, no database) and the sync endpoint with one scan per request (a phone online).
Prints scans/s, p50/p95 per request, the ratios and the load average (the machine is shared).
"""

import argparse
import http.client
import json
import os
import secrets
import statistics
import subprocess
import tempfile
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
#: The phones' first sighting: in the past (the server takes a sighting from the future for now).
T0 = datetime.now(UTC).replace(microsecond=0) - timedelta(hours=3)

SETUP = r"""
import json, sys
from django.contrib.auth import get_user_model, BACKEND_SESSION_KEY, SESSION_KEY, HASH_SESSION_KEY
from django.contrib.auth.models import Permission
from django.contrib.sessions.backends.db import SessionStore
from programme.keys import beneficiary_key, new_code
from programme.models import HalfDay, Registration, Session

count = int(sys.argv[-1])
session = Session.objects.create(code="BENCH-2026-S01", status="open", capacity=count)
am = HalfDay.objects.create(session=session, date="2026-12-10", part="am")
pm = HalfDay.objects.create(session=session, date="2026-12-10", part="pm")
Registration.objects.bulk_create([
    Registration(session=session, code=new_code(), beneficiary_key=beneficiary_key(email=f"a{n}@example.ma"),
                 email=f"a{n}@example.ma", full_name=f"Attendee {n}", source="staff")
    for n in range(count)
])
other = Session.objects.create(code="BENCH-2026-S02", status="open", capacity=5)
foreign = Registration.objects.create(session=other, code=new_code(), beneficiary_key=beneficiary_key(email="f@x.ma"))
staff = get_user_model().objects.create_user(email="door@example.ma", password=None, full_name="door")
staff.user_permissions.add(Permission.objects.get(codename="check_in"))
store = SessionStore()
store[SESSION_KEY] = str(staff.pk)
store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
store[HASH_SESSION_KEY] = staff.get_session_auth_hash()
store.create()
codes = list(session.registrations.order_by("pk").values_list("code", flat=True))
print("BENCH " + json.dumps({"session": session.pk, "half_day": am.pk, "pm": pm.pk, "codes": codes, "foreign": foreign.code,
                             "cookie": store.session_key}))
"""

CHECK = r"""
import json, sys
from programme.models import Attendance
rows = Attendance.objects.filter(half_day__session_id=int(sys.argv[-1])).values_list(
    "registration__code", "half_day_id", "seen_at", "device")
print("BENCH " + json.dumps([[c, h, s.isoformat(), d] for c, h, s, d in rows]))
"""


def manage(env: dict, script: str, *args: str) -> dict:
    done = subprocess.run(
        [str(ROOT / ".venv" / "bin" / "python"), "-c", "import django; django.setup()\n" + script, *args],
        cwd=ROOT, env={**env, "PYTHONPATH": str(ROOT)}, check=True, capture_output=True, text=True,
    )
    return json.loads(next(line for line in done.stdout.splitlines() if line.startswith("BENCH "))[6:])


def request(port: int, method: str, path: str, body: bytes | None, headers: dict) -> tuple[int, bytes, float]:
    start = time.perf_counter()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    try:
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        return response.status, response.read(), time.perf_counter() - start
    finally:
        conn.close()


def together(jobs: list) -> tuple[float, list[float], list[str]]:
    """Run each job (a list of (method, path, body) requests) in its own thread at once."""
    latencies, errors, lock = [], [], threading.Lock()

    def run(job):
        mine, bad = [], []
        for port, method, path, body, headers, check in job:
            status, data, took = request(port, method, path, body, headers)
            mine.append(took)
            if problem := check(status, data):
                bad.append(problem)
        with lock:
            latencies.extend(mine)
            errors.extend(bad)

    threads = [threading.Thread(target=run, args=(job,)) for job in jobs]
    start = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return time.perf_counter() - start, latencies, errors


def phone_scans(args, codes: list[str], half_day: int) -> list[list[dict]]:
    """Phone i's 200 scans: attendees from i × 100 on, seen a second apart from its own start time."""
    step = args.per_phone // 2
    phones = []
    for i in range(args.phones):
        start = T0 + timedelta(minutes=i)
        phones.append([
            {"code": codes[(i * step + k) % len(codes)], "half_day": half_day, "method": "qr",
             "seen_at": (start + timedelta(seconds=k)).isoformat()}
            for k in range(args.per_phone)
        ])
    return phones


def sync_check(expected: int):
    def check(status, data):
        if status != 200:
            return f"{status} {data[:200]!r}"
        answer = json.loads(data)
        if len(answer["results"]) != expected:
            return f"{len(answer['results'])} verdicts for {expected} scans"
        if bad := [r for r in answer["results"] if r["verdict"] not in ("ok", "already-used")]:
            return f"unexpected verdicts {bad[:2]}"
        return None
    return check


def ms(values: list[float], q: int) -> float:
    return statistics.quantiles(values, n=100)[q - 1] * 1000 if len(values) > 1 else 0.0


def verify(args, data: dict, phones: list[list[dict]], rows: list) -> list[str]:
    """Each scanned attendee present once, at its earliest sighting."""
    earliest: dict[str, tuple[datetime, str]] = {}
    for i, scans in enumerate(phones):
        for scan in scans:
            seen = datetime.fromisoformat(scan["seen_at"])
            if scan["code"] not in earliest or seen < earliest[scan["code"]][0]:
                earliest[scan["code"]] = (seen, f"bench-phone-{i}")
    problems = []
    rows = [row for row in rows if row[1] == data["half_day"]]
    codes = [row[0] for row in rows]
    if len(codes) != len(set(codes)):
        problems.append(f"{len(codes) - len(set(codes))} duplicate attendances")
    if missing := set(earliest) - set(codes):
        problems.append(f"{len(missing)} scanned attendees not present")
    for code, _half_day, seen_at, device in rows:
        if code in earliest and (datetime.fromisoformat(seen_at), device) != earliest[code]:
            problems.append(f"{code}: kept {seen_at} {device}, earliest {earliest[code]}")
            break
    return problems


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--phones", type=int, default=10)
    parser.add_argument("--per-phone", type=int, default=200)
    parser.add_argument("--batch", type=int, default=50)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--port", type=int, default=8230)
    args = parser.parse_args()
    print(f"load average at start: {' '.join(f'{v:.2f}' for v in os.getloadavg())} ({os.cpu_count()} cores)")
    with tempfile.TemporaryDirectory(prefix="takwin-checkin-bench-") as tmp:
        env = {
            **os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.dev", "DJANGO_DEBUG": "false",
            "DJANGO_MEDIA_ROOT": f"{tmp}/media", "DJANGO_ALLOWED_HOSTS": "127.0.0.1", "TASKS_BACKEND": "database",
            "SEARCH_INDEX_DIR": f"{tmp}/index", "DJANGO_LOG_LEVEL": "WARNING",
            "DATABASE_URL": f"sqlite:///{tmp}/bench.sqlite3",
        }
        subprocess.run([str(ROOT / ".venv/bin/python"), "manage.py", "migrate", "-v", "0"], cwd=ROOT, env=env, check=True)
        data = manage(env, SETUP, str(args.phones * args.per_phone // 2))
        server = subprocess.Popen(
            [str(ROOT / ".venv/bin/gunicorn"), "config.wsgi", "-b", f"127.0.0.1:{args.port}", "-w", str(args.workers),
             "--worker-class", "sync", "--timeout", "120"],
            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        try:
            results = run(args, data)
        finally:
            server.terminate()
            server.wait(timeout=30)
        rows = manage(env, CHECK, str(data["session"]))
    report(args, data, results, rows)


def run(args, data: dict) -> dict:
    port, csrf = args.port, secrets.token_hex(16)
    headers = {"Content-Type": "application/json", "X-CSRFToken": csrf,
               "Cookie": f"sessionid={data['cookie']}; csrftoken={csrf}"}
    sync = f"/checkin/{data['session']}/sync/"
    for _ in range(300):
        try:
            request(port, "OPTIONS", "/media-pipeline/tus/", None, {})
            break
        except OSError:
            time.sleep(0.1)
    trivial = [[(port, "OPTIONS", "/media-pipeline/tus/", None, {}, lambda s, d: None if s in (200, 204) else str(s))]
               * 40 for _ in range(args.phones)]
    base = together(trivial)
    # A phone online: one scan per request, each a single-row insert (the afternoon, other attendees).
    single = [[(port, "POST", sync, json.dumps({"device": f"single-{i}", "scans": [
        {"code": data["codes"][i * 20 + j], "half_day": data["pm"]}]}).encode(), headers, sync_check(1))
        for j in range(20)] for i in range(args.phones)]
    one = together(single)
    phones = phone_scans(args, data["codes"], data["half_day"])
    jobs = []
    for i, scans in enumerate(phones):
        batches = [scans[k:k + args.batch] for k in range(0, len(scans), args.batch)]
        batches.append(batches[0])  # the replay of a batch whose answer was lost
        jobs.append([(port, "POST", sync, json.dumps({"device": f"bench-phone-{i}", "scans": b}).encode(), headers,
                      sync_check(len(b))) for b in batches])
    load_before = os.getloadavg()
    burst = together(jobs)
    return {"base": base, "one": one, "burst": burst, "phones": phones, "load": (load_before, os.getloadavg())}


def report(args, data: dict, results: dict, rows: list) -> None:
    seconds, latencies, errors = results["burst"]
    scans = sum(len(p) for p in results["phones"]) + sum(len(p[: args.batch]) for p in results["phones"])
    rate = scans / seconds
    base_s, base_lat, base_err = results["base"]
    one_s, one_lat, one_err = results["one"]
    problems = verify(args, data, results["phones"], rows) + errors + base_err + one_err
    rows = [row for row in rows if row[1] == data["half_day"]]
    distinct = len({s["code"] for p in results["phones"] for s in p})
    print(f"sqlite: {args.phones} phones × {args.per_phone} scans (+ one replayed batch each) = {scans} scans of "
          f"{distinct} attendees, batches of {args.batch}, {args.workers} gunicorn sync workers, in {seconds:.2f} s")
    print(f"        {rate:.0f} scans/s, {len(latencies)} requests, p50 {ms(latencies, 50):.0f} ms, "
          f"p95 {ms(latencies, 95):.0f} ms per batch")
    print(f"        attendances: {len(rows)} (expected {distinct}: duplicates counted once); "
          f"lost or wrong: {len(problems)}")
    print(f"        baseline trivial view: {len(base_lat) / base_s:.0f} req/s, p95 {ms(base_lat, 95):.1f} ms")
    print(f"        baseline one scan per request: {len(one_lat) / one_s:.0f} scans/s, p95 {ms(one_lat, 95):.1f} ms; "
          f"batched/one-per-request = {rate / (len(one_lat) / one_s):.1f}×")
    before, after = results["load"]
    print(f"        load average before/after: {' '.join(f'{v:.2f}' for v in before)} / "
          f"{' '.join(f'{v:.2f}' for v in after)}")
    for line in problems[:8]:
        print("        !", line)


if __name__ == "__main__":
    main()
