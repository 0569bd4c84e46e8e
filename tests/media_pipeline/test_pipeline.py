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


@pytest.fixture
def two_passes(settings):
    """Make a 3 s clip count as a long recording: rungs up to 240p go first."""
    settings.MEDIA_PIPELINE_EARLY_PUBLISH_SECONDS = 1
    settings.MEDIA_PIPELINE_EARLY_PUBLISH_MAX_HEIGHT = 240


def test_long_recording_is_watchable_once_low_rungs_are_stored(two_passes, clips, user, monkeypatch,
                                                               django_capture_on_commit_callbacks):
    """Low rungs first: after the first pass the recording plays (audio, 144p, 240p) while it is still
    processing; the second pass adds 360p-720p under the same prefix, and every rung still cuts alike."""
    from media_pipeline.selectors import player_sources
    from media_pipeline.services import encoding

    seen = []
    real_publish = encoding.publish

    def spy(**kwargs):
        real_publish(**kwargs)
        from media_pipeline.models import MediaAsset

        current = MediaAsset.objects.get(pk=kwargs["asset_id"])
        seen.append({
            "final": kwargs.get("final", True), "status": current.status, "progress": current.progress,
            "playable": player_sources(current) is not None,
            "specs": sorted(current.renditions.values_list("spec", flat=True)),
            "master": current.current_encode.master.rsplit("/", 1)[1],
        })

    monkeypatch.setattr(encoding, "publish", spy)
    asset = upload(user, clips["hd.mp4"], capture=django_capture_on_commit_callbacks)
    early, final = seen
    assert early == {"final": False, "status": MediaStatus.PROCESSING, "progress": early["progress"],
                     "playable": True, "specs": ["144p", "240p", "audio"], "master": "master-early.m3u8"}
    assert 0 < early["progress"] < 50, "the low rungs are the smaller share of the pixels"
    assert final["status"] == MediaStatus.READY and final["master"] == "master.m3u8"
    assert final["specs"] == ["144p", "240p", "360p", "480p", "720p", "audio"]
    facts = assert_encode_ok(asset, clips["hd.mp4"])
    assert len(facts["variants"]) == 5
    encode = asset.current_encode
    assert f"{encode.prefix}/master-early.m3u8" in encode.files
    assert len(encode.files) == len(set(encode.files)), "nothing stored twice"


def test_failed_second_pass_keeps_the_low_rungs_playable(two_passes, clips, user, monkeypatch,
                                                         django_capture_on_commit_callbacks):
    """If the high rungs fail, the recording stays watchable in low quality, marked failed with its
    reason, and no file of the unfinished pass is left in storage."""
    from media_pipeline import ladder
    from media_pipeline.selectors import player_sources

    calls = {"n": 0}
    real_command = ladder.command

    def command(source, out, p):
        calls["n"] += 1
        args = real_command(source, out, p)
        if calls["n"] == 2:
            args = [*args[:-1], "-bogus-option", args[-1]]
        return args

    monkeypatch.setattr(ladder, "command", command)
    asset = upload(user, clips["hd.mp4"], capture=django_capture_on_commit_callbacks)
    assert asset.status == MediaStatus.FAILED and asset.error == "encode"
    assert player_sources(asset) is not None
    encode = asset.current_encode
    assert encode.status == Encode.Status.PARTIAL
    assert sorted(asset.renditions.values_list("spec", flat=True)) == ["144p", "240p", "audio"]
    folders, files = default_storage.listdir(encode.prefix)
    assert sorted(folders) == ["144p", "240p", "audio"]
    assert "master-early.m3u8" in files and "master.m3u8" not in files
