"""How players reach an encode: the master playlist with its subtitle renditions,
and short-lived signed URLs for private recordings.

Two ways out, chosen per playback by :func:`media_pipeline.selectors.player_sources`:

- **direct** (public recordings on public storage): the master playlist comes from
  :func:`master_view`, built from the database so caption tracks added after the
  encode appear as HLS subtitle renditions; it points at the stored variant playlists,
  whose relative segment names resolve on the storage or CDN, cacheable forever.
- **signed** (private modules, or storage that signs every URL such as a private S3
  bucket): every URL carries a token that expires. Playlists are rewritten on the fly
  so that each segment, init section, subtitle file and storyboard tile is an
  absolute signed URL: a presigned S3 URL, or on local storage this app's file view
  (which nginx can hand over with ``X-Accel-Redirect``). A relative name inside a
  playlist could not carry a signature, which is why rewriting is needed at all.
"""

from __future__ import annotations

import math
import posixpath
import re
from dataclasses import dataclass

from django.core import signing
from django.urls import reverse

from . import ladder
from .conf import setting
from .storage import storage

SALT = "media_pipeline.delivery"
_URI_ATTR = re.compile(r'URI="([^"]*)"')


class BadToken(Exception):
    """The token is forged, expired, or names another encode."""


@dataclass(frozen=True)
class Grant:
    """What a valid token allows: one encode of one asset, until ``expires``."""

    asset_id: int
    encode_key: str
    signed: bool


def token_lifetime(asset) -> int:
    """Seconds a signed token lives: the configured lifetime plus the recording's
    length, so that a learner who starts near the end of the window can finish."""
    return int(setting("SIGNED_URL_SECONDS") + math.ceil(float(asset.duration or 0)))


def make_token(asset, *, signed: bool) -> str:
    """A token for the asset's current encode; ``signed`` tokens expire."""
    data = {"a": asset.pk, "e": asset.current_encode.key.hex, "s": 1 if signed else 0}
    if signed:
        data["x"] = token_lifetime(asset)
    return signing.TimestampSigner(salt=SALT).sign_object(data, compress=True)


def read_token(token: str) -> Grant:
    """The grant in ``token``, or raise :class:`BadToken`."""
    signer = signing.TimestampSigner(salt=SALT)
    try:
        data = signer.unsign_object(token)
        if data.get("s"):
            # The lifetime travels inside the signed value; check it now that we know it.
            signer.unsign_object(token, max_age=int(data.get("x") or 0))
    except (signing.BadSignature, signing.SignatureExpired, ValueError, TypeError) as exc:
        raise BadToken(str(exc)) from exc
    try:
        return Grant(asset_id=int(data["a"]), encode_key=str(data["e"]), signed=bool(data.get("s")))
    except (KeyError, TypeError, ValueError) as exc:
        raise BadToken("malformed") from exc


def storage_signs_urls() -> bool:
    """True when the storage's own URLs carry a signature (a private S3 bucket):
    relative names inside playlists would then fail, so every playback is signed."""
    return bool(getattr(storage(), "querystring_auth", False))


def signed_file_url(name: str, *, token: str, encode_prefix: str, seconds: int) -> str:
    """A URL for one stored file that stops working after ``seconds``."""
    store = storage()
    if hasattr(store, "bucket") and hasattr(store, "_normalize_name"):
        # django-storages' S3: presign even when the storage itself is set up unsigned.
        from storages.utils import clean_name

        client = store.bucket.meta.client
        return client.generate_presigned_url(
            "get_object",
            Params={"Bucket": store.bucket.name, "Key": store._normalize_name(clean_name(name))},
            ExpiresIn=seconds,
        )
    relative = posixpath.relpath(name, encode_prefix) if name.startswith(encode_prefix + "/") else None
    if relative is None:
        # Captions live outside the encode's prefix; the file view finds them by language.
        return reverse("media_pipeline:hls_file", args=[token, "captions/" + posixpath.basename(name)])
    return reverse("media_pipeline:hls_file", args=[token, relative])


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
            "uri": variant_uri(r), "bandwidth": r.bandwidth, "average_bandwidth": r.average_bandwidth,
            "width": r.width, "height": r.height, "codecs": r.codecs,
            "frame_rate": r.frame_rate,
        }
        for r in renditions
        if r.spec != "audio"
    ]
    audio_entry = None
    if audio:
        audio_entry = {"uri": variant_uri(audio), "bandwidth": audio.bandwidth,
                       "average_bandwidth": audio.average_bandwidth}
    subtitles = _subtitle_entries(asset, subtitle_uri) if variants else []
    return ladder.master_playlist(variants, audio_entry, subtitles=subtitles)


def subtitle_playlist(*, duration: float, vtt_uri: str) -> str:
    """A one-segment subtitle media playlist: the whole WebVTT file spans the recording."""
    seconds = max(duration, 0.001)
    return "\n".join([
        "#EXTM3U", "#EXT-X-VERSION:7", f"#EXT-X-TARGETDURATION:{math.ceil(seconds)}",
        "#EXT-X-MEDIA-SEQUENCE:0", "#EXT-X-PLAYLIST-TYPE:VOD", f"#EXTINF:{seconds:.3f},", vtt_uri,
        "#EXT-X-ENDLIST", "",
    ])


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
