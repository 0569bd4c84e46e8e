"""Assertions on a finished encode, shared by the local and S3 end-to-end tests."""

import re
import tempfile
from pathlib import Path

from PIL import Image, ImageStat

from media_pipeline import ffmpeg as ff
from media_pipeline.ladder import parse_playlist

from .conftest import download_prefix


def master_variants(text: str) -> list[dict]:
    variants, lines = [], text.splitlines()
    for i, line in enumerate(lines):
        if line.startswith("#EXT-X-STREAM-INF:"):
            attrs = dict(re.findall(r'([A-Z-]+)=("[^"]*"|[^,]*)', line.split(":", 1)[1]))
            variants.append({k: v.strip('"') for k, v in attrs.items()} | {"uri": lines[i + 1]})
    return variants


def assert_encode_ok(asset, source_path) -> dict:
    """Check every promise of the ladder on a ready asset; return facts for extra checks."""
    asset.refresh_from_db()
    assert asset.status == "ready", (asset.error, asset.error_log[-500:])
    assert asset.progress == 100
    encode = asset.current_encode
    source = ff.summarize(ff.probe(source_path))
    video = ff.first_stream(source, "video")
    with tempfile.TemporaryDirectory() as tmp:
        out = download_prefix(encode, Path(tmp))
        master = (out / "master.m3u8").read_text()
        assert master.startswith("#EXTM3U\n#EXT-X-VERSION:7\n")
        assert encode.files[-1] == encode.master, "the master playlist is stored last"
        variants = master_variants(master)
        boundaries = []
        for v in variants:
            w, h = map(int, v["RESOLUTION"].split("x"))
            assert int(v["BANDWIDTH"]) > 0 and int(v["AVERAGE-BANDWIDTH"]) <= int(v["BANDWIDTH"])
            assert v["CODECS"].startswith("avc1.64")
            assert ("mp4a.40.2" in v["CODECS"]) == asset.has_audio
            assert min(w, h) <= min(video["width"], video["height"]), "no rung above the source"
            assert (h > w) == (video["height"] > video["width"]), "orientation kept"
            folder = out / Path(v["uri"]).parent
            playlist = (folder / "index.m3u8").read_text()
            assert "#EXT-X-VERSION:7" in playlist and '#EXT-X-MAP:URI="init.mp4"' in playlist
            segments = parse_playlist(playlist)
            starts, t = [], 0.0
            for duration, _uri in segments:
                starts.append(round(t, 3))
                t += duration
            assert abs(t - source["duration"]) <= 0.1 + 1 / 24, (t, source["duration"])
            boundaries.append(starts)
            info = ff.video_stream_info(folder / "index.m3u8")
            assert (info["width"], info["height"]) == (w, h)
            # Each segment, joined to the init segment, must open on a keyframe.
            init = (folder / "init.mp4").read_bytes()
            for _duration, uri in segments:
                joined = Path(tmp) / "joined.mp4"
                joined.write_bytes(init + (folder / uri).read_bytes())
                first = ff.frames(joined)[0]
                assert first["key_frame"] == 1, (v["uri"], uri)
        assert all(b == boundaries[0] for b in boundaries), "every rung cuts at the same instants"
        if asset.has_audio:
            assert "#EXT-X-MEDIA:TYPE=AUDIO" in master
            assert not any("audio/" in v["uri"] for v in variants), "audio-only is not an automatic variant"
            audio = ff.summarize(ff.probe(out / "audio.m4a"))
            assert abs(audio["duration"] - source["duration"]) <= 0.1
            a = ff.first_stream(audio, "audio")
            assert a["codec_name"] == "aac" and a["channels"] == 1
        poster = Image.open(out / "poster.jpg").convert("L")
        assert ImageStat.Stat(poster).mean[0] > 20, "the poster is not black"
        mp4 = ff.summarize(ff.probe(out / Path(encode.mp4).name))
        assert abs(mp4["duration"] - source["duration"]) <= 0.1 + 1 / 24
        assert (out / Path(encode.mp4).name).read_bytes()[4:8] == b"ftyp"
        head = (out / Path(encode.mp4).name).read_bytes()[:200_000]
        assert head.find(b"moov") < head.find(b"mdat") or head.find(b"mdat") == -1, "faststart: moov first"
        # Storyboard: one cue per tile, each inside the sprite.
        vtt = (out / "storyboard.vtt").read_text()
        sprite = Image.open(out / "storyboard.jpg")
        cues = re.findall(r"storyboard\.jpg#xywh=(\d+),(\d+),(\d+),(\d+)", vtt)
        plan_count = len(cues)
        assert plan_count >= 1
        for x, y, w, h in (tuple(map(int, c)) for c in cues):
            assert x + w <= sprite.width and y + h <= sprite.height
        last_end = re.findall(r"--> (\d\d):(\d\d):(\d\d)\.(\d{3})", vtt)[-1]
        end = int(last_end[0]) * 3600 + int(last_end[1]) * 60 + int(last_end[2]) + int(last_end[3]) / 1000
        assert abs(end - source["duration"]) <= 0.1
    return {"variants": variants, "boundaries": boundaries[0], "source": source}
