"""The task path: database queue, Redis/RQ, cancel, retry, watchdog, deletes after commit."""

from datetime import timedelta

import pytest
import redis
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.utils import timezone

from media_pipeline import services
from media_pipeline.models import Encode, MediaAsset, MediaStatus, Rendition
from media_pipeline.selectors import queue_position
from media_pipeline.services import encoding
from tests.factories import UserFactory

from .conftest import upload

DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


@pytest.mark.django_db(transaction=True)
def test_database_queue_worker_runs_the_job(clips, settings, root_collection):
    """With the database queue, the upload waits queued (position 1) until db_worker encodes it."""
    settings.TASKS = DB_TASKS
    user = UserFactory()
    asset = upload(user, clips["landscape.mp4"])
    assert asset.status == MediaStatus.QUEUED
    assert queue_position(asset) == 1
    second = upload(user, clips["audio.m4a"])
    assert queue_position(second) == 2
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    asset.refresh_from_db()
    second.refresh_from_db()
    assert (asset.status, second.status) == (MediaStatus.READY, MediaStatus.READY)
    assert asset.progress == 100


@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_redis_queue_worker_runs_the_job(clips, settings, root_collection):
    """Through Redis (RQ, DB 2) the job is sent on commit and an RQ worker encodes it."""
    import django_rq
    from django_tasks_rq.backend import Job
    from rq import SimpleWorker

    url = "redis://127.0.0.1:6379/2"
    redis.Redis.from_url(url).flushdb()
    settings.RQ_QUEUES = {"default": {"URL": url, "DEFAULT_TIMEOUT": 600}}
    settings.TASKS = {"default": {"BACKEND": "config.tasks_rq.OnCommitRQBackend", "QUEUES": ["default"]}}
    asset = upload(UserFactory(), clips["odd.mkv"])
    assert asset.status == MediaStatus.QUEUED
    queue = django_rq.get_queue("default", job_class=Job)
    assert queue.count >= 1
    # SimpleWorker runs jobs in this process (no fork), so it sees the test database.
    SimpleWorker([queue], connection=queue.connection, job_class=Job).work(burst=True)
    asset.refresh_from_db()
    assert asset.status == MediaStatus.READY, asset.error_log
    redis.Redis.from_url(url).flushdb()


@pytest.mark.django_db
def test_cancel_before_start_then_retry(clips, settings, django_capture_on_commit_callbacks):
    """A cancelled queued job is skipped by the worker; retry queues it again and it ends ready."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    asset = upload(UserFactory(), clips["odd.mkv"], capture=django_capture_on_commit_callbacks)
    services.asset_cancel(asset=asset)
    assert asset.status == MediaStatus.CANCELLED
    services.asset_process(asset_id=asset.pk)
    assert not Encode.objects.filter(asset=asset).exists()
    services.asset_retry(asset=asset)
    services.asset_process(asset_id=asset.pk)
    asset.refresh_from_db()
    assert asset.status == MediaStatus.READY


@pytest.mark.django_db
def test_cancel_while_processing_stops_ffmpeg_and_publishes_nothing(clips, settings, monkeypatch,
                                                                     django_capture_on_commit_callbacks):
    """Cancelling during the encode stops ffmpeg at its next report; nothing is stored or published."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    asset = upload(UserFactory(), clips["hd.mp4"], capture=django_capture_on_commit_callbacks)
    original = encoding._Tracker.__call__

    def cancel_then_report(self, progress):
        MediaAsset.objects.filter(pk=self.asset_id).update(status=MediaStatus.CANCELLED)
        return original(self, progress)

    monkeypatch.setattr(encoding._Tracker, "__call__", cancel_then_report)
    services.asset_process(asset_id=asset.pk)
    asset.refresh_from_db()
    assert asset.status == MediaStatus.CANCELLED
    encode = Encode.objects.get(asset=asset)
    assert encode.status == Encode.Status.ABANDONED
    assert asset.current_encode is None and not default_storage.exists(f"{encode.prefix}/master.m3u8")


@pytest.mark.django_db
def test_watchdog_requeues_stalled_job_and_cleans_partial_output(clips, django_capture_on_commit_callbacks):
    """A job whose heartbeat is silent for STALL_SECONDS is queued again; its killed encode's partial
    files are deleted."""
    asset = upload(UserFactory(), clips["odd.mkv"], capture=django_capture_on_commit_callbacks)
    assert asset.status == MediaStatus.READY
    published = asset.current_encode
    # Simulate a worker on another machine killed mid-job: a running encode with a stored segment,
    # its heartbeat long silent.
    dead = Encode.objects.create(asset=asset, prefix=f"media_pipeline/{asset.pk}/dead", worker="elsewhere:1",
                                 heartbeat_at=timezone.now() - timedelta(hours=1))
    default_storage.save(f"{dead.prefix}/144p/seg_00000.m4s", ContentFile(b"partial"))
    MediaAsset.objects.filter(pk=asset.pk).update(
        status=MediaStatus.PROCESSING, progress=40, progress_at=timezone.now() - timedelta(hours=1)
    )
    asset.refresh_from_db()
    assert asset.current_encode == published, "a killed job leaves the published encode in place"
    with django_capture_on_commit_callbacks(execute=True):
        assert services.requeue_stalled() == [asset.pk]
    dead.refresh_from_db()
    asset.refresh_from_db()
    assert dead.status == Encode.Status.ABANDONED
    assert not default_storage.exists(f"{dead.prefix}/144p/seg_00000.m4s")
    assert asset.status == MediaStatus.READY and asset.current_encode not in (None, published)


@pytest.mark.django_db
def test_fresh_encode_replaces_the_old_one_after_commit(clips, django_capture_on_commit_callbacks):
    """Re-encoding writes a new prefix, swaps renditions and deletes the old files only after commit."""
    asset = upload(UserFactory(), clips["odd.mkv"], capture=django_capture_on_commit_callbacks)
    old = asset.current_encode
    with django_capture_on_commit_callbacks(execute=True):
        services.asset_retry(asset=asset)
    asset.refresh_from_db()
    assert asset.current_encode != old and asset.current_encode.prefix != old.prefix
    assert set(Rendition.objects.filter(asset=asset).values_list("encode", flat=True)) == {asset.current_encode.pk}
    assert not any(default_storage.exists(name) for name in old.files)
    assert all(default_storage.exists(name) for name in asset.current_encode.files)


@pytest.mark.django_db
def test_delete_removes_files_only_after_commit(clips, django_capture_on_commit_callbacks):
    """Deleting a recording keeps its files until the transaction commits, then removes all of them."""
    asset = upload(UserFactory(), clips["odd.mkv"], capture=django_capture_on_commit_callbacks)
    services.caption_set(asset=asset, language="fr", label="Français", content=b"1\n00:00:00,000 --> 00:00:01,500\nBonjour\n")
    names = services.asset_files(asset)
    assert asset.file.name in names and asset.current_encode.master in names and len(names) > 10
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        asset.delete()
    assert all(default_storage.exists(n) for n in names), "nothing deleted before the commit"
    for callback in callbacks:
        callback()
    assert not any(default_storage.exists(n) for n in names)


@pytest.mark.django_db
def test_watchdog_leaves_a_quiet_encode_of_a_live_worker_alone(clips, django_capture_on_commit_callbacks):
    """Progress silent for an hour is no reason: while the worker's heartbeat is fresh and its process
    alive (this one), the watchdog re-queues nothing; once the heartbeat is old, it does."""
    import os
    import socket

    asset = upload(UserFactory(), clips["odd.mkv"], capture=django_capture_on_commit_callbacks)
    long_ago = timezone.now() - timedelta(hours=1)
    running = Encode.objects.create(asset=asset, prefix=f"media_pipeline/{asset.pk}/running",
                                    worker=f"{socket.gethostname()}:{os.getpid()}", heartbeat_at=timezone.now())
    MediaAsset.objects.filter(pk=asset.pk).update(status=MediaStatus.PROCESSING, progress=0, progress_at=long_ago)
    assert services.requeue_stalled() == []
    Encode.objects.filter(pk=running.pk).update(heartbeat_at=long_ago)
    with django_capture_on_commit_callbacks(execute=False):
        assert services.requeue_stalled() == [asset.pk]


@pytest.mark.django_db
def test_watchdog_requeues_at_once_when_the_local_worker_process_is_gone(clips, django_capture_on_commit_callbacks):
    """A worker of this machine whose process has exited is dead even with a fresh heartbeat."""
    import socket
    import subprocess

    asset = upload(UserFactory(), clips["odd.mkv"], capture=django_capture_on_commit_callbacks)
    gone = subprocess.Popen(["true"])
    gone.wait()
    Encode.objects.create(asset=asset, prefix=f"media_pipeline/{asset.pk}/gone",
                          worker=f"{socket.gethostname()}:{gone.pid}", heartbeat_at=timezone.now())
    MediaAsset.objects.filter(pk=asset.pk).update(status=MediaStatus.PROCESSING, progress_at=timezone.now())
    with django_capture_on_commit_callbacks(execute=False):
        assert services.requeue_stalled() == [asset.pk]
