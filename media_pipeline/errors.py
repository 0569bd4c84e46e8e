"""Failure reasons shown to uploaders, stored as codes and translated when shown."""

from django.utils.translation import gettext_lazy as _

REASONS = {
    "empty": _("The file is empty."),
    "unreadable": _("This file is not a video or audio recording that can be read (damaged, incomplete or another kind of file)."),
    "no_streams": _("The file has neither sound nor picture."),
    "duration": _("The recording's duration is missing or beyond the allowed limit."),
    "dimensions": _("The picture size is outside the allowed limits."),
    "extension": _("This kind of file is not accepted. Send a video (mp4, mov, mkv, webm, 3gp, avi, mts) or an audio recording (m4a, mp3, wav, ogg)."),
    "too_big": _("The file is larger than the allowed size."),
    "encode": _("Converting the recording failed."),
    "storage": _("The converted files could not be stored."),
    "internal": _("An unexpected error stopped the conversion."),
}


def reason(code: str) -> str:
    """The translated sentence for a stored failure code (unknown codes read as internal)."""
    return str(REASONS.get(code, REASONS["internal"])) if code else ""
