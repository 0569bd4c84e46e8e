"""The watchdog against real processes: a db_worker encoding with ffmpeg, the watchdog
run beside it as cron would, and a worker killed with SIGKILL mid-encode.

The worker and the watchdog are separate processes (``worker_settings``) sharing a file
SQLite database, made from this test run's migrated database. ffmpeg reads the source
at its native rate (``-re``, through a wrapper script) so that an encode of a generated
20 s clip lasts about 20 s of wall time while costing little CPU.
"""

import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from media_pipeline import ffmpeg as ff
from tests.media_pipeline.conftest import _video

# The test database must exist (pytest-django creates it only for modules that use it); the
# tests themselves write nothing to it.
pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
CLIP_SECONDS = 20
# Only the ladder encode (the one with a split filter) is slowed; remuxes run at full speed.
SLOW_FFMPEG = """#!/bin/sh
case " $* " in *" -filter_complex "*split=*) exec {ffmpeg} -re "$@";; esac
exec {ffmpeg} "$@"
"""


@pytest.fixture(scope="module")
def long_clip(tmp_path_factory):
    """A 20 s 320x180 clip with sound (144p rung, poster, a 10-tile storyboard)."""
    path = tmp_path_factory.mktemp("watchdog-clip") / "workshop.mp4"
    ff.run([*_video("320x180", CLIP_SECONDS), "-c:v", "libx264", "-preset", "ultrafast", "-c:a", "aac", "-shortest", str(path)])
    return path


@pytest.fixture
def world(tmp_path, migrated_db_file):
    """Environment of the helper processes: their own copy of the migrated database, media
    and temporary folders, and the slowed ffmpeg."""
    path = tmp_path / "shared.sqlite3"
    shutil.copyfile(migrated_db_file, path)
    for name in ("media", "tmp"):
        (tmp_path / name).mkdir()
    wrapper = tmp_path / "ffmpeg-re"
    wrapper.write_text(SLOW_FFMPEG.format(ffmpeg=ff.binary("FFMPEG")))
    wrapper.chmod(0o755)
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.media_pipeline.worker_settings",
        "DATABASE_URL": f"sqlite:///{path}",
        "TAKWIN_TEST_MEDIA_ROOT": str(tmp_path / "media"),
        "TAKWIN_TEST_FFMPEG": str(wrapper),
        "TMPDIR": str(tmp_path / "tmp"),
        "PYTHONPATH": str(ROOT),
    }
    return {"db": path, "env": env, "tmp": tmp_path / "tmp"}


def _start_watchdog(world, clip):
    """Upload the clip and run the watchdog twice a second; returns (process, asset id)."""
    proc = subprocess.Popen(
        [sys.executable, str(ROOT / "tests/media_pipeline/watchdog_run.py"), str(clip)],
        env=world["env"],
        cwd=ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    first = json.loads(proc.stdout.readline())
    return proc, first["asset"]


def _start_worker(world, *extra, **env):
    return subprocess.Popen(
        [sys.executable, "manage.py", "db_worker", "--no-startup-delay", "--interval", "0.5", "-v", "0", *extra],
        env={**world["env"], **env},
        cwd=ROOT,
    )


def _reports(proc):
    for line in proc.stdout:
        yield json.loads(line)


def _rows(db, sql, *params):
    with sqlite3.connect(db) as conn:
        return conn.execute(sql, params).fetchall()


def _stop(*procs):
    for proc in procs:
        if proc.poll() is None:
            proc.kill()
        proc.wait(timeout=30)


def _children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        found += [int(c) for c in (task / "children").read_text().split()]
    return found


def test_watchdog_leaves_a_healthy_encode_alone_while_progress_rises(world, long_clip):
    """With a 3 s stall threshold and a 20 s encode, the watchdog (run every half second) re-queues
    nothing; the trainer sees the percentage rise throughout the encode (read from ffmpeg's
    -progress while it runs), the worker's heartbeat moves, and the recording ends ready after
    one attempt."""
    world["env"]["TAKWIN_TEST_STALL_SECONDS"] = "3"
    watchdog, asset_id = _start_watchdog(world, long_clip)
    worker = _start_worker(world, "--batch")
    try:
        reports = list(_reports(watchdog))
        worker.wait(timeout=120)
    finally:
        _stop(watchdog, worker)
    processing = [r for r in reports if r["status"] == "processing"]
    progress = [r["progress"] for r in processing]
    print("progress seen:", [round(p, 1) for p in progress])
    assert {r["watchdog"] for r in reports} == {"re-queued 0 job(s)"}
    assert reports[-1]["status"] == "ready" and reports[-1]["attempts"] == 1
    assert len(processing) >= 20, "the encode lasts well beyond the stall threshold"
    assert progress == sorted(progress), "progress never goes back"
    rising = {round(p) for p in progress if 0 < p < 100}
    assert len(rising) >= 10, f"the percentage moves throughout the encode: {sorted(rising)}"
    assert min(p for p in progress if p > 0) < 40, "progress is seen from the first part of the encode"
    assert len({r["heartbeat"] for r in processing}) >= 10, "the worker's heartbeat moves every 0.6 s"
    statuses = _rows(
        world["db"], "SELECT status FROM django_tasks_database_dbtaskresult WHERE task_path LIKE ?", "%process_asset"
    )
    assert statuses == [("SUCCESSFUL",)]
    assert not any(world["tmp"].glob("takwin-encode-*")), "the work folder is gone"


def test_watchdog_requeues_the_job_of_a_killed_worker(world, long_clip):
    """kill -9 of db_worker mid-encode: the watchdog finds the worker's process gone (without waiting
    for the 60 s heartbeat limit), marks its task row failed, abandons the encode, removes its work
    folder, and queues the job again; ffmpeg dies with its worker; a new worker then finishes it."""
    world["env"]["TAKWIN_TEST_STALL_SECONDS"] = "60"
    watchdog, asset_id = _start_watchdog(world, long_clip)
    worker = _start_worker(world)
    try:
        reports = _reports(watchdog)
        started = next(r for r in reports if r["status"] == "processing" and r["progress"] > 0 and r["workdir"])
        ffmpegs = _children(worker.pid)
        assert ffmpegs, "the worker runs ffmpeg"
        assert Path(started["workdir"]).is_dir()
        os.kill(worker.pid, signal.SIGKILL)
        killed_at = time.monotonic()
        worker.wait(timeout=10)
        requeued = next(r for r in reports if r["watchdog"] != "re-queued 0 job(s)")
        delay = time.monotonic() - killed_at
    finally:
        _stop(watchdog, worker)
    print(f"killed at {started['progress']:.1f} %, re-queued after {delay:.1f} s: {requeued}")
    assert requeued["watchdog"] == f"re-queued 1 job(s): {asset_id}"
    assert requeued["status"] == "queued" and requeued["encode_status"] == "abandoned"
    assert delay < 10, "a dead local worker is found by its process, not after STALL_SECONDS"
    assert not Path(started["workdir"]).exists(), "the dead worker's work folder is removed"
    deadline = time.monotonic() + 10
    while any(Path(f"/proc/{pid}").exists() for pid in ffmpegs) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not any(Path(f"/proc/{pid}").exists() for pid in ffmpegs), "ffmpeg does not outlive its worker"
    tasks = _rows(
        world["db"],
        "SELECT status, exception_class_path FROM django_tasks_database_dbtaskresult "
        "WHERE task_path LIKE ? ORDER BY enqueued_at",
        "%process_asset",
    )
    assert tasks == [("FAILED", "media_pipeline.services.watchdog.WorkerDied"), ("READY", "")]
    # The job queued again runs to the end (full speed this time).
    finisher = _start_worker(world, "--batch", TAKWIN_TEST_FFMPEG=ff.binary("FFMPEG"))
    assert finisher.wait(timeout=120) == 0
    status, attempts = _rows(
        world["db"], "SELECT status, attempts FROM media_pipeline_mediaasset WHERE id = ?", asset_id
    )[0]
    assert (status, attempts) == ("ready", 2)
    assert not any(world["tmp"].glob("takwin-encode-*"))
