"""Transcode benchmark: the pipeline's one-decode ladder vs ffmpeg's floor vs one process per rung.

    .venv/bin/python benchmarks/transcode.py [--seconds 60] [--only floor,pipeline]

Generates a 1080p30 clip, then times in one run: (1) the pipeline (probe, one ffmpeg
with `split`, MP4/audio remux, playlists), (2) the floor: one hand-written ffmpeg
command producing the same HLS rungs, audio, poster and storyboard, (3) the naive
way: one ffmpeg process per output, each decoding the source again. Prints each
rung's bitrate and SSIM against the source. Each is timed in wall-clock seconds and in the
CPU seconds of its ffmpeg processes, with the load average beside it: on a shared machine
the CPU ratio holds when the wall clock waits for a core. ``--only`` runs a subset (the
floor and the pipeline give the ratio the goal is about).
"""

import argparse
import os
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django  # noqa: E402

django.setup()

from media_pipeline import ffmpeg as ff  # noqa: E402
from media_pipeline import ladder  # noqa: E402
from media_pipeline.services.publishing import finish_outputs as _finish_outputs  # noqa: E402

FFMPEG = ["ffmpeg", "-hide_banner", "-nostdin", "-y", "-v", "error"]


def sh(args: list[str]) -> str:
    done = subprocess.run(args, capture_output=True, text=True, check=True)
    return done.stderr


def timed(fn) -> tuple[float, float]:
    """Wall-clock and child-process CPU seconds of ``fn()``."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.monotonic()
    fn()
    wall = time.monotonic() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)


def load() -> str:
    return "/".join(f"{v:.1f}" for v in os.getloadavg())


def make_source(path: Path, seconds: int) -> None:
    # A moving test pattern with noise, so the encoder has real work (like a camera's grain).
    sh([*FFMPEG, "-f", "lavfi", "-i", f"testsrc2=size=1920x1080:rate=30:duration={seconds}",
        "-f", "lavfi", "-i", f"sine=frequency=300:sample_rate=48000:duration={seconds}",
        "-vf", "noise=alls=12:allf=t", "-c:v", "libx264", "-preset", "ultrafast", "-b:v", "16M",
        "-c:a", "aac", "-b:a", "128k", "-shortest", str(path)])


def hls_opts(out: Path, folder: str) -> list[str]:
    return ["-f", "hls", "-hls_time", "6", "-hls_playlist_type", "vod", "-hls_segment_type", "fmp4",
            "-hls_fmp4_init_filename", "init.mp4", "-hls_segment_filename", str(out / folder / "seg_%05d.m4s"),
            str(out / folder / "index.m3u8")]


RUNGS = [(256, 144, 150), (426, 240, 300), (640, 360, 600), (854, 480, 1000), (1280, 720, 2000)]
X264 = ["-c:v", "libx264", "-preset", "veryfast", "-profile:v", "high", "-crf", "23", "-g", "60", "-keyint_min", "60",
        "-sc_threshold", "0"]


def floor(src: Path, out: Path) -> None:
    """One ffmpeg command written by hand: the least any ladder with these outputs can cost."""
    for folder in ["audio"] + [f"{h}p" for _, h, _ in RUNGS]:
        (out / folder).mkdir(parents=True, exist_ok=True)
    graph = ("[0:v]split=7[a][b][c][d][e][p][s];" + ";".join(
        f"[{x}]scale={w}:{h}[v{h}]" for x, (w, h, _) in zip("abcde", RUNGS, strict=True))
        + ";[p]trim=start=6,setpts=PTS-STARTPTS,scale=854:480,thumbnail=50[poster]"
        + ";[s]fps=1/2:round=down,scale=160:90,tile=10x3[sb]")
    args = [*FFMPEG, "-i", str(src), "-filter_complex", graph]
    for _, h, rate in RUNGS:
        args += ["-map", f"[v{h}]", "-an", *X264, "-maxrate", f"{rate}k", "-bufsize", f"{2 * rate}k", *hls_opts(out, f"{h}p")]
    args += ["-map", "0:a", "-vn", "-c:a", "aac", "-b:a", "48k", "-ac", "1", *hls_opts(out, "audio")]
    args += ["-map", "[poster]", "-frames:v", "1", "-update", "1", str(out / "poster.jpg")]
    args += ["-map", "[sb]", "-frames:v", "1", "-update", "1", str(out / "storyboard.jpg")]
    sh(args)


def naive(src: Path, out: Path) -> None:
    """One ffmpeg per output, each decoding the 1080p source again (what PeerTube-style pipelines do)."""
    for w, h, rate in RUNGS:
        (out / f"{h}p").mkdir(parents=True, exist_ok=True)
        sh([*FFMPEG, "-i", str(src), "-an", "-vf", f"scale={w}:{h}", *X264, "-maxrate", f"{rate}k",
            "-bufsize", f"{2 * rate}k", *hls_opts(out, f"{h}p")])
    (out / "audio").mkdir(parents=True, exist_ok=True)
    sh([*FFMPEG, "-i", str(src), "-vn", "-c:a", "aac", "-b:a", "48k", "-ac", "1", *hls_opts(out, "audio")])
    sh([*FFMPEG, "-ss", "6", "-i", str(src), "-vf", "scale=854:480,thumbnail=50", "-frames:v", "1", str(out / "poster.jpg")])
    sh([*FFMPEG, "-i", str(src), "-vf", "fps=1/2:round=down,scale=160:90,tile=10x3", "-frames:v", "1",
        "-update", "1", str(out / "storyboard.jpg")])


def pipeline(src: Path, out: Path) -> ladder.Plan:
    summary = ff.summarize(ff.probe(src))
    p = ladder.plan(summary)
    ff.run(ladder.command(src, out, p))
    _finish_outputs(out, p)
    return p


def pipeline_two_passes(src: Path, out: Path) -> tuple[float, float]:
    """The pipeline's "low rungs first" mode (long recordings): seconds until the first
    pass (audio to 360p, poster, storyboard, MP4) is ready to publish, and in all."""
    from media_pipeline.conf import setting

    start = time.monotonic()
    first, second = ladder.split_plan(ladder.plan(ff.summarize(ff.probe(src))), setting("EARLY_PUBLISH_MAX_HEIGHT"))
    ff.run(ladder.command(src, out, first))
    outputs = _finish_outputs(out, first, master="master-early.m3u8")
    watchable = time.monotonic() - start
    ff.run(ladder.command(src, out, second))
    _finish_outputs(out, second, previous=outputs)
    return watchable, time.monotonic() - start


def ssim(rung_playlist: Path, src: Path) -> float:
    log = sh(["ffmpeg", "-hide_banner", "-nostdin", "-i", str(rung_playlist), "-i", str(src), "-lavfi",
              "[0:v]scale=1920:1080:flags=bicubic[a];[a][1:v]ssim", "-f", "null", "-"])
    match = re.search(r"All:([0-9.]+)", log)
    return float(match.group(1)) if match else float("nan")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--only", default="floor,pipeline,naive,two-passes,ssim",
                        help="comma-separated: floor, pipeline, naive, two-passes, ssim")
    args = parser.parse_args()
    only = set(args.only.split(","))
    with tempfile.TemporaryDirectory(prefix="takwin-bench-") as tmp:
        tmp = Path(tmp)
        src = tmp / "source-1080p.mp4"
        print(f"generating a {args.seconds} s 1080p30 source ...", flush=True)
        make_source(src, args.seconds)
        print(f"source: {src.stat().st_size / 1e6:.1f} MB, {src.stat().st_size * 8 / args.seconds / 1e6:.1f} Mbit/s")
        print(f"load average {load()} ({os.cpu_count()} cores)")
        wall, cpu = {}, {}
        plan_holder = {}
        for name, fn in (("floor", floor), ("pipeline", None), ("naive", naive)):
            if name not in only:
                continue
            out = tmp / name
            out.mkdir()
            if name == "pipeline":
                wall[name], cpu[name] = timed(lambda out=out: plan_holder.setdefault("p", pipeline(src, out)))
            else:
                wall[name], cpu[name] = timed(lambda fn=fn, out=out: fn(src, out))
            print(f"{name:9s} {wall[name]:7.2f} s wall, {cpu[name]:7.2f} s CPU (load average after: {load()})", flush=True)
        for a, b, goal in (("pipeline", "floor", "<= 1.10"), ("naive", "pipeline", ">= 1.25"), ("naive", "floor", "")):
            if a in wall and b in wall:
                print(f"{a} / {b} = {wall[a] / wall[b]:.3f} wall, {cpu[a] / cpu[b]:.3f} CPU" + (f"  (goal {goal})" if goal else ""))
        if "two-passes" in only and "pipeline" in wall:
            (tmp / "two-passes").mkdir()
            watchable, total = pipeline_two_passes(src, tmp / "two-passes")
            print(f"\nlow rungs first (two passes, used from EARLY_PUBLISH_SECONDS): watchable after {watchable:.2f} s "
                  f"({watchable / wall['pipeline']:.2f} x one pass), complete after {total:.2f} s "
                  f"({total / wall['pipeline']:.2f} x one pass)", flush=True)
        if "ssim" in only and "pipeline" in wall:
            print("\nrung     size      avg kbit/s  peak kbit/s  SSIM vs source")
            out = tmp / "pipeline"
            p = plan_holder["p"]
            for rung in p.rungs:
                peak, avg, size = ladder.bandwidth(out / rung.spec)
                print(f"{rung.spec:6s} {rung.width}x{rung.height:<5d} {avg / 1000:9.0f} {peak / 1000:11.0f}"
                      f"  {ssim(out / rung.spec / 'index.m3u8', src):.4f}", flush=True)
            peak, avg, size = ladder.bandwidth(out / "audio")
            print(f"audio  mono AAC   {avg / 1000:9.0f} {peak / 1000:11.0f}")


if __name__ == "__main__":
    main()
