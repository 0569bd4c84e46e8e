"""How players reach an encode: the master playlist with its subtitle renditions,
and tokens for every file of a playback.

Every file of a recording is protected (see :mod:`media_pipeline.storage`): a player
reaches it only through a token, two kinds of which exist, chosen per playback by
:func:`media_pipeline.selectors.player_sources`:

- **public** (recordings on public pages): the token names the encode and never
  expires; it is deterministic, so the URLs built from it are stable and every
  response is cacheable by browsers and CDNs (files for a year: names never change).
- **signed** (lessons, pages with view restrictions): the token also carries an
  expiry and, for a signed-in viewer, their user id; views refuse it to anyone else.

The token is a :mod:`django.core.signing` value of ``{"n": encode id, "x": expiry,
"u": user id}``: it names no storage path, and it cannot be altered or widened.
Playlists are rewritten on the fly so that each segment, init section, subtitle file
and storyboard tile is an absolute URL: a presigned S3 (or CloudFront signed) URL on
S3, or this app's file view on local disk (which nginx can hand over with
``X-Accel-Redirect``).
"""

from __future__ import annotations

import math
import posixpath
import re
import time
from dataclasses import dataclass

from django.core import signing
from django.http import FileResponse, HttpResponse, StreamingHttpResponse
from django.urls import reverse

from . import ladder
from .conf import setting
from .storage import is_local, storage

SALT = "media_pipeline.delivery.v2"
_URI_ATTR = re.compile(r'URI="([^"]*)"')
_RANGE = re.compile(r"bytes=(\d*)-(\d*)$")
#: Bytes read from storage per chunk when Django itself sends a file or a byte range.
CHUNK_SIZE = 256 * 1024


class BadToken(Exception):
    """The token is forged, expired, or malformed."""


@dataclass(frozen=True)
class Grant:
    """What a valid token allows: one encode, until ``expires`` (None: public), to
    ``user_id`` (None: whoever holds it)."""

    encode_id: int
    expires: int | None
    user_id: int | None

    @property
    def signed(self) -> bool:
        return self.expires is not None

    def seconds_left(self) -> int:
        return max(0, int(self.expires - time.time())) if self.expires is not None else 0


def token_lifetime(asset) -> int:
    """Seconds a signed token lives: the configured lifetime plus the recording's length,
    so that a learner who starts near the end of the window can finish."""
    return int(setting("SIGNED_URL_SECONDS") + math.ceil(float(asset.duration or 0)))


def make_token(asset, *, signed: bool, user=None) -> str:
    """A token for the asset's current encode; ``signed`` tokens expire and are tied to
    ``user`` when one is signed in."""
    data = {"n": asset.current_encode_id}
    if signed:
        data["x"] = int(time.time()) + token_lifetime(asset)
        if getattr(user, "is_authenticated", False):
            data["u"] = user.pk
    # No timestamp inside (Signer, not dumps): a public token is the same at every render.
    return signing.Signer(salt=SALT).sign_object(data)


def read_token(token: str) -> Grant:
    """The grant in ``token``, or raise :class:`BadToken` (forged or expired)."""
    try:
        data = signing.Signer(salt=SALT).unsign_object(token)
        grant = Grant(
            encode_id=int(data["n"]),
            expires=int(data["x"]) if data.get("x") is not None else None,
            user_id=int(data["u"]) if data.get("u") is not None else None,
        )
    except (signing.BadSignature, KeyError, TypeError, ValueError, AttributeError) as exc:
        raise BadToken("invalid") from exc
    if grant.expires is not None and grant.expires <= time.time():
        raise BadToken("expired")
    return grant


def signed_file_url(name: str, *, token: str, encode_prefix: str, seconds: int) -> str:
    """The URL a player fetches one stored file at, valid as long as the token.

    On remote storage, the storage's own signed URL (presigned GET, CloudFront signed
    URL) for ``seconds``; on local disk, the file view under the token."""
    if not is_local():
        return storage().url(name, expire=max(1, seconds))
    if name.startswith(encode_prefix + "/"):
        return reverse("media_pipeline:hls_file", args=[token, posixpath.relpath(name, encode_prefix)])
    # Captions live outside the encode's prefix; the file view finds them by base name.
    return reverse("media_pipeline:hls_file", args=[token, "captions/" + posixpath.basename(name)])


def _chunks(handle, start: int, length: int):
    """Yield ``length`` bytes of ``handle`` from ``start`` in bounded chunks, then close it."""
    try:
        handle.seek(start)
        while length > 0:
            data = handle.read(min(CHUNK_SIZE, length))
            if not data:
                break
            length -= len(data)
            yield data
    finally:
        handle.close()


def ranged_file_response(request, handle, *, size: int, content_type: str) -> HttpResponse:
    """Send an open file with HTTP byte ranges (one range per request), streamed in
    chunks of :data:`CHUNK_SIZE`: memory stays bounded whatever the range's length.

    No ``Range`` header: the whole file (streamed). An unsatisfiable range: 416."""
    match = _RANGE.match(request.headers.get("Range", "").strip())
    if not match or match.groups() == ("", ""):
        response = FileResponse(handle, content_type=content_type)
        response["Accept-Ranges"] = "bytes"
        return response
    first, last = match.groups()
    if first == "":
        start, end = max(0, size - int(last)), size - 1
    else:
        start = int(first)
        end = min(int(last), size - 1) if last else size - 1
    if start >= size or start > end:
        handle.close()
        response = HttpResponse(status=416)
        response["Content-Range"] = f"bytes */{size}"
        return response
    response = StreamingHttpResponse(_chunks(handle, start, end - start + 1), status=206, content_type=content_type)
    response["Content-Range"] = f"bytes {start}-{end}/{size}"
    response["Accept-Ranges"] = "bytes"
    response["Content-Length"] = str(end - start + 1)
    return response


def _subtitle_entries(asset, uri_for) -> list[str]:
    lines = []
    for caption in asset.captions.all():
        name = caption.label.replace('"', "'")
        lines.append(
            f'#EXT-X-MEDIA:TYPE=SUBTITLES,GROUP-ID="subs",NAME="{name}",LANGUAGE="{caption.language}",'
            f'DEFAULT=NO,AUTOSELECT=YES,FORCED=NO,URI="{uri_for(caption)}"'
        )
    return lines


def master_text(asset, *, variant_uri, subtitle_uri) -> str:
    """The master playlist of the asset's current encode, with one subtitle rendition
    per caption language. ``variant_uri(rendition)`` and ``subtitle_uri(caption)``
    give the URIs the player should fetch."""
    renditions = list(asset.renditions.all())
    audio = next((r for r in renditions if r.spec == "audio"), None)
    variants = [
        {
            "uri": variant_uri(r),
            "bandwidth": r.bandwidth,
            "average_bandwidth": r.average_bandwidth,
            "width": r.width,
            "height": r.height,
            "codecs": r.codecs,
            "frame_rate": r.frame_rate,
        }
        for r in renditions
        if r.spec != "audio"
    ]
    audio_entry = None
    if audio:
        audio_entry = {
            "uri": variant_uri(audio),
            "bandwidth": audio.bandwidth,
            "average_bandwidth": audio.average_bandwidth,
        }
    subtitles = _subtitle_entries(asset, subtitle_uri) if variants else []
    return ladder.master_playlist(variants, audio_entry, subtitles=subtitles)


def subtitle_playlist(*, duration: float, vtt_uri: str) -> str:
    """A one-segment subtitle media playlist: the whole WebVTT file spans the recording."""
    seconds = max(duration, 0.001)
    return "\n".join(
        [
            "#EXTM3U",
            "#EXT-X-VERSION:7",
            f"#EXT-X-TARGETDURATION:{math.ceil(seconds)}",
            "#EXT-X-MEDIA-SEQUENCE:0",
            "#EXT-X-PLAYLIST-TYPE:VOD",
            f"#EXTINF:{seconds:.3f},",
            vtt_uri,
            "#EXT-X-ENDLIST",
            "",
        ]
    )


def rewrite_playlist(text: str, *, resolve) -> str:
    """A media playlist (or storyboard track) with every reference replaced by
    ``resolve(relative_name)``: segment lines, ``URI="..."`` attributes and
    ``#xywh`` tile targets."""
    out = []
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped:
            out.append(line)
        elif stripped.startswith("#"):
            out.append(_URI_ATTR.sub(lambda m: f'URI="{resolve(m.group(1))}"', line))
        elif "#xywh=" in stripped:
            target, fragment = stripped.split("#", 1)
            out.append(f"{resolve(target)}#{fragment}")
        elif "-->" in stripped or stripped.startswith("WEBVTT"):
            out.append(line)
        else:
            out.append(resolve(stripped))
    return "\n".join(out) + "\n"
