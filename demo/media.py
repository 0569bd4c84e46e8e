"""Generated media for the demo: test-pattern clips, made by ``media_pipeline.ffmpeg`` (the one
place that runs ffmpeg)."""

import tempfile
from pathlib import Path

from media_pipeline import ffmpeg


def clip(
    *, seconds: int, size: str = "640x360", pattern: str = "testsrc2", tone: int = 330, crf: int | None = None
) -> bytes | None:
    """An MP4 test pattern with a tone, ``seconds`` long; None when ffmpeg is missing."""
    if ffmpeg.binary("FFMPEG") is None:
        return None
    quality = ["-crf", str(crf)] if crf is not None else []
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "clip.mp4"
        ffmpeg.run_quiet(
            [
                "-v",
                "error",
                "-f",
                "lavfi",
                "-i",
                f"{pattern}=size={size}:rate=25:duration={seconds}",
                "-f",
                "lavfi",
                "-i",
                f"sine=frequency={tone}:duration={seconds}",
                "-c:v",
                "libx264",
                "-preset",
                "veryfast",
                *quality,
                "-pix_fmt",
                "yuv420p",
                "-c:a",
                "aac",
                "-b:a",
                "64k",
                "-shortest",
                "-movflags",
                "+faststart",
                str(path),
            ]
        )
        return path.read_bytes()
