"""End to end: upload through the service, encode through the task, check every output."""

import pytest
from django.core.files.storage import default_storage

from media_pipeline.models import Encode, MediaStatus, Rendition
from tests.factories import UserFactory

from .checks import assert_encode_ok
from .conftest import upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def user():
    return UserFactory()


@pytest.mark.parametrize(
    ("name", "heights"),
    [
        ("landscape.mp4", [144, 240]),
        ("portrait.mov", [144, 240]),
        ("odd.mkv", [144]),
        ("silent.webm", [144]),
        ("vfr.mp4", [144]),
        ("hd.mp4", [144, 240, 360, 480, 720]),
    ],
)
def test_ladder_end_to_end_on_local_storage(name, heights, clips, user, django_capture_on_commit_callbacks):
    """Each clip becomes a ready HLS ladder: same cuts on every rung, keyframes at each, no rung above source."""
    asset = upload(user, clips[name], capture=django_capture_on_commit_callbacks)
    facts = assert_encode_ok(asset, clips[name])
    short_sides = sorted(min(map(int, v["RESOLUTION"].split("x"))) for v in facts["variants"])
    assert short_sides == heights
    assert list(Rendition.objects.filter(asset=asset).exclude(spec="audio").order_by("height")
                .values_list("spec", flat=True)) == [f"{h}p" for h in heights]
    if name == "vfr.mp4":
        assert all(v["FRAME-RATE"] == "30.000" for v in facts["variants"]), "60 fps VFR becomes 30 fps CFR"


def test_audio_only_recording_becomes_audio_lesson(clips, user, django_capture_on_commit_callbacks):
    """An m4a gets an audio HLS playlist as its only variant, an audio.m4a and a waveform poster."""
    asset = upload(user, clips["audio.m4a"], capture=django_capture_on_commit_callbacks)
    assert asset.status == MediaStatus.READY, asset.error_log
    assert asset.type == "audio"
    encode = asset.current_encode
    master = default_storage.open(encode.master).read().decode()
    assert 'CODECS="mp4a.40.2"' in master and "audio/index.m3u8" in master
    assert encode.poster and default_storage.exists(encode.poster)
    assert encode.audio and not encode.mp4
    assert list(asset.renditions.values_list("spec", flat=True)) == ["audio"]


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("empty.mp4", "empty"),
        ("truncated.mp4", "unreadable"),
        ("garbage.mp4", "unreadable"),
        ("report.pdf.mp4", "unreadable"),
        ("archive.zip.mp4", "unreadable"),
    ],
)
def test_bad_input_fails_with_reason_and_publishes_nothing(name, code, clips, user, django_capture_on_commit_callbacks):
    """Broken files end failed with a clear reason; no encode is published and no output remains."""
    asset = upload(user, clips[name], capture=django_capture_on_commit_callbacks)
    assert asset.status == MediaStatus.FAILED
    assert asset.error == code
    assert asset.error_message
    assert asset.current_encode is None
    assert not Rendition.objects.filter(asset=asset).exists()
    encode = Encode.objects.get(asset=asset)
    assert encode.status == Encode.Status.FAILED
    assert encode.files == []
    assert not default_storage.exists(f"{encode.prefix}/master.m3u8")
