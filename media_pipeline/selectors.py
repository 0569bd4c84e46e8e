"""Reads for the pipeline's pages and the player."""

import json

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

    ``signed`` (private modules) makes every URL a short-lived signed one; storage that
    signs its own URLs (a private S3 bucket) always gets signed playback. The master
    playlist always comes from :func:`media_pipeline.views.hls_master`, so captions
    added after the encode are offered as HLS subtitle renditions. With a signed-in
    ``user``, the learner's saved quality, speed and captions come along.
    """
    if not asset.is_playable:
        return None
    from django.urls import reverse

    from . import delivery

    encode = asset.current_encode
    signed = signed or delivery.storage_signs_urls()
    token = delivery.make_token(asset, signed=signed)
    renditions = list(asset.renditions.all())
    captions = list(asset.captions.all())
    audio = next((r for r in renditions if r.spec == "audio"), None)
    has_video = any(r.spec != "audio" for r in renditions)
    if signed:
        seconds = delivery.token_lifetime(asset)

        def url(name):
            return delivery.signed_file_url(name, token=token, encode_prefix=encode.prefix, seconds=seconds)

        audio_playlist = reverse("media_pipeline:hls_variant", args=[token, "audio"]) if audio else ""
        storyboard = reverse("media_pipeline:hls_storyboard", args=[token]) if encode.storyboard_vtt else ""
    else:
        url = storage().url
        audio_playlist = url(audio.playlist) if audio else ""
        storyboard = url(encode.storyboard_vtt) if encode.storyboard_vtt else ""
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
