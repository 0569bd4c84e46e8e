"""The worker's job: probe, encode the ladder, store, publish; progress and heartbeat.

Two signals leave a running job, and the watchdog (``services.watchdog``) reads them
for different things: ``progress``/``progress_at`` on the asset (what the trainer sees,
from ffmpeg's ``-progress`` reports about every half second) and ``heartbeat_at`` on
the encode, touched by a thread of the worker every ``STALL_SECONDS / 5`` seconds
whatever ffmpeg, the storage or the probe are doing. Only a silent heartbeat (or the
worker's process gone) means the job is dead; a quiet ffmpeg in a live worker is
stopped by the worker itself after ``STALL_SECONDS`` without a report.
"""

import contextlib
import logging
import os
import socket
import tempfile
import threading
import time
import uuid
from pathlib import Path

from django.db import DatabaseError, connection
from django.db.models import F
from django.utils import timezone

from .. import ffmpeg as ff
from .. import get_media_model, ladder
from ..conf import setting
from ..models import Encode, MediaStatus
from ..storage import local_copy, put, storage
from .publishing import abandon, finish_outputs, keep_early, publish, upload_order

logger = logging.getLogger(__name__)

# Work folders of encodes are named so; the watchdog removes a dead worker's folder only
# when its name starts so (a row can never make it delete anything else).
WORKDIR_PREFIX = "takwin-encode-"
# ffmpeg reports every half second once all outputs have started, and the poster's output
# starts after at most 10 s of source and 50 frames: a minute of silence means it is stuck.
MIN_SILENCE_SECONDS = 60


class PipelineFailure(Exception):
    """An expected failure with a reason code (see errors.REASONS) and detail for the log."""

    def __init__(self, code: str, detail: str = ""):
        super().__init__(code)
        self.code = code
        self.detail = detail


def worker_name() -> str:
    """``host:pid`` of this process, recorded on the encodes it runs."""
    return f"{socket.gethostname()}:{os.getpid()}"


def heartbeat_interval() -> float:
    """Seconds between heartbeats: a fifth of ``STALL_SECONDS``, so that a worker has
    missed four beats before the watchdog calls it dead."""
    return max(0.2, setting("STALL_SECONDS") / 5)


class _Heartbeat:
    """A thread that touches ``Encode.heartbeat_at`` while the job runs.

    It proves the worker process is alive independently of ffmpeg's output (which may
    pause, or not exist while the original is copied or outputs are stored). It writes
    from its own database connection and never stops the job: a failed beat is logged.
    """

    def __init__(self, encode_pk: int, interval: float):
        self.encode_pk = encode_pk
        self.interval = interval
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._beat, name=f"heartbeat-{encode_pk}", daemon=True)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join(timeout=10)

    def _beat(self) -> None:
        try:
            while not self._stop.wait(self.interval):
                try:
                    Encode.objects.filter(pk=self.encode_pk).update(heartbeat_at=timezone.now())
                except DatabaseError:
                    logger.warning("heartbeat of encode %s not written", self.encode_pk, exc_info=True)
        finally:
            connection.close()


class _Tracker:
    """Saves percent and ETA every few seconds; tells ffmpeg to stop when cancelled."""

    def __init__(self, asset_id: int, duration: float, start: float = 0.0, span: float = 100.0, started=None):
        self.asset_id = asset_id
        self.duration = max(duration, 0.001)
        # A pass of a two-pass encode covers ``span`` percent from ``start``.
        self.start = start
        self.span = span
        self.started = started if started is not None else time.monotonic()
        self.last = 0.0

    def __call__(self, progress: ff.Progress) -> bool:
        now = time.monotonic()
        if not progress.done and now - self.last < setting("PROGRESS_INTERVAL"):
            return True
        self.last = now
        share = min(1.0, max(0.0, progress.seconds / self.duration))
        percent = min(99.0, self.start + share * self.span)
        elapsed = now - self.started
        eta = int(elapsed * (100 - percent) / percent) if percent > 0 else None
        Asset = get_media_model()
        alive = Asset.objects.filter(pk=self.asset_id, status=MediaStatus.PROCESSING).update(
            progress=percent, eta_seconds=eta, progress_at=timezone.now()
        )
        return bool(alive)


def _probe(asset, source: str) -> dict:
    if os.path.getsize(source) == 0:
        raise PipelineFailure("empty")
    try:
        summary = ff.summarize(ff.probe(source))
    except ff.FFmpegError as exc:
        raise PipelineFailure("unreadable", exc.tail) from exc
    video = ff.first_stream(summary, "video")
    asset.probe = summary
    asset.duration = round(summary["duration"], 3)
    asset.width = video["width"] if video else None
    asset.height = video["height"] if video else None
    asset.type = "video" if video else "audio"
    type(asset).objects.filter(pk=asset.pk).update(
        probe=asset.probe, duration=asset.duration, width=asset.width, height=asset.height, type=asset.type
    )
    return summary


def _plan(summary: dict) -> ladder.Plan:
    try:
        return ladder.plan(summary)
    except ladder.PlanError as exc:
        text = str(exc)
        if "stream" in text:
            code = "no_streams"
        elif "dimension" in text:
            code = "dimensions"
        else:
            code = "duration"
        raise PipelineFailure(code, text) from exc


def _passes(p: ladder.Plan) -> tuple[ladder.Plan, ladder.Plan | None]:
    """One pass, or two for long recordings ("low rungs first"): the second decode
    costs time, which is worth it only when learners would otherwise wait long."""
    if p.duration < setting("EARLY_PUBLISH_SECONDS"):
        return p, None
    return ladder.split_plan(p, setting("EARLY_PUBLISH_MAX_HEIGHT"))


def _pass_share(first: ladder.Plan, second: ladder.Plan | None) -> float:
    """The first pass's share of the work, by encoded pixels (x264's cost follows them)."""
    if second is None:
        return 100.0
    low = sum(r.width * r.height for r in first.rungs)
    high = sum(r.width * r.height for r in second.rungs)
    return round(100.0 * low / max(1, low + high), 1)


@contextlib.contextmanager
def _source(asset, folder: str):
    """A local path of the original. A tus upload handed over before its original was
    stored (remote storage) is read from its part file, stored first (the original is
    kept), then its part file removed; otherwise the stored original is used."""
    from ..tus import pending_part

    part = pending_part(asset)
    if part is not None:
        try:
            # A worker killed after storing it leaves the original in place: keep it.
            if not storage().exists(asset.file.name):
                put(part, asset.file.name)
        except Exception as exc:
            raise PipelineFailure("storage", repr(exc)) from exc
        try:
            yield str(part)
        finally:
            part.unlink(missing_ok=True)
        return
    with local_copy(asset.file.name, folder) as path:
        yield path


def _encode(source: str, out: Path, p: ladder.Plan, tracker: _Tracker) -> None:
    silence = max(setting("STALL_SECONDS"), MIN_SILENCE_SECONDS)
    try:
        ff.run(ladder.command(source, out, p), on_progress=tracker, silence=silence)
    except ff.FFmpegError as exc:
        raise PipelineFailure("encode", exc.tail) from exc


def _finish(out: Path, p: ladder.Plan, **kwargs) -> dict:
    try:
        return finish_outputs(out, p, **kwargs)
    except ff.FFmpegError as exc:
        raise PipelineFailure("encode", exc.tail) from exc


def _store(out: Path, p: ladder.Plan, master: str, encode: Encode, stored: list[str], skip=frozenset()) -> None:
    already = set(stored)
    try:
        for path in upload_order(out, p, master, skip=set(skip)):
            name = f"{encode.prefix}/{path.relative_to(out).as_posix()}"
            if name not in already:
                stored.append(put(path, name))
    except Exception as exc:
        raise PipelineFailure("storage", repr(exc)) from exc


class _Job:
    """One run of ``asset_process``: what was stored so far, whether low rungs are out."""

    def __init__(self, asset, encode: Encode):
        self.asset = asset
        self.encode = encode
        self.stored: list[str] = []
        self.early = False
        self.started = time.monotonic()

    def run(self) -> None:
        asset, encode = self.asset, self.encode
        with tempfile.TemporaryDirectory(prefix=WORKDIR_PREFIX) as tmp:
            Encode.objects.filter(pk=encode.pk).update(workdir=tmp)
            with _source(asset, tmp) as source:
                outputs = self._encode_all(source, Path(tmp) / "out")
        self._publish(outputs)

    def _encode_all(self, source: str, out: Path) -> dict:
        summary = self.asset.probe if self.asset.probe.get("streams") else _probe(self.asset, source)
        first, second = _passes(_plan(summary))
        share = _pass_share(first, second)
        out.mkdir()
        _encode(source, out, first, _Tracker(self.asset.pk, first.duration, 0, share, self.started))
        outputs = _finish(out, first, master="master.m3u8" if second is None else "master-early.m3u8")
        _store(out, first, outputs["master"], self.encode, self.stored)
        if second is None:
            return outputs
        self._publish(outputs, final=False)
        self.early = True
        _encode(source, out, second, _Tracker(self.asset.pk, second.duration, share, 100 - share, self.started))
        outputs = _finish(out, second, master="master.m3u8", previous=outputs)
        _store(out, second, outputs["master"], self.encode, self.stored, skip={"master-early.m3u8"})
        return outputs

    def _publish(self, outputs: dict, final: bool = True) -> None:
        publish(
            asset_id=self.asset.pk,
            encode=self.encode,
            outputs=outputs,
            stored=self.stored,
            wall=time.monotonic() - self.started,
            final=final,
        )

    def stopped(self, status: str = Encode.Status.ABANDONED) -> None:
        """Published low rungs stay playable; otherwise everything stored goes."""
        if self.early:
            keep_early(self.encode)
        else:
            abandon(self.encode, self.stored, status=status)


def _claim(asset, task_id: str) -> Encode:
    """A fresh encode under a new prefix, signed by this worker, and the asset processing."""
    key = uuid.uuid4()
    encode = Encode.objects.create(
        asset=asset,
        key=key,
        prefix=f"media_pipeline/{asset.pk}/{key.hex}",
        worker=worker_name(),
        task_id=task_id or "",
        heartbeat_at=timezone.now(),
    )
    type(asset).objects.filter(pk=asset.pk).update(
        status=MediaStatus.PROCESSING,
        progress=0,
        eta_seconds=None,
        progress_at=timezone.now(),
        attempts=F("attempts") + 1,
        error="",
        error_log="",
    )
    return encode


def asset_process(*, asset_id: int, task_id: str = "") -> None:
    """Probe, encode the ladder in one ffmpeg process, store everything, then publish.

    Recordings longer than ``EARLY_PUBLISH_SECONDS`` are encoded in two passes: audio
    and the rungs up to ``EARLY_PUBLISH_MAX_HEIGHT`` are published as soon as they
    are stored (the recording is watchable), then the higher rungs follow under the
    same prefix with a new master playlist. ``task_id`` names the task row running it,
    which the watchdog marks failed if this worker dies.

    Expected failures (bad input, ffmpeg errors) end in the ``failed`` state with a
    reason and ffmpeg's tail; they do not raise, so the worker goes on with other jobs.
    """
    Asset = get_media_model()
    asset = Asset.objects.filter(pk=asset_id).first()
    if asset is None or asset.status not in (MediaStatus.QUEUED, MediaStatus.PROCESSING):
        return  # deleted, cancelled or already handled
    job = _Job(asset, _claim(asset, task_id))
    with _Heartbeat(job.encode.pk, heartbeat_interval()):
        try:
            job.run()
        except ff.Cancelled:
            job.stopped()
        except PipelineFailure as failure:
            job.stopped(status=Encode.Status.FAILED)
            Asset.objects.filter(pk=asset.pk).update(
                status=MediaStatus.FAILED,
                error=failure.code,
                error_log=(failure.detail or "")[-8000:],
                eta_seconds=None,
            )
            logger.info("media %s failed: %s", asset.pk, failure.code)
        except Exception as exc:
            job.stopped(status=Encode.Status.FAILED)
            Asset.objects.filter(pk=asset.pk).update(
                status=MediaStatus.FAILED, error="internal", error_log=repr(exc)[-8000:]
            )
            raise
