"""Plans the one-decode ladder for a probed source and writes the playlists around it.

One ffmpeg process decodes the source once; ``split`` feeds every rung, the poster
and the storyboard. Keyframes are forced every ``KEYFRAME_SECONDS`` with scene-cut
keyframes off, so every rung cuts its segments at the same instants.
"""

import math
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path

from .conf import setting
from .ffmpeg import first_stream

# Work folder of the storyboard's tiles (removed once they are put together).
STORYBOARD_TILES = "storyboard-tiles"


class PlanError(ValueError):
    """The source cannot be encoded (no stream, absurd size or duration)."""


@dataclass
class Rung:
    spec: str
    width: int
    height: int
    maxrate_k: int


@dataclass
class Storyboard:
    interval: int
    count: int
    columns: int
    rows: int
    tile_width: int
    tile_height: int


@dataclass
class Plan:
    duration: float
    fps: Fraction | None
    rungs: list[Rung] = field(default_factory=list)
    audio: bool = False
    storyboard: Storyboard | None = None
    poster_size: tuple[int, int] = (1280, 720)
    poster: bool = True

    @property
    def has_video(self) -> bool:
        return bool(self.rungs)


def _even(value: float) -> int:
    return max(2, int(round(value / 2)) * 2)


def output_fps(source_fps: float) -> Fraction:
    """Constant output rate: the source's, halved or capped to stay at most ``MAX_FPS``."""
    cap = setting("MAX_FPS")
    if source_fps <= 0:
        return Fraction(cap)
    rate = Fraction(source_fps).limit_denominator(1001)
    if rate <= cap:
        return rate
    half = rate / 2
    return half if half <= cap else Fraction(cap)


def plan(summary: dict) -> Plan:
    """Choose rungs, rate, poster and storyboard for a probed source, or raise PlanError."""
    video = first_stream(summary, "video")
    audio = first_stream(summary, "audio")
    duration = float(summary.get("duration") or 0)
    if not video and not audio:
        raise PlanError("no audio or video stream")
    if not duration or duration <= 0 or not math.isfinite(duration):
        raise PlanError("unknown or zero duration")
    if duration > setting("MAX_DURATION"):
        raise PlanError(f"too long ({duration:.0f} s)")
    result = Plan(duration=duration, fps=None, audio=audio is not None)
    if not video:
        return result
    width, height = video["width"], video["height"]
    if width < 16 or height < 16:
        raise PlanError(f"dimensions too small ({width}x{height})")
    if max(width, height) > setting("MAX_DIMENSION") or width * height > setting("MAX_PIXELS"):
        raise PlanError(f"dimensions too large ({width}x{height})")
    fps = video.get("r_frame_rate") or 0
    if not 0 < fps <= 240:
        fps = video.get("avg_frame_rate") or 0
    result.fps = output_fps(fps)
    short = min(width, height)
    portrait = height > width
    steps = [(h, rate) for h, rate in setting("LADDER") if h <= short]
    if not steps:
        first = setting("LADDER")[0]
        steps = [(_even(short) if short % 2 else short, first[1])]
    for side, rate in steps:
        if portrait:
            w, h = side, _even(height * side / width)
        else:
            w, h = _even(width * side / height), side
        result.rungs.append(Rung(spec=f"{side}p", width=w, height=h, maxrate_k=rate))
    poster_h = min(480, short)
    result.poster_size = (
        (poster_h, _even(height * poster_h / width)) if portrait else (_even(width * poster_h / height), poster_h)
    )
    interval = max(setting("STORYBOARD_MIN_INTERVAL"), math.ceil(duration / setting("STORYBOARD_MAX_TILES")))
    count = max(1, math.ceil(duration / interval))
    columns = min(setting("STORYBOARD_COLUMNS"), count)
    tile_w = setting("STORYBOARD_TILE_WIDTH")
    result.storyboard = Storyboard(
        interval=interval, count=count, columns=columns, rows=math.ceil(count / columns),
        tile_width=tile_w, tile_height=_even(tile_w * height / width),
    )
    return result


def split_plan(p: Plan, max_height: int) -> tuple[Plan, Plan | None]:
    """Two passes for "low rungs first": the first makes audio, the rungs up to
    ``max_height`` (short side), the poster and the storyboard, so the recording can be
    published early; the second makes the higher rungs. None when nothing is left
    for a second pass. Both passes force keyframes at the same instants, so every
    rung still cuts its segments alike.
    """
    low = [r for r in p.rungs if int(r.spec[:-1]) <= max_height]
    high = [r for r in p.rungs if int(r.spec[:-1]) > max_height]
    if not high or not low:
        return p, None
    first = Plan(duration=p.duration, fps=p.fps, rungs=low, audio=p.audio, storyboard=p.storyboard,
                 poster_size=p.poster_size)
    second = Plan(duration=p.duration, fps=p.fps, rungs=high, audio=False, storyboard=None,
                  poster_size=p.poster_size)
    second.poster = False
    return first, second


def _hls(folder: str, out: Path) -> list[str]:
    seconds = setting("SEGMENT_SECONDS")
    return [
        "-f", "hls", "-hls_time", str(seconds), "-hls_playlist_type", "vod",
        "-hls_segment_type", "fmp4", "-hls_fmp4_init_filename", "init.mp4",
        "-hls_flags", "independent_segments",
        "-hls_segment_filename", str(out / folder / "seg_%05d.m4s"), str(out / folder / "index.m3u8"),
    ]


def command(source: str | Path, out: Path, p: Plan) -> list[str]:
    """ffmpeg arguments producing every output of ``p`` into ``out`` in one process."""
    out = Path(out)
    args = ["-i", str(source)]
    filters, maps = [], []
    if p.has_video:
        branches = len(p.rungs) + (1 if p.poster else 0) + (1 if p.storyboard else 0)
        labels = [f"s{i}" for i in range(branches)]
        filters.append(
            f"[0:v:0]fps={p.fps.numerator}/{p.fps.denominator},format=yuv420p,"
            f"split={branches}" + "".join(f"[{label}]" for label in labels)
        )
        gop = max(1, round(float(p.fps) * setting("KEYFRAME_SECONDS")))
        keyframes = f"expr:gte(t,n_forced*{setting('KEYFRAME_SECONDS')})"
        for i, rung in enumerate(p.rungs):
            filters.append(f"[s{i}]scale={rung.width}:{rung.height}:flags=bicubic,setsar=1[v{i}]")
            (out / rung.spec).mkdir(parents=True, exist_ok=True)
            maps += [
                "-map", f"[v{i}]", "-an", "-c:v", "libx264", "-preset", setting("PRESET"),
                "-profile:v", "high", "-crf", str(setting("CRF")),
                "-maxrate", f"{rung.maxrate_k}k", "-bufsize", f"{rung.maxrate_k * 2}k",
                "-g", str(gop), "-keyint_min", str(gop), "-sc_threshold", "0",
                "-force_key_frames", keyframes, *_hls(rung.spec, out),
            ]
        n = len(p.rungs)
        if p.poster:
            # The poster skips the opening (often black) and lets `thumbnail` pick a representative frame.
            skip = min(p.duration * 0.1, 10)
            pw, ph = p.poster_size
            filters.append(
                f"[s{n}]trim=start={skip:.3f},setpts=PTS-STARTPTS,scale={pw}:{ph},thumbnail=50[poster]"
            )
            maps += ["-map", "[poster]", "-frames:v", "1", "-q:v", "3", "-update", "1", str(out / "poster.jpg")]
            n += 1
        if p.storyboard:
            # One small JPEG per tile, put together by ``storyboard_command`` afterwards: a `tile`
            # filter here would emit its only frame at the end, and ffmpeg reports no progress
            # at all until every output has received its first frame.
            sb = p.storyboard
            filters.append(f"[s{n}]fps=1/{sb.interval}:round=down,scale={sb.tile_width}:{sb.tile_height}[sb]")
            (out / STORYBOARD_TILES).mkdir(parents=True, exist_ok=True)
            maps += ["-map", "[sb]", "-frames:v", str(sb.count), "-q:v", "5", "-f", "image2",
                     str(out / STORYBOARD_TILES / "%05d.jpg")]
    if p.audio:
        (out / "audio").mkdir(parents=True, exist_ok=True)
        maps += [
            "-map", "0:a:0", "-vn", "-c:a", "aac", "-b:a", f"{setting('AUDIO_BITRATE_K')}k", "-ac", "1",
            "-ar", "48000", *_hls("audio", out),
        ]
    if filters:
        args += ["-filter_complex", ";".join(filters)]
    return args + maps


def storyboard_command(out: Path, sb: Storyboard) -> list[str]:
    """ffmpeg arguments assembling the tiles written by ``command`` into ``storyboard.jpg``."""
    return [
        "-framerate", "1", "-i", str(Path(out) / STORYBOARD_TILES / "%05d.jpg"),
        "-vf", f"tile={sb.columns}x{sb.rows}", "-frames:v", "1", "-q:v", "5", "-update", "1",
        str(Path(out) / "storyboard.jpg"),
    ]


def waveform_command(out: Path) -> list[str]:
    """ffmpeg arguments drawing an audio lesson's poster (its waveform) from the encoded audio.

    Drawn after the encode rather than in it: ``showwavespic`` emits its picture at the
    end of the stream, and ffmpeg reports no progress until every output has started.
    The low-rate copy bounds memory.
    """
    out = Path(out)
    return [
        "-i", str(out / "audio" / "index.m3u8"), "-filter_complex",
        "[0:a:0]aformat=channel_layouts=mono,aresample=2000,showwavespic=s=1280x720:colors=0x1d6b57[poster]",
        "-map", "[poster]", "-frames:v", "1", "-q:v", "3", "-update", "1", str(out / "poster.jpg"),
    ]


def storyboard_vtt(sb: Storyboard, duration: float, image_name: str) -> str:
    """WebVTT cues pointing at each storyboard tile with a ``#xywh`` fragment."""

    def stamp(t: float) -> str:
        ms = int(round(t * 1000))
        h, rem = divmod(ms, 3_600_000)
        m, rem = divmod(rem, 60_000)
        s, ms = divmod(rem, 1000)
        return f"{h:02d}:{m:02d}:{s:02d}.{ms:03d}"

    lines = ["WEBVTT", ""]
    for i in range(sb.count):
        start, end = i * sb.interval, min((i + 1) * sb.interval, duration)
        x, y = (i % sb.columns) * sb.tile_width, (i // sb.columns) * sb.tile_height
        lines += [f"{stamp(start)} --> {stamp(end)}", f"{image_name}#xywh={x},{y},{sb.tile_width},{sb.tile_height}", ""]
    return "\n".join(lines)


def parse_playlist(text: str) -> list[tuple[float, str]]:
    """(duration, uri) of each segment of a media playlist."""
    segments, pending = [], None
    for line in text.splitlines():
        line = line.strip()
        if line.startswith("#EXTINF:"):
            pending = float(line[len("#EXTINF:"):].split(",")[0])
        elif line and not line.startswith("#") and pending is not None:
            segments.append((pending, line))
            pending = None
    return segments


def codecs_for(stream: dict) -> str:
    """RFC 6381 codec string (``avc1.PPCCLL``) from ffprobe's profile and level."""
    profiles = {"Baseline": (0x42, 0x00), "Constrained Baseline": (0x42, 0xE0), "Main": (0x4D, 0x40), "High": (0x64, 0x00)}
    profile, constraint = profiles.get(stream.get("profile", "High"), (0x64, 0x00))
    level = int(stream.get("level") or 31)
    return f"avc1.{profile:02x}{constraint:02x}{level:02x}"


AUDIO_CODECS = "mp4a.40.2"


def bandwidth(folder: Path) -> tuple[int, int, int]:
    """(peak, average) bits per second of a rung's segments, and its total bytes."""
    segments = parse_playlist((folder / "index.m3u8").read_text())
    total_bytes, total_time, peak = 0, 0.0, 0
    init = folder / "init.mp4"
    init_size = init.stat().st_size if init.exists() else 0
    for duration, uri in segments:
        size = (folder / uri).stat().st_size
        total_bytes += size
        total_time += duration
        if duration > 0:
            peak = max(peak, int(size * 8 / duration))
    average = int(total_bytes * 8 / total_time) if total_time else 0
    return peak, average, total_bytes + init_size


def master_playlist(variants: list[dict], audio: dict | None, subtitles: list[str] | None = None) -> str:
    """The master playlist: video variants low to high, each tied to the audio group
    and, when ``subtitles`` holds ``#EXT-X-MEDIA:TYPE=SUBTITLES`` lines, to the
    ``subs`` group.

    The audio-only rendition is not a variant, so adaptive players never fall to it
    on their own: the player offers it as the "data saver" choice.
    """
    lines = ["#EXTM3U", "#EXT-X-VERSION:7", "#EXT-X-INDEPENDENT-SEGMENTS"]
    subtitles = subtitles if variants else []
    lines += subtitles or []
    if audio and variants:
        lines.append(
            '#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID="audio",NAME="audio",DEFAULT=YES,AUTOSELECT=YES,'
            f'CHANNELS="1",URI="{audio["uri"]}"'
        )
    for v in variants:
        attrs = [
            f"BANDWIDTH={v['bandwidth'] + (audio['bandwidth'] if audio else 0)}",
            f"AVERAGE-BANDWIDTH={v['average_bandwidth'] + (audio['average_bandwidth'] if audio else 0)}",
            f"RESOLUTION={v['width']}x{v['height']}",
            f'CODECS="{v["codecs"]}{"," + AUDIO_CODECS if audio else ""}"',
            f"FRAME-RATE={v['frame_rate']:.3f}",
        ]
        if audio:
            attrs.append('AUDIO="audio"')
        if subtitles:
            attrs.append('SUBTITLES="subs"')
        lines += ["#EXT-X-STREAM-INF:" + ",".join(attrs), v["uri"]]
    if audio and not variants:
        lines += [
            f'#EXT-X-STREAM-INF:BANDWIDTH={audio["bandwidth"]},AVERAGE-BANDWIDTH={audio["average_bandwidth"]},'
            f'CODECS="{AUDIO_CODECS}"',
            audio["uri"],
        ]
    return "\n".join(lines) + "\n"
