"""Recordings coming in: store the original, queue, retry, cancel; their files on deletion."""

import os
import uuid

from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.utils import timezone
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _

from .. import get_media_model
from ..conf import setting
from ..models import MediaStatus


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
    from ..tasks import process_asset

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


def schedule_file_deletion(names: list[str]) -> None:
    """Delete stored files once the current transaction commits (never before)."""
    from ..tasks import delete_files

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


def asset_usage_count(asset) -> int:
    """How many references pages or snippets hold to the recording (Wagtail's reference index)."""
    from wagtail.models import ReferenceIndex

    return ReferenceIndex.get_references_to(asset).count()


@transaction.atomic
def asset_delete(*, asset) -> None:
    """Delete a recording that nothing uses any more; its files go once the deletion commits
    (signal_handlers). A recording still used by a lesson or a page is refused: the page would
    lose its video without anyone noticing."""
    if asset_usage_count(asset):
        raise ValidationError(_("This recording is still used in a lesson or a page: remove it there first."))
    asset.delete()
