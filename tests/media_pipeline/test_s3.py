"""The same pipeline on a real S3 server (moto's server mode on loopback)."""

import pytest

from media_pipeline.models import MediaStatus
from tests.factories import UserFactory

from .checks import assert_encode_ok
from .conftest import upload

pytestmark = pytest.mark.django_db


def _keys(s3) -> set[str]:
    listing = s3["client"].list_objects_v2(Bucket=s3["bucket"])
    return {item["Key"] for item in listing.get("Contents", [])}


def test_ladder_on_s3_then_delete_after_commit(clips, s3_storage, django_capture_on_commit_callbacks):
    """On S3 the original is streamed down, every output goes up through the storage API, deletes follow the commit."""
    from django.core.files.storage import default_storage
    from storages.backends.s3 import S3Storage

    assert isinstance(default_storage, S3Storage)
    asset = upload(UserFactory(), clips["landscape.mp4"], name="ورشة التخطيط.mp4",
                   capture=django_capture_on_commit_callbacks)
    assert asset.status == MediaStatus.READY, asset.error_log
    assert_encode_ok(asset, clips["landscape.mp4"])
    keys = _keys(s3_storage)
    assert asset.file.name in keys
    assert set(asset.current_encode.files) <= keys
    assert asset.current_encode.master in keys
    with django_capture_on_commit_callbacks(execute=True):
        asset.delete()
    assert not (set(asset.current_encode.files) | {asset.file.name}) & _keys(s3_storage)


def test_corrupt_file_on_s3_fails_cleanly(clips, s3_storage, django_capture_on_commit_callbacks):
    """A corrupt upload on S3 ends failed with its reason and leaves no encode output in the bucket."""
    asset = upload(UserFactory(), clips["garbage.mp4"], capture=django_capture_on_commit_callbacks)
    assert asset.status == MediaStatus.FAILED and asset.error == "unreadable"
    from media_pipeline.models import Encode

    prefix = Encode.objects.get(asset=asset).prefix
    assert not [k for k in _keys(s3_storage) if k.startswith(prefix)]
