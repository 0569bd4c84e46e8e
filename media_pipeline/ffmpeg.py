"""The only module that runs ffmpeg and ffprobe.

Commands are argument lists (never shell strings), so a file name cannot inject
anything; every failure raises ``FFmpegError`` with the end of ffmpeg's output.
"""

import json
import queue
import shutil
import subprocess
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

from .conf import setting


class FFmpegError(Exception):
    """ffmpeg or ffprobe failed; ``tail`` holds the end of its output."""

    def __init__(self, message: str, tail: str = ""):
        super().__init__(message)
        self.tail = tail


class Cancelled(Exception):
    """The job was cancelled while ffmpeg ran."""


def binary(name: str) -> str | None:
    """Absolute path of the configured ``FFMPEG``/``FFPROBE`` binary, or None when missing."""
    configured = setting(name)
    return shutil.which(configured)


def _require(name: str) -> str:
    path = binary(name)
    if not path:
        raise FFmpegError(f"{setting(name)} not found (MEDIA_PIPELINE_{name})")
    return path


# --- probing -----------------------------------------------------------------------


def probe(path: str | Path, timeout: float = 120) -> dict:
    """Run ffprobe once and return its JSON (format and streams)."""
    args = [
        _require("FFPROBE"), "-v", "error", "-print_format", "json",
        "-show_format", "-show_streams", "--", str(path),
    ]
    try:
        done = subprocess.run(args, capture_output=True, timeout=timeout, check=False)
    except subprocess.TimeoutExpired as exc:
        raise FFmpegError("ffprobe timed out") from exc
    tail = done.stderr.decode("utf-8", "replace")[-4000:]
    if done.returncode != 0:
        raise FFmpegError("ffprobe could not read the file", tail)
    try:
        return json.loads(done.stdout or b"{}")
    except ValueError as exc:
        raise FFmpegError("ffprobe gave unreadable output", tail) from exc


def _rate(value: str | None) -> float:
    try:
        rate = Fraction(value or "0")
    except (ValueError, ZeroDivisionError):
        return 0.0
    return float(rate)


def _rotation(stream: dict) -> int:
    for side in stream.get("side_data_list", []) or []:
        if "rotation" in side:
            return int(side["rotation"])
    try:
        return int(stream.get("tags", {}).get("rotate", 0))
    except ValueError:
        return 0


def summarize(raw: dict) -> dict:
    """Reduce ffprobe's JSON to what the pipeline stores and plans from."""
    fmt = raw.get("format", {}) or {}
    streams = []
    for s in raw.get("streams", []) or []:
        kind = s.get("codec_type")
        if kind == "video" and (s.get("disposition") or {}).get("attached_pic"):
            kind = "cover"  # an MP3's album art is not a video
        item = {"index": s.get("index"), "codec_type": kind, "codec_name": s.get("codec_name", "")}
        if kind == "video":
            rotation = _rotation(s)
            width, height = int(s.get("width") or 0), int(s.get("height") or 0)
            if abs(rotation) % 180 == 90:
                width, height = height, width
            item.update(
                width=width, height=height, rotation=rotation,
                r_frame_rate=_rate(s.get("r_frame_rate")), avg_frame_rate=_rate(s.get("avg_frame_rate")),
                pix_fmt=s.get("pix_fmt", ""),
            )
        elif kind == "audio":
            item.update(channels=s.get("channels"), sample_rate=int(s.get("sample_rate") or 0))
        if s.get("bit_rate"):
            item["bit_rate"] = int(s["bit_rate"])
        streams.append(item)
    duration = float(fmt.get("duration") or 0)
    return {
        "format_name": fmt.get("format_name", ""),
        "duration": duration,
        "size": int(fmt.get("size") or 0),
        "bit_rate": int(fmt.get("bit_rate") or 0),
        "streams": streams,
    }


def first_stream(summary: dict, kind: str) -> dict | None:
    return next((s for s in summary.get("streams", []) if s.get("codec_type") == kind), None)


# --- running ffmpeg with progress -------------------------------------------------------


@dataclass
class Progress:
    seconds: float
    done: bool


def _read_progress(stream, reports: queue.Queue) -> None:
    """Parse ``-progress`` blocks line by line as ffmpeg writes them; one report per block.

    Runs in its own thread so that the caller can wake on a timer (timeouts, silence)
    instead of blocking on the pipe; ``None`` marks the end of the output.
    """
    out_time = 0.0
    try:
        for raw in iter(stream.readline, b""):
            key, _, value = raw.decode("utf-8", "replace").strip().partition("=")
            if key == "out_time_us" and value.lstrip("-").isdigit():
                out_time = max(out_time, int(value) / 1_000_000)
            elif key == "progress":
                reports.put(Progress(out_time, value == "end"))
    finally:
        reports.put(None)


def _drain(stream, tail: deque) -> None:
    for line in iter(stream.readline, b""):
        tail.append(line.decode("utf-8", "replace").rstrip())


def _follow(proc, reports: queue.Queue, on_progress, timeout: float | None, silence: float | None) -> bool:
    """Hand each report to ``on_progress`` until ffmpeg's output ends; True when cancelled.

    Raises FFmpegError when the whole run exceeds ``timeout`` or ffmpeg says nothing
    for ``silence`` seconds (a stuck process: a live worker must not wait on it forever).
    """
    started = last = time.monotonic()
    while True:
        try:
            report = reports.get(timeout=1.0)
        except queue.Empty:
            report = False
        now = time.monotonic()
        if report is None:
            return False
        if report is not False:
            last = now
            if on_progress is not None and on_progress(report) is False:
                return True
        if timeout and now - started > timeout:
            raise FFmpegError("ffmpeg timed out")
        if silence and now - last > silence:
            raise FFmpegError(f"ffmpeg reported no progress for {silence:.0f} s")


def run(
    args: list[str],
    *,
    on_progress: Callable[[Progress], bool] | None = None,
    timeout: float | None = None,
    silence: float | None = None,
) -> str:
    """Run ffmpeg with ``-progress`` on stdout; return the end of its log.

    ``on_progress`` gets the encoded position about every half second (ffmpeg's
    ``-stats_period``), in the calling thread; returning False cancels the run.
    ``timeout`` bounds the whole run, ``silence`` the time without a report.
    """
    command = [_require("FFMPEG"), "-hide_banner", "-nostdin", "-y", "-progress", "pipe:1", "-nostats", *args]
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    tail: deque[str] = deque(maxlen=60)
    reports: queue.Queue = queue.Queue()
    readers = [
        threading.Thread(target=_drain, args=(proc.stderr, tail), daemon=True),
        threading.Thread(target=_read_progress, args=(proc.stdout, reports), daemon=True),
    ]
    for reader in readers:
        reader.start()
    try:
        cancelled = _follow(proc, reports, on_progress, timeout, silence)
        if cancelled:
            proc.terminate()
        proc.wait()
    except FFmpegError as exc:
        proc.kill()
        proc.wait()
        exc.tail = "\n".join(tail)
        raise
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        for reader in readers:
            reader.join(timeout=5)
    log = "\n".join(tail)
    if cancelled:
        raise Cancelled()
    if proc.returncode != 0:
        last = next((line for line in reversed(tail) if line.strip()), "")
        raise FFmpegError(f"ffmpeg failed: {last}"[:500], log)
    return log


def run_quiet(args: list[str]) -> None:
    """Run a short ffmpeg job (remux, clip generation) and raise on failure."""
    run(args)


# --- inspecting outputs --------------------------------------------------------------


def video_stream_info(path: str | Path) -> dict:
    """Profile, level and size of the first video stream (to write CODECS)."""
    raw = json.loads(
        subprocess.run(
            [_require("FFPROBE"), "-v", "error", "-select_streams", "v:0", "-print_format", "json",
             "-show_streams", "--", str(path)],
            capture_output=True, check=True, timeout=60,
        ).stdout
    )
    return (raw.get("streams") or [{}])[0]


def frames(path: str | Path, stream: str = "v:0") -> list[dict]:
    """Every frame's pts_time and key flag (for checks on outputs)."""
    raw = json.loads(
        subprocess.run(
            [_require("FFPROBE"), "-v", "error", "-select_streams", stream, "-print_format", "json",
             "-show_entries", "frame=pts_time,key_frame,pict_type", "--", str(path)],
            capture_output=True, check=True, timeout=120,
        ).stdout
    )
    return raw.get("frames", [])
