"""Resumable uploads (tus 1.0.0: core, creation, termination, expiration).

Bytes go straight from the request stream to a local part file in small reads, so
memory stays constant whatever the file size; the part file's size is the offset
(it survives a crashed web process). A finished upload becomes a MediaAsset.
"""

import base64
import contextlib
import fcntl
import os
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.utils import timezone

from . import ffmpeg as ff
from .conf import setting
from .errors import REASONS
from .models import TusUpload
from .services import asset_create, media_type_for
from .storage import is_local

READ_SIZE = 1024 * 1024
# Once this much has arrived, a readable header can already tell a too-long recording.
EARLY_CHECK_BYTES = 2 * 1024 * 1024


class TusError(Exception):
    """A protocol or validation error answered with ``status`` and a message for the uploader."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status
        self.message = message


def upload_dir() -> Path:
    folder = Path(setting("UPLOAD_DIR") or Path(settings.MEDIA_ROOT).parent / "takwin-tus-partial")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def part_path(upload: TusUpload) -> Path:
    return upload_dir() / f"{upload.key.hex}.part"


def parse_metadata(header: str) -> dict[str, str]:
    """Decode ``Upload-Metadata`` (comma-separated ``key base64value`` pairs)."""
    values = {}
    for pair in (header or "").split(","):
        pair = pair.strip()
        if not pair:
            continue
        key, _, encoded = pair.partition(" ")
        try:
            values[key] = base64.b64decode(encoded, validate=True).decode("utf-8") if encoded else ""
        except (ValueError, UnicodeDecodeError) as exc:
            raise TusError(400, "Upload-Metadata is not valid base64") from exc
    return values


def _expiry():
    return timezone.now() + timedelta(hours=setting("UPLOAD_EXPIRY_HOURS"))


def upload_create(*, user, length: int, metadata: dict[str, str], collection_id: int | None = None) -> TusUpload:
    """Start an upload after checking its size and kind, before any byte is sent."""
    filename = metadata.get("filename") or metadata.get("name") or ""
    if length < 0:
        raise TusError(400, "Upload-Length must be a positive integer")
    if length == 0:
        raise TusError(400, str(REASONS["empty"]))
    if length > setting("MAX_UPLOAD_SIZE"):
        raise TusError(413, str(REASONS["too_big"]))
    try:
        media_type_for(filename)
    except ValidationError as exc:
        raise TusError(415, str(REASONS["extension"])) from exc
    upload = TusUpload.objects.create(
        user=user,
        length=length,
        filename=filename[:255],
        title=(metadata.get("title") or "")[:255],
        collection_id=collection_id,
        expires_at=_expiry(),
    )
    part_path(upload).touch()
    return upload


def upload_offset(upload: TusUpload) -> int:
    path = part_path(upload)
    return path.stat().st_size if path.exists() else 0


def upload_append(*, upload: TusUpload, offset: int, stream, content_length: int | None) -> int:
    """Append one PATCH body at ``offset``; return the new offset (finishing the upload at the end)."""
    if upload.asset_id:
        raise TusError(403, "This upload is already complete")
    if upload.expires_at < timezone.now():
        raise TusError(410, "This upload has expired")
    max_chunk = setting("MAX_CHUNK_SIZE")
    if content_length is not None and content_length > max_chunk:
        raise TusError(413, f"Chunks are limited to {max_chunk // (1024 * 1024)} MiB")
    path = part_path(upload)
    if not path.exists():
        raise TusError(404, "Upload not found")
    with open(path, "r+b") as fh:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as exc:
            raise TusError(423, "Another request is writing this upload") from exc
        current = os.fstat(fh.fileno()).st_size
        if offset != current:
            raise TusError(409, "Upload-Offset does not match")
        remaining = upload.length - current
        if content_length is not None and content_length > remaining:
            # Refused before a byte is written (as tusd does): the upload stays where it
            # was, and the client retries with a body that ends at Upload-Length.
            raise TusError(413, "The chunk goes past Upload-Length")
        new_offset = _write_body(fh, stream, start=current, remaining=remaining, content_length=content_length)
    TusUpload.objects.filter(pk=upload.pk).update(offset=new_offset, expires_at=_expiry())
    upload.offset = new_offset
    if new_offset >= upload.length:
        upload_finish(upload=upload)
    elif current < EARLY_CHECK_BYTES <= new_offset:
        _early_duration_check(upload)
    return new_offset


def _write_body(fh, stream, *, start: int, remaining: int, content_length: int | None) -> int:
    """Copy the request body to the part file at ``start`` in small reads; return the new offset.

    A body without Content-Length (chunked) that turns out longer than what remains is
    undone (the part file is cut back to ``start``) and refused, like a declared one."""
    fh.seek(start)
    budget = min(remaining, content_length if content_length is not None else remaining)
    while budget > 0:
        data = stream.read(min(READ_SIZE, budget))
        if not data:
            break  # connection lost: keep what arrived, the client resumes from HEAD
        fh.write(data)
        budget -= len(data)
    if content_length is None and budget == 0 and stream.read(1):
        fh.truncate(start)
        fh.flush()
        raise TusError(413, "The chunk goes past Upload-Length")
    fh.flush()
    return fh.tell()


def _early_duration_check(upload: TusUpload) -> None:
    """Refuse a too-long recording once its first bytes are in, when its header says so.

    Containers with the index at the end (most phone MP4s) cannot be read yet; the
    worker's probe checks those after the upload.
    """
    path = part_path(upload)
    with contextlib.suppress(ff.FFmpegError):
        summary = ff.summarize(ff.probe(path, timeout=20))
        if summary["duration"] > setting("MAX_DURATION"):
            upload_terminate(upload=upload)
            raise TusError(413, str(REASONS["duration"]))


class _PartFile(File):
    """A finished part file; FileSystemStorage moves it instead of copying it."""

    def temporary_file_path(self):
        return self.file.name


@transaction.atomic
def upload_finish(*, upload: TusUpload):
    """Turn a complete part file into a MediaAsset queued for processing.

    On local storage the part file is moved into place (a rename). On remote storage
    the request does not copy it: the asset reserves its name and the worker, which
    reads the part file anyway to encode it, stores the original. The part folder
    (``MEDIA_PIPELINE_UPLOAD_DIR``) must then be shared by web and worker processes.
    """
    from wagtail.models import Collection

    collection = Collection.objects.filter(pk=upload.collection_id).first() if upload.collection_id else None
    path = part_path(upload)
    local = is_local()
    try:
        if local:
            with open(path, "rb") as fh:
                asset = asset_create(
                    user=upload.user,
                    file=_PartFile(fh, name=upload.filename),
                    filename=upload.filename,
                    title=upload.title,
                    collection=collection,
                )
        else:
            asset = asset_create(
                user=upload.user,
                file=None,
                filename=upload.filename,
                title=upload.title,
                collection=collection,
                size=path.stat().st_size,
            )
    except ValidationError as exc:
        raise TusError(400, " ".join(exc.messages)) from exc
    upload.asset = asset
    upload.save(update_fields=["asset"])
    if local:
        path.unlink(missing_ok=True)
    return asset


def pending_part(asset) -> Path | None:
    """The finished part file of a tus upload whose original the worker has yet to store."""
    upload = TusUpload.objects.filter(asset=asset).first()
    if upload is None:
        return None
    path = part_path(upload)
    return path if path.exists() else None


def upload_terminate(*, upload: TusUpload) -> None:
    """Termination extension: drop the upload and its bytes."""
    part_path(upload).unlink(missing_ok=True)
    upload.delete()


def cleanup_expired(*, now=None) -> int:
    """Delete unfinished uploads past their expiry, and their part files; return how many."""
    now = now or timezone.now()
    count = 0
    for upload in TusUpload.objects.filter(asset__isnull=True, expires_at__lt=now):
        upload_terminate(upload=upload)
        count += 1
    return count
