"""Delivery: the master playlist with subtitle renditions, and signed playback on local disk and S3."""

import re
import urllib.request
from unittest import mock

import pytest
from django.core.files.storage import default_storage

from media_pipeline import delivery
from media_pipeline.ladder import parse_playlist
from media_pipeline.selectors import player_sources
from media_pipeline.services import caption_set

from .checks import master_variants
from .conftest import upload

pytestmark = pytest.mark.django_db

VTT_AR = "WEBVTT\n\n00:00:00.500 --> 00:00:02.000\nمرحبا بكم في الورشة\n".encode()
SRT_FR = b"1\n00:00:00,500 --> 00:00:02,000\nBienvenue dans l'atelier\n"


@pytest.fixture
def ready(trainer, clips, django_capture_on_commit_callbacks):
    asset = upload(trainer, clips["landscape.mp4"], capture=django_capture_on_commit_callbacks)
    assert asset.is_ready, asset.error_log
    return asset


def _get(client, url):
    response = client.get(url)
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return response, body


def _media_lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.startswith("#EXT-X-MEDIA:TYPE=SUBTITLES")]


def test_master_offers_each_caption_language_as_subtitle_rendition(client, ready):
    """Captions added after the encode appear in the master as SUBTITLES renditions tied to every variant,
    and each subtitle playlist is one WebVTT segment spanning the recording."""
    player = player_sources(ready)
    response, body = _get(client, player["master"])
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.apple.mpegurl"
    assert not _media_lines(body.decode())

    caption_set(asset=ready, language="ar", label="العربية", content=VTT_AR)
    caption_set(asset=ready, language="fr", label="Français", content=SRT_FR)
    _, body = _get(client, player["master"])
    text = body.decode()
    subs = _media_lines(text)
    assert len(subs) == 2
    assert 'LANGUAGE="ar"' in subs[0] and 'NAME="العربية"' in subs[0] or 'LANGUAGE="ar"' in subs[1]
    variants = master_variants(text)
    assert len(variants) == ready.renditions.exclude(spec="audio").count()
    assert all(v["SUBTITLES"] == "subs" and v["AUDIO"] == "audio" for v in variants)
    assert all(float(v["FRAME-RATE"]) == pytest.approx(25.0) for v in variants)

    uri = re.search(r'LANGUAGE="fr".*URI="([^"]+)"', text).group(1)
    _, sub = _get(client, uri)
    segments = parse_playlist(sub.decode())
    assert len(segments) == 1
    assert segments[0][0] == pytest.approx(ready.duration, abs=0.01)
    vtt_url = segments[0][1]
    assert "/f/captions/" in vtt_url
    _, data = _get(client, vtt_url)
    vtt = data.decode()
    assert "Bienvenue" in vtt and "00:00:00.500 --> 00:00:02.000" in vtt, "SRT converted to WebVTT"


def test_public_playback_is_stable_and_cacheable(client, ready):
    """Public playback: the token is the same at every render, names no storage path, and
    playlists (5 min) and files (a year, immutable) are publicly cacheable; the files come
    from the protected location through the file view, never from /media/."""
    player = player_sources(ready)
    assert player["signed"] is False
    assert player_sources(ready)["master"] == player["master"]
    token = player["master"].split("/hls/")[1].split("/")[0]
    assert ready.current_encode.key.hex not in token and "media_pipeline" not in str(delivery.read_token(token))
    response, body = _get(client, player["master"])
    assert response["Cache-Control"] == "public, max-age=300"
    variants = master_variants(body.decode())
    assert variants and all(v["uri"].startswith(f"/media-pipeline/hls/{token}/v/") for v in variants)
    response, playlist = _get(client, variants[0]["uri"])
    assert response["Cache-Control"] == "public, max-age=300"
    segment = parse_playlist(playlist.decode())[0][1]
    response, data = _get(client, segment)
    assert response.status_code == 200 and data
    assert response["Cache-Control"] == "public, max-age=31536000, immutable"
    assert not default_storage.path(ready.current_encode.mp4).startswith(str(settings_media_root()))


def settings_media_root():
    from pathlib import Path

    from django.conf import settings

    return Path(settings.MEDIA_ROOT).resolve()


def test_signed_playback_rewrites_every_reference(client, ready):
    """Signed playback: variant, init and segment URLs all carry the token and serve the stored bytes;
    nothing in the playlists is a bare relative name."""
    caption_set(asset=ready, language="ar", label="العربية", content=VTT_AR)
    player = player_sources(ready, signed=True)
    assert player["signed"] is True
    response, body = _get(client, player["master"])
    assert "no-store" in response["Cache-Control"]
    variants = master_variants(body.decode())
    assert variants and all("/hls/" in v["uri"] and "/v/" in v["uri"] for v in variants)
    _, playlist = _get(client, variants[0]["uri"])
    text = playlist.decode()
    init = re.search(r'#EXT-X-MAP:URI="([^"]+)"', text).group(1)
    segments = [uri for _, uri in parse_playlist(text)]
    assert segments and all("/f/" in uri for uri in segments + [init])
    rendition = ready.renditions.get(
        playlist__endswith=variants[0]["uri"].rsplit("/", 1)[1].replace(".m3u8", "/index.m3u8")
    )
    folder = rendition.playlist.rsplit("/", 1)[0]
    _, first = _get(client, segments[0])
    with default_storage.open(f"{folder}/{segments[0].rsplit('/', 1)[1]}", "rb") as fh:
        assert first == fh.read()
    # Captions, MP4, audio file, poster and storyboard tiles are signed too.
    for url in (player["mp4"], player["audio_file"], player["poster"], player["captions"][0]["url"]):
        response, data = _get(client, url)
        assert response.status_code == 200 and data, url
    _, board = _get(client, player["storyboard"])
    tile = re.search(r"^(\S+)#xywh=", board.decode(), re.M).group(1)
    assert "/f/" in tile and _get(client, tile)[0].status_code == 200


def test_signed_links_expire_and_cannot_be_forged(client, ready, settings):
    """An expired, tampered or widened token is refused; files outside the encode are never served."""
    settings.MEDIA_PIPELINE_SIGNED_URL_SECONDS = 60
    player = player_sources(ready, signed=True)
    token = player["master"].split("/hls/")[1].split("/")[0]
    assert client.get(player["master"]).status_code == 200
    lifetime = delivery.token_lifetime(ready)
    import time as real_time

    later = real_time.time() + lifetime + 5
    with mock.patch("media_pipeline.delivery.time.time", return_value=later):
        assert client.get(player["master"]).status_code == 404
    tampered = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    assert client.get(player["master"].replace(token, tampered)).status_code == 404
    for path in ("../../originals/x.mp4", "master.m3u8.bak", "%2e%2e/%2e%2e/secret"):
        assert client.get(f"/media-pipeline/hls/{token}/f/{path}").status_code == 404
    # A public token never opens the signed file view's rewriting: it names an unsigned grant.
    assert delivery.read_token(player_sources(ready)["master"].split("/hls/")[1].split("/")[0]).signed is False


def test_token_of_a_replaced_encode_is_gone(client, ready, django_capture_on_commit_callbacks):
    """After a re-encode, links to the previous encode stop working (its files are deleted)."""
    from media_pipeline.services import asset_retry

    old = player_sources(ready, signed=True)["master"]
    with django_capture_on_commit_callbacks(execute=True):
        asset_retry(asset=ready)
    ready.refresh_from_db()
    assert ready.is_ready
    assert client.get(old).status_code == 404
    assert client.get(player_sources(ready, signed=True)["master"]).status_code == 200


def test_signed_playback_on_s3_presigns_each_segment(
    client, trainer, clips, s3_storage, django_capture_on_commit_callbacks
):
    """On S3 every segment URL is a presigned GET, valid for the token's lifetime, that the S3 server serves.
    (moto's server does not verify signatures, so refusal of a forged one is S3's job, not checked here.)"""
    asset = upload(trainer, clips["landscape.mp4"], capture=django_capture_on_commit_callbacks)
    player = player_sources(asset, signed=True)
    _, body = _get(client, player["master"])
    _, playlist = _get(client, master_variants(body.decode())[0]["uri"])
    segments = [uri for _, uri in parse_playlist(playlist.decode())]
    assert segments and all(uri.startswith(s3_storage["url"]) and "X-Amz-Signature=" in uri for uri in segments)
    assert f"X-Amz-Expires={delivery.token_lifetime(asset)}&" in segments[0]
    with urllib.request.urlopen(segments[0]) as response:  # noqa: S310 (loopback test server)
        assert response.status == 200 and len(response.read()) > 0


def test_lesson_and_restricted_pages_play_signed_archive_pages_direct(ready):
    """A recording in a lesson or on a page with view restrictions is signed; on a public page it is direct."""
    from lessons.blocks import LessonVideoBlock
    from media_pipeline.blocks import VideoBlock

    lesson_block = LessonVideoBlock()
    value = lesson_block.to_python({"recording": ready.pk, "video": None, "poster": None, "caption": ""})
    assert lesson_block.get_context(value, parent_context={})["player"]["signed"] is True
    block = VideoBlock()
    assert block.get_context(ready, parent_context={})["player"]["signed"] is False
    assert block.get_context(ready, parent_context={"media_signed": True})["player"]["signed"] is True
