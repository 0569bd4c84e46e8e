"""Helper process of ``test_watchdog.py``: uploads a clip, then runs the watchdog every
half second as cron would, printing one JSON line per run, until the recording is
ready or failed, its standard input closes, or 150 s have passed.

Run as ``python tests/media_pipeline/watchdog_run.py <clip>`` with
``DJANGO_SETTINGS_MODULE=tests.media_pipeline.worker_settings``.
"""

import io
import json
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))


def main(clip: str) -> None:
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.files import File
    from django.core.management import call_command

    from media_pipeline.models import Encode, MediaAsset, MediaStatus
    from media_pipeline.services import asset_create

    user = get_user_model().objects.create_user(email="trainer@example.ma", password="x")  # noqa: S106
    with open(clip, "rb") as handle:
        asset = asset_create(user=user, file=File(handle, name=Path(clip).name), filename=Path(clip).name)
    print(json.dumps({"asset": asset.pk}), flush=True)
    closed = threading.Event()
    threading.Thread(target=lambda: (sys.stdin.read(), closed.set()), daemon=True).start()
    # A watchdog that re-queues a job forever (the defect these tests catch) must not hang the test.
    deadline = time.monotonic() + 150
    while not closed.is_set() and time.monotonic() < deadline:
        out = io.StringIO()
        call_command("media_watchdog", stdout=out)
        row = MediaAsset.objects.get(pk=asset.pk)
        encode = Encode.objects.filter(asset=row).order_by("-pk").first()
        print(
            json.dumps(
                {
                    "t": time.monotonic(),
                    "watchdog": out.getvalue().strip(),
                    "status": row.status,
                    "progress": row.progress,
                    "attempts": row.attempts,
                    # getattr: the same helper runs against code from before heartbeats (to see the tests fail).
                    "heartbeat": str(getattr(encode, "heartbeat_at", None)),
                    "workdir": getattr(encode, "workdir", ""),
                    "encode_status": encode.status if encode else "",
                }
            ),
            flush=True,
        )
        if row.status in (MediaStatus.READY, MediaStatus.FAILED):
            return
        time.sleep(0.5)


if __name__ == "__main__":
    main(sys.argv[1])
