"""The pipeline's settings, read lazily so ``override_settings`` works in tests.

Every setting is ``MEDIA_PIPELINE_<NAME>`` in Django's settings; the defaults below
apply when it is absent.
"""

from django.conf import settings

DEFAULTS = {
    "FFMPEG": "ffmpeg",
    "FFPROBE": "ffprobe",
    # Bytes; a tus upload announcing more is refused before any byte is sent.
    "MAX_UPLOAD_SIZE": 10 * 1024**3,
    # Seconds; a source longer than this is refused after the probe.
    "MAX_DURATION": 6 * 3600,
    "MAX_DIMENSION": 8192,
    "MAX_PIXELS": 8192 * 4320,
    # HLS segment length; a multiple of the keyframe interval so every rung cuts alike.
    "SEGMENT_SECONDS": 6,
    "KEYFRAME_SECONDS": 2,
    "MAX_FPS": 30,
    "CRF": 23,
    "PRESET": "veryfast",
    # (short side, maxrate kbit/s), low rungs first.
    "LADDER": [(144, 150), (240, 300), (360, 600), (480, 1000), (720, 2000)],
    "AUDIO_BITRATE_K": 48,
    # "Low rungs first": recordings at least this long (s) are encoded in two passes,
    # audio and rungs up to EARLY_PUBLISH_MAX_HEIGHT first, published as soon as stored.
    "EARLY_PUBLISH_SECONDS": 600,
    "EARLY_PUBLISH_MAX_HEIGHT": 360,
    "MP4_HEIGHT": 360,
    "STORYBOARD_TILE_WIDTH": 160,
    "STORYBOARD_COLUMNS": 10,
    "STORYBOARD_MAX_TILES": 100,
    "STORYBOARD_MIN_INTERVAL": 2,
    # Seconds between progress writes, and after which a silent job counts as stalled.
    "PROGRESS_INTERVAL": 3,
    "STALL_SECONDS": 600,
    "UPLOAD_DIR": None,  # default: MEDIA_ROOT/../tus or a temp folder
    "UPLOAD_EXPIRY_HOURS": 24,
    # The uploader's chunk (8-50 MiB keeps every request under common proxy body limits).
    "CHUNK_SIZE": 16 * 1024**2,
    "MAX_CHUNK_SIZE": 52 * 1024**2,
    # Signed playback (private modules): a link lives this long plus the recording's length.
    "SIGNED_URL_SECONDS": 3600,
    # e.g. "/_protected/": signed files on local storage are sent by nginx from that internal location.
    "ACCEL_REDIRECT": "",
    "VIDEO_EXTENSIONS": ["mp4", "mov", "mkv", "webm", "3gp", "avi", "mts", "m4v"],
    "AUDIO_EXTENSIONS": ["m4a", "mp3", "wav", "ogg", "aac", "flac"],
}


def setting(name: str):
    """Return ``settings.MEDIA_PIPELINE_<name>`` or its default."""
    return getattr(settings, f"MEDIA_PIPELINE_{name}", DEFAULTS[name])
