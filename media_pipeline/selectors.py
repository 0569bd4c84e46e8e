"""Reads for the pipeline's pages and the player."""

from django.db.models import QuerySet

from . import get_media_model
from .models import MediaStatus
from .storage import storage


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
