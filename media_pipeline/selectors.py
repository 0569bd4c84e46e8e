"""Reads for the pipeline's pages, the player and the search index (caption text)."""

import html
import logging
import re

from django.db.models import QuerySet

from . import get_media_model
from .models import MediaStatus
from .storage import storage

logger = logging.getLogger(__name__)


def queue_position(asset) -> int | None:
    """1 for the next job to run, None when the asset is not queued."""
    if asset.status != MediaStatus.QUEUED or asset.queued_at is None:
        return None
    Asset = get_media_model()
    return Asset.objects.filter(status=MediaStatus.QUEUED, queued_at__lt=asset.queued_at).count() + 1


def assets_of_user(user) -> QuerySet:
    """The recordings a trainer uploaded, newest first."""
    return get_media_model().objects.filter(uploaded_by_user=user).order_by("-created_at")


def status_payload(asset) -> dict:
    """What the upload pages poll: state, percent, ETA, queue position, reason."""
    return {
        "id": asset.pk,
        "title": asset.title,
        "status": asset.status,
        "status_label": str(MediaStatus(asset.status).label),
        "progress": round(asset.progress, 1),
        "eta_seconds": asset.eta_seconds,
        "queue_position": queue_position(asset),
        "error": asset.error_message,
    }


def player_sources(asset) -> dict | None:
    """URLs the player needs for a ready asset, or None while it is not ready."""
    if not asset.is_ready:
        return None
    encode = asset.current_encode
    store = storage()
    url = store.url
    renditions = list(asset.renditions.all())
    audio = next((r for r in renditions if r.spec == "audio"), None)
    return {
        "master": url(encode.master),
        "mp4": url(encode.mp4) if encode.mp4 else "",
        "audio_playlist": url(audio.playlist) if audio and any(r.spec != "audio" for r in renditions) else "",
        "audio_file": url(encode.audio) if encode.audio else "",
        "poster": url(encode.poster) if encode.poster else "",
        "storyboard": url(encode.storyboard_vtt) if encode.storyboard_vtt else "",
        "renditions": [
            {"spec": r.spec, "height": r.height, "bandwidth": r.bandwidth} for r in renditions if r.spec != "audio"
        ],
        "captions": [
            {"language": c.language, "label": c.label, "url": url(c.file.name)} for c in asset.captions.all()
        ],
        "is_audio": not any(r.spec != "audio" for r in renditions),
    }


#: Caption bytes read per track (a two-hour workshop's WebVTT is about 150 KB).
MAX_CAPTION_BYTES = 2 * 1024 * 1024

_TIMING_RE = re.compile(r"^\s*(\d{1,2}:)?\d{1,2}:\d{2}[.,]\d{3}\s+-->\s+(\d{1,2}:)?\d{1,2}:\d{2}[.,]\d{3}")
_TAG_RE = re.compile(r"<[^>]{0,200}>")
_BLOCK_HEADERS = ("WEBVTT", "NOTE", "STYLE", "REGION")


def vtt_text(vtt: str) -> str:
    """The spoken text of a WebVTT (or SRT) file: no header, cue ids, timings, cue
    settings, NOTE/STYLE/REGION blocks or tags (``<v Speaker>``, ``<c.x>``, ``<00:01.000>``),
    and a line repeated by the next cue (roll-up captions) kept once."""
    lines: list[str] = []
    for block in re.split(r"\n\s*\n", vtt.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")):
        rows = block.strip("\n").split("\n")
        if not rows or not rows[0].strip():
            continue
        if rows[0].strip().split(" ", 1)[0].split("\t", 1)[0] in _BLOCK_HEADERS:
            continue
        timing = next((i for i, row in enumerate(rows) if _TIMING_RE.match(row)), None)
        if timing is None:
            continue  # a block without a cue timing is not spoken text
        for row in rows[timing + 1 :]:
            text = html.unescape(_TAG_RE.sub("", row)).strip()
            if text and (not lines or lines[-1] != text):
                lines.append(text)
    return "\n".join(lines)


def caption_text(asset, language: str | None = None) -> str:
    """The text of the asset's caption tracks, ``language``'s track first (the others
    follow: a word said in a French track still finds an Arabic page). Reads
    ``asset.captions.all()`` (prefetch it for many assets) and the files from storage;
    an unreadable file is skipped and logged."""
    tracks = sorted(asset.captions.all(), key=lambda c: (c.language != language, c.language))
    texts = []
    for caption in tracks:
        try:
            with caption.file.open("rb") as fh:
                data = fh.read(MAX_CAPTION_BYTES)
        except (OSError, ValueError):
            logger.warning("Caption file %s of asset %s is unreadable", caption.file.name, asset.pk)
            continue
        text = vtt_text(data.decode("utf-8", "replace"))
        if text:
            texts.append(text)
    return "\n".join(texts)


def recordings_caption_text(asset_ids, language: str | None = None) -> list[tuple[str, str]]:
    """``(title, caption text)`` of the given recordings, in the order of ``asset_ids``,
    ``language``'s tracks first (two queries whatever the number of recordings);
    recordings without captions are left out."""
    ids = [int(pk) for pk in asset_ids if pk is not None and str(pk).isdigit()]
    if not ids:
        return []
    assets = get_media_model().objects.filter(pk__in=ids).prefetch_related("captions").in_bulk()
    out = []
    for pk in dict.fromkeys(ids):
        asset = assets.get(pk)
        text = caption_text(asset, language) if asset is not None else ""
        if text:
            out.append((asset.title, text))
    return out
