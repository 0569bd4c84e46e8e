"""The watchdog: jobs whose worker died are queued again, and what they left is cleaned.

A job is dead when its encode's heartbeat (see ``services.encoding``) is older than
``STALL_SECONDS``, or at once when its worker ran on this machine and that process is
gone. How long ffmpeg stays quiet is no evidence either way: a long encode with a live
worker is never touched.
"""

import shutil
import socket
import uuid
from datetime import timedelta
from pathlib import Path

from django.apps import apps
from django.db import transaction
from django.utils import timezone

from processes import pid_alive

from .. import get_media_model
from ..conf import setting
from ..models import Encode, MediaStatus
from ..storage import delete_prefix
from .encoding import WORKDIR_PREFIX
from .publishing import keep_early
from .upload import asset_enqueue


class WorkerDied(Exception):
    """Recorded on the task row of a job whose worker the watchdog found dead."""


def worker_gone(worker: str) -> bool:
    """True when ``worker`` (``host:pid``) ran on this machine and its process is gone.
    A worker on another machine cannot be checked so: its heartbeat decides."""
    host, _, pid = (worker or "").rpartition(":")
    if host != socket.gethostname() or not pid.isdigit():
        return False
    return not pid_alive(int(pid))


def _dead(asset, encode: Encode | None, limit) -> bool:
    if encode is None:
        # No encode claimed (a job from before heartbeats existed): its progress decides.
        return asset.progress_at is None or asset.progress_at < limit
    beat = encode.heartbeat_at or encode.created_at
    return beat < limit or worker_gone(encode.worker)


def _fail_task(encode: Encode) -> None:
    """Mark the database queue's task row of a dead job failed; it stays RUNNING otherwise."""
    if not encode.task_id or not apps.is_installed("django_tasks_db"):
        return
    try:
        task_id = uuid.UUID(encode.task_id)
    except ValueError:
        return  # another backend's id (RQ): that backend keeps its own rows
    from django_tasks import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    for row in DBTaskResult.objects.filter(id=task_id, status=TaskResultStatus.RUNNING):
        row.set_failed(WorkerDied(f"worker {encode.worker} stopped while encoding; the job was queued again"))


def _remove_workdir(encode: Encode) -> None:
    """Delete a dead worker's local work folder (original copy, partial outputs)."""
    folder = Path(encode.workdir) if encode.workdir else None
    host = encode.worker.rpartition(":")[0]
    if folder and host == socket.gethostname() and folder.name.startswith(WORKDIR_PREFIX):
        shutil.rmtree(folder, ignore_errors=True)


def _requeue(asset, encode: Encode | None) -> bool:
    Asset = get_media_model()
    with transaction.atomic():
        if not Asset.objects.filter(pk=asset.pk, status=MediaStatus.PROCESSING).update(status=MediaStatus.QUEUED):
            return False
        stale = list(Encode.objects.filter(asset=asset, status=Encode.Status.RUNNING).values_list("pk", "prefix"))
        Encode.objects.filter(pk__in=[pk for pk, _ in stale]).update(
            status=Encode.Status.ABANDONED, finished_at=timezone.now()
        )
        prefixes = [prefix for _, prefix in stale]
        transaction.on_commit(lambda: [delete_prefix(p) for p in prefixes])
        # A second pass that died leaves files beside the published low rungs.
        for partial in Encode.objects.filter(asset=asset, status=Encode.Status.PARTIAL):
            transaction.on_commit(lambda partial=partial: keep_early(partial))
        if encode is not None:
            _fail_task(encode)
            transaction.on_commit(lambda: _remove_workdir(encode))
        asset_enqueue(asset=asset)
    return True


def requeue_stalled(*, now=None) -> list[int]:
    """Watchdog: queue again every processing job whose worker is dead; return their ids.

    For each, the task row is marked failed, the unfinished encode abandoned and its
    stored files deleted, the worker's local work folder removed, and a new task sent;
    the asset keeps pointing at its previous (complete) encode meanwhile.
    """
    Asset = get_media_model()
    now = now or timezone.now()
    limit = now - timedelta(seconds=setting("STALL_SECONDS"))
    ids = []
    for asset in Asset.objects.filter(status=MediaStatus.PROCESSING):
        # The job's own encode is the newest: asset_process claims it before the asset turns processing.
        encode = asset.encodes.order_by("-created_at", "-pk").first()
        if _dead(asset, encode, limit) and _requeue(asset, encode):
            ids.append(asset.pk)
    return ids
