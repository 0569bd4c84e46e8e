"""Business logic of the media pipeline: create, encode, publish, cancel, retry, delete."""

import contextlib
import logging
import os
import tempfile
import time
import uuid
from datetime import timedelta
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.text import get_valid_filename
from django.utils.translation import gettext_lazy as _

from . import ffmpeg as ff
from . import get_media_model, ladder
from .conf import setting
from .models import Caption, Encode, MediaStatus, PlayerPreference, Rendition
from .signals import captions_changed
from .storage import delete_names, delete_prefix, list_prefix, local_copy, put, storage

logger = logging.getLogger(__name__)


class PipelineFailure(Exception):
    """An expected failure with a reason code (see errors.REASONS) and detail for the log."""

    def __init__(self, code: str, detail: str = ""):
        super().__init__(code)
        self.code = code
        self.detail = detail


def safe_filename(filename: str) -> str:
    """A storage-safe base name: no folders (``../``), Unicode letters kept, bounded length."""
    base = os.path.basename((filename or "").replace("\\", "/")).strip().lstrip(".")
    stem, ext = os.path.splitext(base)
    try:
        clean = get_valid_filename(stem[:80]) or "recording"
    except Exception:  # get_valid_filename refuses names that clean to nothing
        clean = "recording"
    ext = get_valid_filename(ext.lower()) if ext else ""
    return f"{clean}{ext if ext.startswith('.') else ''}"


def media_type_for(filename: str) -> str:
    """``video`` or ``audio`` from the extension, or raise ValidationError for other files."""
    ext = os.path.splitext(filename)[1].lower().lstrip(".")
    if ext in setting("VIDEO_EXTENSIONS"):
        return "video"
    if ext in setting("AUDIO_EXTENSIONS"):
        return "audio"
    raise ValidationError("extension", code="extension")


@transaction.atomic
def asset_create(*, user, file: File | None, filename: str, title: str = "", collection=None, size: int | None = None):
    """Store an uploaded original and queue its processing once the transaction commits.

    ``file=None`` reserves the original's name without storing it: a finished tus
    upload on remote storage (S3) is handed to the worker as its local part file, and
    the worker stores the original, so the last upload request never waits for a
    multi-gigabyte copy (see :func:`media_pipeline.tus.upload_finish`).
    """
    from wagtail.models import Collection

    Asset = get_media_model()
    kind = media_type_for(filename)
    if size is None and file is not None and hasattr(file, "size"):
        size = file.size
    if size is not None and size > setting("MAX_UPLOAD_SIZE"):
        raise ValidationError("too_big", code="too_big")
    clean = safe_filename(filename)
    asset = Asset(
        title=(title or os.path.splitext(os.path.basename(filename.replace("\\", "/")))[0] or clean)[:255],
        type=kind,
        original_filename=os.path.basename(filename.replace("\\", "/"))[:255],
        uploaded_by_user=user,
        collection=collection or Collection.get_first_root_node(),
        status=MediaStatus.QUEUED,  # asset_enqueue below sends the task; the save signal must not
    )
    stored_name = f"{uuid.uuid4().hex[:12]}-{clean}"
    if file is not None:
        asset.file.save(stored_name, file, save=False)
    else:
        asset.file.name = asset.file.field.generate_filename(asset, stored_name)
    asset.full_clean(exclude=["file", "thumbnail"])
    asset.save()
    asset_enqueue(asset=asset)
    return asset


def asset_enqueue(*, asset) -> None:
    """Mark the asset queued and send its processing task after the commit."""
    from .tasks import process_asset

    Asset = get_media_model()
    Asset.objects.filter(pk=asset.pk).update(
        status=MediaStatus.QUEUED, queued_at=timezone.now(), progress=0, eta_seconds=None, error="", error_log=""
    )
    asset.status = MediaStatus.QUEUED
    pk = asset.pk
    transaction.on_commit(lambda: process_asset.enqueue(pk))


@transaction.atomic
def asset_retry(*, asset) -> None:
    """Queue a failed or cancelled asset again."""
    if asset.status not in (MediaStatus.FAILED, MediaStatus.CANCELLED, MediaStatus.READY):
        raise ValidationError("This recording is already being processed.")
    asset_enqueue(asset=asset)


@transaction.atomic
def asset_cancel(*, asset) -> None:
    """Cancel a queued or running job; a running ffmpeg stops at its next progress report."""
    Asset = get_media_model()
    Asset.objects.filter(pk=asset.pk, status__in=[MediaStatus.QUEUED, MediaStatus.PROCESSING]).update(
        status=MediaStatus.CANCELLED, eta_seconds=None
    )
    asset.refresh_from_db()


def requeue_stalled(*, now=None) -> list[int]:
    """Watchdog: queue again every job whose progress stopped for ``STALL_SECONDS``.

    A killed worker leaves its encode behind; the encode is abandoned and its partial
    files deleted, the asset keeps pointing at its previous (complete) encode.
    """
    Asset = get_media_model()
    now = now or timezone.now()
    limit = now - timedelta(seconds=setting("STALL_SECONDS"))
    ids = []
    for asset in Asset.objects.filter(status=MediaStatus.PROCESSING, progress_at__lt=limit):
        with transaction.atomic():
            updated = Asset.objects.filter(pk=asset.pk, status=MediaStatus.PROCESSING, progress_at__lt=limit).update(
                status=MediaStatus.QUEUED
            )
            if not updated:
                continue
            stale = list(
                Encode.objects.filter(asset=asset, status=Encode.Status.RUNNING).values_list("pk", "prefix")
            )
            Encode.objects.filter(pk__in=[pk for pk, _ in stale]).update(status=Encode.Status.ABANDONED)
            prefixes = [prefix for _, prefix in stale]
            transaction.on_commit(lambda prefixes=prefixes: [delete_prefix(p) for p in prefixes])
            # A second pass that died leaves files beside the published low rungs.
            for partial in Encode.objects.filter(asset=asset, status=Encode.Status.PARTIAL):
                transaction.on_commit(lambda partial=partial: _keep_early(partial))
            asset_enqueue(asset=asset)
            ids.append(asset.pk)
    return ids


def schedule_file_deletion(names: list[str]) -> None:
    """Delete stored files once the current transaction commits (never before)."""
    from .tasks import delete_files

    names = [n for n in names if n]
    if names:
        transaction.on_commit(lambda: delete_files.enqueue(names))


def asset_files(asset) -> list[str]:
    """Every stored name belonging to an asset: original, encodes, captions."""
    names = [asset.file.name] if asset.file else []
    if asset.thumbnail:
        names.append(asset.thumbnail.name)
    for encode in asset.encodes.all():
        names += encode.files
    names += [c.file.name for c in asset.captions.all()]
    return names


# --- processing -------------------------------------------------------------------------


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


def _finish_outputs(out: Path, p: ladder.Plan, *, master: str = "master.m3u8", previous: dict | None = None) -> dict:
    """Derive the MP4, audio file, storyboard track and master playlist; return what to store.

    ``previous`` holds the first pass's outputs in a two-pass encode: its variants,
    audio and files are kept, and the master (under a new name) lists every rung.
    """
    if previous is not None:
        result = {**previous, "variants": list(previous["variants"])}
        for rung in p.rungs:
            result["variants"].append(_variant(out, rung, p))
        (out / master).write_text(ladder.master_playlist(result["variants"], result["audio"]))
        result["master"] = master
        return result
    result = {"variants": [], "audio": None, "master": master}
    if p.audio:
        peak, avg, size = ladder.bandwidth(out / "audio")
        result["audio"] = {"uri": "audio/index.m3u8", "bandwidth": peak, "average_bandwidth": avg, "size": size}
        ff.run(["-i", str(out / "audio" / "index.m3u8"), "-c", "copy", "-movflags", "+faststart", str(out / "audio.m4a")])
    for rung in p.rungs:
        result["variants"].append(_variant(out, rung, p))
    if p.rungs:
        target = setting("MP4_HEIGHT")
        mp4_rung = max((r for r in p.rungs if int(r.spec[:-1]) <= target), key=lambda r: int(r.spec[:-1]),
                       default=p.rungs[0])
        args = ["-i", str(out / mp4_rung.spec / "index.m3u8")]
        if p.audio:
            args += ["-i", str(out / "audio" / "index.m3u8"), "-map", "0:v:0", "-map", "1:a:0"]
        ff.run([*args, "-c", "copy", "-movflags", "+faststart", str(out / f"video-{mp4_rung.spec}.mp4")])
        result["mp4"] = f"video-{mp4_rung.spec}.mp4"
    if p.storyboard and (out / "storyboard.jpg").exists():
        (out / "storyboard.vtt").write_text(ladder.storyboard_vtt(p.storyboard, p.duration, "storyboard.jpg"))
    (out / master).write_text(ladder.master_playlist(result["variants"], result["audio"]))
    return result


def _variant(out: Path, rung: ladder.Rung, p: ladder.Plan) -> dict:
    peak, avg, size = ladder.bandwidth(out / rung.spec)
    info = ff.video_stream_info(out / rung.spec / "index.m3u8")
    return {
        "spec": rung.spec, "uri": f"{rung.spec}/index.m3u8", "width": int(info.get("width") or rung.width),
        "height": int(info.get("height") or rung.height), "bandwidth": peak, "average_bandwidth": avg,
        "codecs": ladder.codecs_for(info), "frame_rate": float(p.fps), "size": size,
    }


def _upload_order(out: Path, p: ladder.Plan, master: str, skip: set[str] = frozenset()) -> list[Path]:
    """Low rungs first, the master playlist last: a half-stored encode is never playable.
    ``skip`` names files a first pass already stored."""
    ordered: list[Path] = []
    folders = (["audio"] if p.audio else []) + [r.spec for r in p.rungs]
    for folder in folders:
        files = sorted((out / folder).iterdir())
        ordered += [f for f in files if f.name != "index.m3u8"] + [out / folder / "index.m3u8"]
    for extra in sorted(out.iterdir()):
        if extra.is_file() and extra.name != master and extra.name not in skip and not extra.name.startswith("master"):
            ordered.append(extra)
    ordered.append(out / master)
    return ordered


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


def asset_process(*, asset_id: int) -> None:
    """Probe, encode the ladder in one ffmpeg process, store everything, then publish.

    Recordings longer than ``EARLY_PUBLISH_SECONDS`` are encoded in two passes: audio
    and the rungs up to ``EARLY_PUBLISH_MAX_HEIGHT`` are published as soon as they
    are stored (the recording is watchable), then the higher rungs follow under the
    same prefix with a new master playlist.

    Expected failures (bad input, ffmpeg errors) end in the ``failed`` state with a
    reason and ffmpeg's tail; they do not raise, so the worker goes on with other jobs.
    """
    Asset = get_media_model()
    asset = Asset.objects.filter(pk=asset_id).first()
    if asset is None or asset.status not in (MediaStatus.QUEUED, MediaStatus.PROCESSING):
        return  # deleted, cancelled or already handled
    key = uuid.uuid4()
    encode = Encode.objects.create(asset=asset, key=key, prefix=f"media_pipeline/{asset.pk}/{key.hex}")
    Asset.objects.filter(pk=asset.pk).update(
        status=MediaStatus.PROCESSING, progress=0, eta_seconds=None, progress_at=timezone.now(),
        attempts=F("attempts") + 1, error="", error_log="",
    )
    stored: list[str] = []
    started = time.monotonic()
    early = False
    try:
        with tempfile.TemporaryDirectory(prefix="takwin-encode-") as tmp, _source(asset, tmp) as source:
            summary = asset.probe if asset.probe.get("streams") else _probe(asset, source)
            first, second = _passes(_plan(summary))
            share = _pass_share(first, second)
            out = Path(tmp) / "out"
            out.mkdir()
            _encode(source, out, first, _Tracker(asset.pk, first.duration, 0, share, started))
            outputs = _finish(out, first, master="master.m3u8" if second is None else "master-early.m3u8")
            _store(out, first, outputs["master"], encode, stored)
            if second is not None:
                _publish(asset_id=asset.pk, encode=encode, outputs=outputs, stored=stored,
                         wall=time.monotonic() - started, final=False)
                early = True
                _encode(source, out, second, _Tracker(asset.pk, second.duration, share, 100 - share, started))
                outputs = _finish(out, second, master="master.m3u8", previous=outputs)
                _store(out, second, outputs["master"], encode, stored, skip={"master-early.m3u8"})
        _publish(asset_id=asset.pk, encode=encode, outputs=outputs, stored=stored, wall=time.monotonic() - started)
    except ff.Cancelled:
        if early:
            _keep_early(encode)
        else:
            _abandon(encode, stored)
    except PipelineFailure as failure:
        if early:
            _keep_early(encode)
        else:
            _abandon(encode, stored, status=Encode.Status.FAILED)
        Asset.objects.filter(pk=asset.pk).update(
            status=MediaStatus.FAILED, error=failure.code, error_log=(failure.detail or "")[-8000:], eta_seconds=None
        )
        logger.info("media %s failed: %s", asset.pk, failure.code)
    except Exception as exc:
        if early:
            _keep_early(encode)
        else:
            _abandon(encode, stored, status=Encode.Status.FAILED)
        Asset.objects.filter(pk=asset.pk).update(status=MediaStatus.FAILED, error="internal", error_log=repr(exc)[-8000:])
        raise


@contextlib.contextmanager
def _source(asset, folder: str):
    """A local path of the original. A tus upload handed over before its original was
    stored (remote storage) is read from its part file, stored first (the original is
    kept), then its part file removed; otherwise the stored original is used."""
    from .tus import pending_part

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
    try:
        ff.run(ladder.command(source, out, p), on_progress=tracker)
    except ff.FFmpegError as exc:
        raise PipelineFailure("encode", exc.tail) from exc


def _finish(out: Path, p: ladder.Plan, **kwargs) -> dict:
    try:
        return _finish_outputs(out, p, **kwargs)
    except ff.FFmpegError as exc:
        raise PipelineFailure("encode", exc.tail) from exc


def _store(out: Path, p: ladder.Plan, master: str, encode: Encode, stored: list[str], skip=frozenset()) -> None:
    already = set(stored)
    try:
        for path in _upload_order(out, p, master, skip=set(skip)):
            name = f"{encode.prefix}/{path.relative_to(out).as_posix()}"
            if name not in already:
                stored.append(put(path, name))
    except Exception as exc:
        raise PipelineFailure("storage", repr(exc)) from exc


def _keep_early(encode: Encode) -> None:
    """A second pass that stopped leaves the published low rungs playable: the encode
    keeps only what its first pass stored, and files of the unfinished pass go."""
    encode.refresh_from_db()
    kept = set(encode.files)
    extra = [name for name in list_prefix(encode.prefix) if name not in kept]
    delete_names(extra)
    Encode.objects.filter(pk=encode.pk).update(status=Encode.Status.PARTIAL, finished_at=timezone.now())



def _abandon(encode: Encode, stored: list[str], status: str = Encode.Status.ABANDONED) -> None:
    Encode.objects.filter(pk=encode.pk).update(status=status, finished_at=timezone.now())
    delete_names(stored)


@transaction.atomic
def _publish(*, asset_id: int, encode: Encode, outputs: dict, stored: list[str], wall: float, final: bool = True) -> None:
    """Point the asset at the new encode, atomically, and drop the previous one after commit.

    A first pass (``final=False``) publishes the low rungs while the asset stays
    ``processing``; the final call adds the high rungs and marks it ready.
    """
    Asset = get_media_model()
    asset = Asset.objects.select_for_update().get(pk=asset_id)
    if asset.status != MediaStatus.PROCESSING:
        raise ff.Cancelled()
    prefix = encode.prefix
    encode.files = list(stored)
    encode.master = f"{prefix}/{outputs['master']}"
    encode.poster = f"{prefix}/poster.jpg" if f"{prefix}/poster.jpg" in stored else ""
    encode.storyboard_image = f"{prefix}/storyboard.jpg" if f"{prefix}/storyboard.vtt" in stored else ""
    encode.storyboard_vtt = f"{prefix}/storyboard.vtt" if encode.storyboard_image else ""
    encode.mp4 = f"{prefix}/{outputs['mp4']}" if outputs.get("mp4") else ""
    encode.audio = f"{prefix}/audio.m4a" if outputs.get("audio") else ""
    encode.status = Encode.Status.DONE if final else Encode.Status.PARTIAL
    encode.wall_seconds = round(wall, 3)
    encode.finished_at = timezone.now()
    encode.save()
    previous = asset.current_encode
    Rendition.objects.filter(asset=asset).delete()
    rows = []
    if outputs.get("audio"):
        a = outputs["audio"]
        rows.append(Rendition(asset=asset, encode=encode, spec="audio", playlist=f"{prefix}/{a['uri']}",
                              bandwidth=a["bandwidth"], average_bandwidth=a["average_bandwidth"],
                              codecs=ladder.AUDIO_CODECS, size=a["size"]))
    for v in outputs["variants"]:
        rows.append(Rendition(asset=asset, encode=encode, spec=v["spec"], playlist=f"{prefix}/{v['uri']}",
                              width=v["width"], height=v["height"], bandwidth=v["bandwidth"],
                              average_bandwidth=v["average_bandwidth"], codecs=v["codecs"], size=v["size"],
                              frame_rate=v["frame_rate"]))
    Rendition.objects.bulk_create(rows)
    asset.current_encode = encode
    fields = ["current_encode", "progress_at"]
    asset.progress_at = timezone.now()
    if final:
        asset.status = MediaStatus.READY
        asset.progress = 100
        asset.eta_seconds = 0
        fields += ["status", "progress", "eta_seconds"]
    asset.save(update_fields=fields)
    if previous and previous.pk != encode.pk:
        schedule_file_deletion(previous.files)


# --- captions ---------------------------------------------------------------------------


def srt_to_vtt(text: str) -> str:
    """Convert SubRip text to WebVTT (comma decimal marks become dots)."""
    import re

    text = text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")
    if text.lstrip().startswith("WEBVTT"):
        return text
    body = re.sub(r"(\d{2}:\d{2}:\d{2}),(\d{3})", r"\1.\2", text)
    return "WEBVTT\n\n" + body.strip() + "\n"


@transaction.atomic
def caption_set(*, asset, language: str, label: str, content: bytes) -> Caption:
    """Add or replace the caption track of one language (WebVTT or SRT, stored as WebVTT)."""
    from django.core.files.base import ContentFile

    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ValidationError("Captions must be UTF-8 text.") from exc
    vtt = srt_to_vtt(text)
    if "-->" not in vtt:
        raise ValidationError("This is not a WebVTT or SRT caption file.")
    caption = Caption.objects.filter(asset=asset, language=language).first()
    old = caption.file.name if caption else None
    caption = caption or Caption(asset=asset, language=language)
    caption.label = label
    caption.file.save(f"{asset.pk}-{language}-{uuid.uuid4().hex[:8]}.vtt", ContentFile(vtt.encode()), save=False)
    caption.full_clean()
    caption.save()
    if old:
        schedule_file_deletion([old])
    transaction.on_commit(lambda: captions_changed.send(sender=Caption, asset=asset))
    return caption


# --- player preferences -----------------------------------------------------------------

SPEEDS = ("0.75", "1", "1.25", "1.5", "1.75", "2")


def _valid_quality(value: str) -> bool:
    return value in ("auto", "audio") or (value.isdigit() and 100 <= int(value) <= 4320)


@transaction.atomic
def player_preference_set(*, user, quality: str | None = None, speed: str | None = None,
                          captions: str | None = None) -> PlayerPreference:
    """Remember a learner's quality, speed and caption language; a value that is not
    one the player offers is refused with a ValidationError, and nothing is saved."""
    import re
    from decimal import Decimal

    errors = {}
    if quality is not None and not _valid_quality(str(quality)):
        errors["quality"] = _("This quality is not offered.")
    if speed is not None and str(speed) not in SPEEDS:
        errors["speed"] = _("This speed is not offered.")
    if captions is not None and not re.fullmatch(r"[a-zA-Z]{0,3}(-[a-zA-Z0-9]{1,8})?", str(captions)):
        errors["captions"] = _("This caption language is not valid.")
    if errors:
        raise ValidationError(errors)
    preference, _created = PlayerPreference.objects.select_for_update().get_or_create(user=user)
    if quality is not None:
        preference.quality = str(quality)
    if speed is not None:
        preference.speed = Decimal(str(speed))
    if captions is not None:
        preference.captions = str(captions)
    preference.full_clean()
    preference.save()
    return preference


def storage_url(name: str) -> str:
    return storage().url(name) if name else ""
