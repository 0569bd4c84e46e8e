"""What a rebuild leaves on disk beside the index: its marker and its journal.

- ``building`` (:class:`RebuildMarker`): which generation a rebuild is filling and
  who runs it; a rebuild that died leaves a stale marker, which live writes
  ignore and the next rebuild cleans up.
- ``.journal-<generation>/`` (:class:`Journal`): the live writes made meanwhile,
  replayed by the rebuild before it swaps the generation in.
"""

from __future__ import annotations

import datetime
import fcntl
import json
import os
import pickle
import shutil
import socket
import time
import uuid
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings

from processes import pid_alive, process_start

BUILDING = "building"
#: A rebuild marker older than this (seconds) is stale whoever owns it
#: (``SEARCH_REBUILD_MAX_AGE`` in settings): its owner may run on another host,
#: whose processes this one cannot see.
REBUILD_MAX_AGE = 6 * 3600


class Journal:
    """Live writes made while a rebuild fills a generation: one pickled entry per
    write (``("add", documents)`` or ``("delete", key)``) in ``.journal-<generation>/``,
    replayed by the rebuild before it swaps the generation in. A file lock orders
    appends against the replay: once the rebuild has swapped, the journal is closed
    and live writes go to ``current``, which is then the new generation."""

    def __init__(self, root: Path, generation: str):
        self.dir = root / f".journal-{generation}"
        self.lockfile = root / f".journal-{generation}.lock"

    def exists(self) -> bool:
        return self.dir.is_dir()

    def create(self) -> None:
        self.dir.mkdir(parents=True, exist_ok=True)

    @contextmanager
    def locked(self):
        with open(self.lockfile, "a") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def append(self, entry) -> bool:
        """Keep one live write; False if the journal is closed or absent."""
        if not self.exists():
            return False
        with self.locked():
            if not self.exists() or (self.dir / "closed").exists():
                return False
            name = f"{time.time_ns():020d}-{uuid.uuid4().hex[:8]}.pickle"
            tmp = self.dir / f".{name}"
            tmp.write_bytes(pickle.dumps(entry, protocol=pickle.HIGHEST_PROTOCOL))
            os.replace(tmp, self.dir / name)
        return True

    def entries(self) -> list:
        # Written by this application only, beside the index Whoosh itself pickles.
        return [pickle.loads(path.read_bytes()) for path in sorted(self.dir.glob("*.pickle"))]  # noqa: S301

    def close(self) -> None:
        (self.dir / "closed").touch()

    def remove(self) -> None:
        shutil.rmtree(self.dir, ignore_errors=True)
        self.lockfile.unlink(missing_ok=True)


class RebuildMarker:
    """The ``building`` file: which generation a rebuild is filling and who runs it
    (pid, host, the process's start time, when the rebuild started).

    The marker is stale, and live writes ignore it, when its owner is gone: on this
    host, no process has that pid (or the pid now belongs to a process started
    later); on any host, it is older than ``SEARCH_REBUILD_MAX_AGE`` seconds."""

    def __init__(
        self,
        generation: str,
        pid: int | None = None,
        host: str = "",
        process_start: str = "",
        started: float | None = None,
    ):
        self.generation = generation
        self.pid = pid
        self.host = host
        self.process_start = process_start
        self.started = time.time() if started is None else started

    @classmethod
    def for_this_process(cls, generation: str) -> RebuildMarker:
        pid = os.getpid()
        return cls(generation, pid=pid, host=socket.gethostname(), process_start=process_start(pid))

    def to_json(self) -> str:
        return json.dumps(
            {
                "generation": self.generation,
                "pid": self.pid,
                "host": self.host,
                "process_start": self.process_start,
                "started": self.started,
            }
        )

    @classmethod
    def parse(cls, text: str, mtime: float) -> RebuildMarker | None:
        """The marker written by :meth:`write`, or None for anything else."""
        try:
            data = json.loads(text)
        except ValueError:
            return None
        if not isinstance(data, dict):
            return None
        return cls(
            str(data.get("generation") or ""),
            pid=int(data["pid"]) if data.get("pid") is not None else None,
            host=str(data.get("host") or ""),
            process_start=str(data.get("process_start") or ""),
            started=float(data.get("started") or mtime),
        )

    def owned_by_this_process(self) -> bool:
        return self.pid == os.getpid() and self.host == socket.gethostname()

    def is_stale(self, now: float | None = None) -> bool:
        max_age = float(getattr(settings, "SEARCH_REBUILD_MAX_AGE", REBUILD_MAX_AGE))
        now = time.time() if now is None else now
        if now - self.started > max_age:
            return True
        if self.pid is None or self.host != socket.gethostname():
            return False  # cannot see the owner: only the age decides
        if not pid_alive(self.pid):
            return True
        current_start = process_start(self.pid)
        return bool(self.process_start and current_start and current_start != self.process_start)

    def describe(self) -> str:
        started = datetime.datetime.fromtimestamp(self.started, tz=datetime.UTC).isoformat(timespec="seconds")
        return f"generation {self.generation} (pid {self.pid} on {self.host or '?'}, started {started})"

    def write(self, root: Path) -> None:
        tmp = root / f".{BUILDING}-{self.generation}"
        tmp.write_text(self.to_json())
        os.replace(tmp, root / BUILDING)

    def remove(self, root: Path) -> None:
        """Remove the marker if it is still this one (another rebuild may have replaced it)."""
        current = read_marker(root)
        if current is not None and current.generation == self.generation:
            (root / BUILDING).unlink(missing_ok=True)


def read_marker(root: Path) -> RebuildMarker | None:
    """The rebuild marker in an index folder, or None."""
    path = root / BUILDING
    try:
        text = path.read_text()
        mtime = path.stat().st_mtime
    except OSError:
        return None
    return RebuildMarker.parse(text, mtime)
