"""What an encode leaves behind: derived files, the upload order, and the switch of the
asset to the new encode (or what is kept when an encode stops half-way)."""

import shutil
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from .. import ffmpeg as ff
from .. import get_media_model, ladder
from ..conf import setting
from ..models import Encode, MediaStatus, Rendition
from ..storage import delete_names, list_prefix
from .upload import schedule_file_deletion


def finish_outputs(out: Path, p: ladder.Plan, *, master: str = "master.m3u8", previous: dict | None = None) -> dict:
    """Derive the MP4, audio file, posters, storyboard and master playlist; return what to store.

    ``previous`` holds the first pass's outputs in a two-pass encode: its variants,
    audio and files are kept, and the master (under a new name) lists every rung.
    """
    if previous is not None:
        result = {**previous, "variants": list(previous["variants"])}
        for rung in p.rungs:
            result["variants"].append(_variant(out, rung, p))
        (out / master).write_text(ladder.master_playlist(result["variants"], result["audio"]))
        result["master"] = master
        return result
    result = {"variants": [], "audio": None, "master": master}
    if p.audio:
        peak, avg, size = ladder.bandwidth(out / "audio")
        result["audio"] = {"uri": "audio/index.m3u8", "bandwidth": peak, "average_bandwidth": avg, "size": size}
        ff.run(
            ["-i", str(out / "audio" / "index.m3u8"), "-c", "copy", "-movflags", "+faststart", str(out / "audio.m4a")]
        )
    for rung in p.rungs:
        result["variants"].append(_variant(out, rung, p))
    if p.rungs:
        result["mp4"] = _mp4(out, p)
    _pictures(out, p)
    (out / master).write_text(ladder.master_playlist(result["variants"], result["audio"]))
    return result


def _mp4(out: Path, p: ladder.Plan) -> str:
    """Remux the rung nearest ``MP4_HEIGHT`` with the audio into one progressive MP4."""
    target = setting("MP4_HEIGHT")
    rung = max((r for r in p.rungs if int(r.spec[:-1]) <= target), key=lambda r: int(r.spec[:-1]), default=p.rungs[0])
    args = ["-i", str(out / rung.spec / "index.m3u8")]
    if p.audio:
        args += ["-i", str(out / "audio" / "index.m3u8"), "-map", "0:v:0", "-map", "1:a:0"]
    ff.run([*args, "-c", "copy", "-movflags", "+faststart", str(out / f"video-{rung.spec}.mp4")])
    return f"video-{rung.spec}.mp4"


def _pictures(out: Path, p: ladder.Plan) -> None:
    """An audio lesson's waveform poster and the storyboard sheet, drawn after the encode
    (see ``ladder.waveform_command`` and ``ladder.storyboard_command`` for why)."""
    if p.audio and not p.has_video and p.poster:
        ff.run(ladder.waveform_command(out))
    tiles = out / ladder.STORYBOARD_TILES
    if p.storyboard and tiles.is_dir() and any(tiles.iterdir()):
        ff.run(ladder.storyboard_command(out, p.storyboard))
        (out / "storyboard.vtt").write_text(ladder.storyboard_vtt(p.storyboard, p.duration, "storyboard.jpg"))
    shutil.rmtree(tiles, ignore_errors=True)


def _variant(out: Path, rung: ladder.Rung, p: ladder.Plan) -> dict:
    peak, avg, size = ladder.bandwidth(out / rung.spec)
    info = ff.video_stream_info(out / rung.spec / "index.m3u8")
    return {
        "spec": rung.spec,
        "uri": f"{rung.spec}/index.m3u8",
        "width": int(info.get("width") or rung.width),
        "height": int(info.get("height") or rung.height),
        "bandwidth": peak,
        "average_bandwidth": avg,
        "codecs": ladder.codecs_for(info),
        "frame_rate": float(p.fps),
        "size": size,
    }


def upload_order(out: Path, p: ladder.Plan, master: str, skip: set[str] = frozenset()) -> list[Path]:
    """Low rungs first, the master playlist last: a half-stored encode is never playable.
    ``skip`` names files a first pass already stored."""
    ordered: list[Path] = []
    folders = (["audio"] if p.audio else []) + [r.spec for r in p.rungs]
    for folder in folders:
        files = sorted((out / folder).iterdir())
        ordered += [f for f in files if f.name != "index.m3u8"] + [out / folder / "index.m3u8"]
    for extra in sorted(out.iterdir()):
        if extra.is_file() and extra.name != master and extra.name not in skip and not extra.name.startswith("master"):
            ordered.append(extra)
    ordered.append(out / master)
    return ordered


def keep_early(encode: Encode) -> None:
    """A second pass that stopped leaves the published low rungs playable: the encode
    keeps only what its first pass stored, and files of the unfinished pass go."""
    encode.refresh_from_db()
    kept = set(encode.files)
    extra = [name for name in list_prefix(encode.prefix) if name not in kept]
    delete_names(extra)
    Encode.objects.filter(pk=encode.pk).update(status=Encode.Status.PARTIAL, finished_at=timezone.now())


def abandon(encode: Encode, stored: list[str], status: str = Encode.Status.ABANDONED) -> None:
    """An encode that stopped before publishing anything: its stored files go."""
    Encode.objects.filter(pk=encode.pk).update(status=status, finished_at=timezone.now())
    delete_names(stored)


def _renditions(asset, encode: Encode, outputs: dict) -> list[Rendition]:
    prefix = encode.prefix
    rows = []
    if outputs.get("audio"):
        a = outputs["audio"]
        rows.append(
            Rendition(
                asset=asset,
                encode=encode,
                spec="audio",
                playlist=f"{prefix}/{a['uri']}",
                bandwidth=a["bandwidth"],
                average_bandwidth=a["average_bandwidth"],
                codecs=ladder.AUDIO_CODECS,
                size=a["size"],
            )
        )
    for v in outputs["variants"]:
        rows.append(
            Rendition(
                asset=asset,
                encode=encode,
                spec=v["spec"],
                playlist=f"{prefix}/{v['uri']}",
                width=v["width"],
                height=v["height"],
                bandwidth=v["bandwidth"],
                average_bandwidth=v["average_bandwidth"],
                codecs=v["codecs"],
                size=v["size"],
                frame_rate=v["frame_rate"],
            )
        )
    return rows


@transaction.atomic
def publish(
    *, asset_id: int, encode: Encode, outputs: dict, stored: list[str], wall: float, final: bool = True
) -> None:
    """Point the asset at the new encode, atomically, and drop the previous one after commit.

    A first pass (``final=False``) publishes the low rungs while the asset stays
    ``processing``; the final call adds the high rungs and marks it ready.
    """
    Asset = get_media_model()
    asset = Asset.objects.select_for_update().get(pk=asset_id)
    if asset.status != MediaStatus.PROCESSING:
        raise ff.Cancelled()
    prefix = encode.prefix
    encode.files = list(stored)
    encode.master = f"{prefix}/{outputs['master']}"
    encode.poster = f"{prefix}/poster.jpg" if f"{prefix}/poster.jpg" in stored else ""
    encode.storyboard_image = f"{prefix}/storyboard.jpg" if f"{prefix}/storyboard.vtt" in stored else ""
    encode.storyboard_vtt = f"{prefix}/storyboard.vtt" if encode.storyboard_image else ""
    encode.mp4 = f"{prefix}/{outputs['mp4']}" if outputs.get("mp4") else ""
    encode.audio = f"{prefix}/audio.m4a" if outputs.get("audio") else ""
    encode.status = Encode.Status.DONE if final else Encode.Status.PARTIAL
    encode.wall_seconds = round(wall, 3)
    encode.finished_at = timezone.now()
    encode.save()
    previous = asset.current_encode
    Rendition.objects.filter(asset=asset).delete()
    Rendition.objects.bulk_create(_renditions(asset, encode, outputs))
    asset.current_encode = encode
    fields = ["current_encode", "progress_at"]
    asset.progress_at = timezone.now()
    if final:
        asset.status = MediaStatus.READY
        asset.progress = 100
        asset.eta_seconds = 0
        fields += ["status", "progress", "eta_seconds"]
    asset.save(update_fields=fields)
    if previous and previous.pk != encode.pk:
        schedule_file_deletion(previous.files)
