"""Reads for the pipeline's pages, the player and the search index (caption text)."""

import html
import json
import logging
import re

from django.db.models import QuerySet

from . import get_media_model
from .models import MediaStatus

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


def recordings_overview(user, *, limit: int = 100) -> list[dict]:
    """The trainer's recordings page: each recording (newest first) with its state, its caption
    languages and how many pages use it (four queries whatever the number of recordings)."""
    from wagtail.models import ReferenceIndex

    assets = list(assets_of_user(user).select_related("current_encode").prefetch_related("captions")[:limit])
    usage = ReferenceIndex.get_count_references_to_in_bulk(assets) if assets else {}
    return [
        {
            "asset": asset,
            "status": status_payload(asset),
            "captions": sorted(caption.language for caption in asset.captions.all()),
            "usage": usage.get(asset, 0),
        }
        for asset in assets
    ]


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
        # The low rungs of a long recording, or a previous encode, can be watched already.
        "playable": asset.is_playable,
    }


def player_preferences(user) -> dict | None:
    """The learner's saved quality, speed and caption language, or None (anonymous or never set)."""
    if not getattr(user, "is_authenticated", False):
        return None
    from .models import PlayerPreference

    preference = PlayerPreference.objects.filter(user=user).first()
    if preference is None:
        return None
    speed = format(preference.speed.normalize(), "f")
    return {"quality": preference.quality, "speed": speed, "captions": preference.captions}


def player_sources(asset, *, signed: bool = False, user=None) -> dict | None:
    """URLs the player needs, or None while the recording has no playable encode.

    Every URL goes through a playback token (:mod:`media_pipeline.delivery`): a public
    one for public pages (stable, cacheable), a ``signed`` one for lessons and
    restricted pages (expires, tied to the signed-in ``user``). The master playlist
    always comes from :func:`media_pipeline.views.hls_master`, so captions added after
    the encode are offered as HLS subtitle renditions. With a signed-in ``user``, the
    learner's saved quality, speed and captions come along.
    """
    if not asset.is_playable:
        return None
    from django.urls import reverse

    from . import delivery

    encode = asset.current_encode
    token = delivery.make_token(asset, signed=signed, user=user)
    renditions = list(asset.renditions.all())
    captions = list(asset.captions.all())
    audio = next((r for r in renditions if r.spec == "audio"), None)
    has_video = any(r.spec != "audio" for r in renditions)
    seconds = delivery.token_lifetime(asset)

    def url(name):
        return delivery.signed_file_url(name, token=token, encode_prefix=encode.prefix, seconds=seconds)

    audio_playlist = reverse("media_pipeline:hls_variant", args=[token, "audio"]) if audio else ""
    storyboard = reverse("media_pipeline:hls_storyboard", args=[token]) if encode.storyboard_vtt else ""
    return {
        "master": reverse("media_pipeline:hls_master", args=[token]),
        "signed": signed,
        "mp4": url(encode.mp4) if encode.mp4 else "",
        "audio_playlist": audio_playlist if has_video else "",
        "audio_file": url(encode.audio) if encode.audio else "",
        "poster": url(encode.poster) if encode.poster else "",
        "storyboard": storyboard,
        "renditions": [{"spec": r.spec, "height": r.height, "bandwidth": r.bandwidth} for r in renditions if r.spec != "audio"],
        "captions": [{"language": c.language, "label": c.label, "url": url(c.file.name)} for c in captions],
        "is_audio": not has_video,
        "preferences": json.dumps(player_preferences(user)) if user is not None else "null",
        "preferences_url": reverse("media_pipeline:preferences") if getattr(user, "is_authenticated", False) else "",
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
