"""The tus endpoint: creation, resume after a lost connection, termination, expiration, limits."""

import base64
import io
from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.utils import timezone

from media_pipeline import tus
from media_pipeline.models import MediaStatus, TusUpload
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
T = {"Tus-Resumable": "1.0.0"}


@pytest.fixture
def tc(client, trainer):
    client.force_login(trainer)
    return client


def meta(**values) -> str:
    return ",".join(f"{k} {base64.b64encode(v.encode()).decode()}" for k, v in values.items())


def create(tc, length, filename="ورشة.mp4", title="ورشة التخطيط"):
    return tc.post(
        "/media-pipeline/tus/",
        headers={**T, "Upload-Length": str(length), "Upload-Metadata": meta(filename=filename, title=title)},
    )


def patch(tc, url, offset, data):
    return tc.generic(
        "PATCH",
        url,
        data=data,
        content_type="application/offset+octet-stream",
        headers={**T, "Upload-Offset": str(offset)},
    )


def test_options_announces_extensions(tc):
    """OPTIONS lists the version, the creation/termination/expiration extensions and the size limit."""
    response = tc.options("/media-pipeline/tus/")
    assert response.status_code == 204
    assert response["Tus-Version"] == "1.0.0"
    assert set(response["Tus-Extension"].split(",")) == {"creation", "termination", "expiration"}
    assert int(response["Tus-Max-Size"]) == 10 * 1024**3


def test_upload_interrupted_then_resumed_becomes_ready(tc, clips, django_capture_on_commit_callbacks):
    """A chunk cut short keeps its bytes; HEAD gives the offset; the rest completes and the video is encoded."""
    data = clips["landscape.mp4"].read_bytes()
    response = create(tc, len(data))
    assert response.status_code == 201 and response["Upload-Expires"]
    url = response["Location"]
    assert patch(tc, url, 0, data[:10_000])["Upload-Offset"] == "10000"
    upload = TusUpload.objects.get()
    # The connection drops halfway through the next chunk: the server keeps what arrived.
    lost = tus.upload_append(
        upload=upload, offset=10_000, stream=io.BytesIO(data[10_000:30_000]), content_length=len(data) - 10_000
    )
    assert lost == 30_000
    head = tc.head(url, headers=T)
    assert head.status_code == 200 and head["Upload-Offset"] == "30000" and head["Upload-Length"] == str(len(data))
    assert patch(tc, url, 10_000, data[10_000:]).status_code == 409, "stale offsets are refused"
    with django_capture_on_commit_callbacks(execute=True):
        done = patch(tc, url, 30_000, data[30_000:])
    assert done.status_code == 204 and done["Upload-Offset"] == str(len(data))
    upload.refresh_from_db()
    asset = upload.asset
    assert asset.title == "ورشة التخطيط" and asset.status == MediaStatus.READY
    assert asset.file.read() == data
    assert not tus.part_path(upload).exists()
    status = tc.get(done["Media-Status-Url"]).json()
    assert status["status"] == "ready" and status["progress"] == 100


def test_wrong_offset_version_and_type_are_refused(tc):
    """409 on a mismatched offset, 412 without Tus-Resumable, 415 on a wrong content type."""
    url = create(tc, 100)["Location"]
    assert patch(tc, url, 5, b"x").status_code == 409
    assert (
        tc.generic(
            "PATCH", url, data=b"x", content_type="application/offset+octet-stream", headers={"Upload-Offset": "0"}
        ).status_code
        == 412
    )
    assert (
        tc.generic("PATCH", url, data=b"x", content_type="text/plain", headers={**T, "Upload-Offset": "0"}).status_code
        == 415
    )


@pytest.mark.parametrize(
    ("length", "filename", "status"),
    [(0, "a.mp4", 400), (11 * 1024**3, "a.mp4", 413), (100, "report.pdf", 415), (100, "../../x.exe", 415)],
)
def test_creation_limits_checked_before_any_byte(tc, length, filename, status):
    """Empty, oversized and non-media uploads are refused at creation with a readable reason."""
    response = create(tc, length, filename=filename)
    assert response.status_code == status
    assert response.content.decode()
    assert not TusUpload.objects.exists()


def test_foreign_and_anonymous_requests_are_refused(tc, client, trainer):
    """Another user's upload is not found; anonymous and unprivileged users cannot create uploads."""
    url = create(tc, 100)["Location"]
    other = UserFactory()
    other.user_permissions.add(Permission.objects.get(codename="add_mediaasset"))
    client.force_login(other)
    assert client.head(url, headers=T).status_code == 404
    client.force_login(UserFactory())
    assert create(client, 100).status_code == 403


def test_termination_deletes_the_part_file(tc):
    """DELETE ends the upload and removes its bytes."""
    url = create(tc, 100)["Location"]
    patch(tc, url, 0, b"x" * 50)
    upload = TusUpload.objects.get()
    assert tus.part_path(upload).stat().st_size == 50
    assert tc.delete(url, headers=T).status_code == 204
    assert not tus.part_path(upload).exists() and not TusUpload.objects.exists()


def test_expired_uploads_are_gone_and_cleaned(tc):
    """An expired upload answers 410, and the cleanup removes its row and part file."""
    url = create(tc, 100)["Location"]
    upload = TusUpload.objects.get()
    TusUpload.objects.update(expires_at=timezone.now() - timedelta(minutes=1))
    assert tc.head(url, headers=T).status_code == 410
    assert patch(tc, url, 0, b"x").status_code == 410
    assert tus.cleanup_expired() == 1
    assert not tus.part_path(upload).exists() and not TusUpload.objects.exists()


def test_too_long_recording_refused_while_uploading(tc, clips, settings, monkeypatch):
    """Once the header is in, a recording beyond MAX_DURATION is refused and its bytes dropped."""
    settings.MEDIA_PIPELINE_MAX_DURATION = 2
    monkeypatch.setattr(tus, "EARLY_CHECK_BYTES", 1000)
    data = clips["odd.mkv"].read_bytes()  # Matroska keeps its header first
    url = create(tc, len(data) + 1000, filename="long.mkv")["Location"]
    response = patch(tc, url, 0, data)
    assert response.status_code == 413
    assert not TusUpload.objects.exists()


def test_oversized_chunk_refused(tc, settings):
    """A chunk above MAX_CHUNK_SIZE is refused so no request exceeds proxy limits."""
    settings.MEDIA_PIPELINE_MAX_CHUNK_SIZE = 10
    url = create(tc, 100)["Location"]
    assert patch(tc, url, 0, b"x" * 11).status_code == 413


def test_last_chunk_on_s3_hands_the_part_file_to_the_worker(tc, clips, s3_storage, django_capture_on_commit_callbacks):
    """On S3 the request that completes an upload copies nothing: the asset only reserves its name; the
    worker stores the original from the part file, encodes it, then removes the part file."""
    data = clips["landscape.mp4"].read_bytes()
    url = create(tc, len(data))["Location"]
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        done = patch(tc, url, 0, data)
    assert done.status_code == 204 and done["Upload-Offset"] == str(len(data))
    upload = TusUpload.objects.get()
    asset = upload.asset
    listing = s3_storage["client"].list_objects_v2(Bucket=s3_storage["bucket"])
    assert asset.file.name not in {item["Key"] for item in listing.get("Contents", [])}
    assert tus.part_path(upload).exists() and asset.status == MediaStatus.QUEUED
    for callback in callbacks:
        callback()
    asset.refresh_from_db()
    assert asset.status == MediaStatus.READY, asset.error_log
    with asset.file.open("rb") as fh:
        assert fh.read() == data, "the original is kept, byte for byte"
    assert not tus.part_path(upload).exists()
    assert tus.pending_part(asset) is None


def test_chunk_past_upload_length_refused_before_writing_then_retry_completes(
    tc, clips, django_capture_on_commit_callbacks
):
    """A PATCH carrying the rest of the file plus 5,000 extra bytes is refused with 413 before a byte
    is written: HEAD still gives the previous offset and no recording exists. The correct retry
    (the rest, nothing more) completes the upload and creates the recording."""
    data = clips["landscape.mp4"].read_bytes()
    url = create(tc, len(data))["Location"]
    assert patch(tc, url, 0, data[:4000]).status_code == 204
    refused = patch(tc, url, 4000, data[4000:] + b"\0" * 5000)
    assert refused.status_code == 413
    upload = TusUpload.objects.get()
    assert tc.head(url, headers=T)["Upload-Offset"] == "4000"
    assert tus.part_path(upload).stat().st_size == 4000
    upload.refresh_from_db()
    assert upload.asset_id is None and upload.offset == 4000
    with django_capture_on_commit_callbacks(execute=False):
        done = patch(tc, url, 4000, data[4000:])
    assert done.status_code == 204 and done["Upload-Offset"] == str(len(data))
    upload.refresh_from_db()
    assert upload.asset_id is not None
    with upload.asset.file.open("rb") as fh:
        assert fh.read() == data


def test_chunked_body_past_upload_length_is_undone(tc):
    """A body without Content-Length (chunked) that runs past Upload-Length is refused too, and what
    it wrote is cut off again: the offset stays where it was."""
    url = create(tc, 100)["Location"]
    upload = TusUpload.objects.get()
    assert patch(tc, url, 0, b"x" * 40).status_code == 204
    with pytest.raises(tus.TusError) as error:
        tus.upload_append(upload=upload, offset=40, stream=io.BytesIO(b"y" * 70), content_length=None)
    assert error.value.status == 413
    assert tus.part_path(upload).read_bytes() == b"x" * 40
    assert tc.head(url, headers=T)["Upload-Offset"] == "40"
