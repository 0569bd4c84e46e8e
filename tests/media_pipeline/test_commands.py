"""Cron commands: watchdog and expired-upload cleanup."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from media_pipeline import tus
from media_pipeline.models import TusUpload
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_cleanup_command_deletes_expired_partial_uploads():
    """Expired unfinished uploads and their bytes go; fresh ones stay."""
    user = UserFactory()
    old = tus.upload_create(user=user, length=10, metadata={"filename": "a.mp4"})
    fresh = tus.upload_create(user=user, length=10, metadata={"filename": "b.mp4"})
    TusUpload.objects.filter(pk=old.pk).update(expires_at=timezone.now() - timedelta(hours=1))
    out = StringIO()
    call_command("media_cleanup_uploads", stdout=out)
    assert "deleted 1" in out.getvalue()
    assert list(TusUpload.objects.values_list("pk", flat=True)) == [fresh.pk]
    assert not tus.part_path(old).exists() and tus.part_path(fresh).exists()


def test_watchdog_command_reports_nothing_when_all_is_well():
    """With no stalled job the watchdog re-queues nothing."""
    out = StringIO()
    call_command("media_watchdog", stdout=out)
    assert out.getvalue().startswith("re-queued 0 job(s)")


@pytest.mark.parametrize("name", ["camera.MTS", "phone.3gp", "talk.webm", "voice.ogg"])
def test_every_accepted_extension_creates_a_recording(name, clips, settings, django_capture_on_commit_callbacks):
    """Camera and phone formats pass wagtailmedia's extension check and are queued."""
    from media_pipeline.models import MediaStatus

    from .conftest import upload

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    asset = upload(UserFactory(), clips["odd.mkv"], name=name, capture=django_capture_on_commit_callbacks)
    assert asset.status == MediaStatus.QUEUED
    assert asset.file.name.endswith(name.rsplit(".", 1)[1].lower())
