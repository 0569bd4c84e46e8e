"""The trainers' recordings page: length, date, captions, "use in a lesson", and deletion."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from media_pipeline import get_media_model
from media_pipeline.models import Caption, MediaStatus
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

SRT = b"1\r\n00:00:01,000 --> 00:00:03,500\r\n\xd9\x85\xd8\xb1\xd8\xad\xd8\xa8\xd8\xa7\r\n"


@pytest.fixture
def homes(db):
    from demo import home as home_demo

    return home_demo.load()


def make_recording(user, *, title="ورشة التخطيط", seconds=754.4):
    asset = get_media_model().objects.create(
        title=title, file="media_pipeline/originals/x.mp4", type="video", duration=seconds,
        uploaded_by_user=user, status=MediaStatus.READY,
    )
    get_media_model().objects.filter(pk=asset.pk).update(
        created_at=timezone.make_aware(datetime.datetime(2026, 7, 14, 10, 0))
    )
    asset.refresh_from_db()
    return asset


def test_each_recording_shows_length_date_captions_and_actions(client, trainer):
    """A recording of 754 s reads 12:34, its date uses the Moroccan month, its caption languages
    are listed, and it offers "use in a lesson", captions and delete."""
    asset = make_recording(trainer)
    Caption.objects.create(asset=asset, language="fr", label="Français", file="media_pipeline/captions/x.vtt")
    client.force_login(trainer)
    html = client.get("/media-pipeline/recordings/").content.decode()
    assert "<bdi>12:34</bdi>" in html
    assert "14 يوليوز 2026" in html
    assert 'lang="fr">Français</span>' in html
    assert f'href="/learn/use-recording/{asset.pk}/"' in html
    assert f'action="/media-pipeline/recordings/{asset.pk}/captions/"' in html
    assert f'action="/media-pipeline/recordings/{asset.pk}/delete/"' in html


def test_captions_upload_stores_webvtt_and_refuses_other_files(client, trainer):
    """An SRT file becomes the Arabic WebVTT track; a file that is not captions is refused in the
    user's language and nothing is stored."""
    asset = make_recording(trainer)
    client.force_login(trainer)
    url = f"/media-pipeline/recordings/{asset.pk}/captions/"
    response = client.post(url, {"language": "ar", "file": SimpleUploadedFile("a.srt", SRT)}, follow=True)
    caption = Caption.objects.get(asset=asset)
    assert caption.language == "ar" and caption.file.read().startswith(b"WEBVTT")
    assert "00:00:01.000 --> 00:00:03.500" in caption.file.open().read().decode()
    assert response.status_code == 200
    response = client.post(
        f"/fr{url}", {"language": "fr", "file": SimpleUploadedFile("b.srt", b"hello")}, follow=True
    )
    assert "Ce n" in response.content.decode() and "WebVTT" in response.content.decode()
    assert not Caption.objects.filter(asset=asset, language="fr").exists()
    response = client.post(url, {"language": "xx", "file": SimpleUploadedFile("a.srt", SRT)})
    assert response.status_code == 302 and Caption.objects.filter(asset=asset).count() == 1


def test_a_trainer_deletes_own_unused_recording_only(client, trainer):
    """The uploader deletes their recording; another trainer's recording is a 404 and stays."""
    mine = make_recording(trainer)
    other = make_recording(UserFactory())
    client.force_login(trainer)
    assert client.post(f"/media-pipeline/recordings/{other.pk}/delete/").status_code == 404
    assert client.get(f"/media-pipeline/recordings/{mine.pk}/delete/").status_code == 405
    assert client.post(f"/media-pipeline/recordings/{mine.pk}/delete/").status_code == 302
    assert not get_media_model().objects.filter(pk=mine.pk).exists()
    assert get_media_model().objects.filter(pk=other.pk).exists()


def test_a_recording_used_in_a_lesson_is_not_deleted(client, trainer, homes):
    """While a lesson plays the recording, deleting it is refused with a message and the page
    shows where it is used instead of the delete button."""
    from tests.courses.factories import make_course

    asset = make_recording(trainer)
    make_course(slug="uses", lessons=1, recording=asset)
    client.force_login(trainer)
    html = client.get("/media-pipeline/recordings/").content.decode()
    assert f"/media-pipeline/recordings/{asset.pk}/delete/" not in html
    response = client.post(f"/media-pipeline/recordings/{asset.pk}/delete/", follow=True)
    assert get_media_model().objects.filter(pk=asset.pk).exists()
    assert "مستعمل" in response.content.decode() or "used" in response.content.decode()
