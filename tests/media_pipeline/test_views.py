"""Pages: My recordings, watch page with the player, admin screens, the VideoBlock."""

import pytest
from django.template import engines

from media_pipeline.blocks import VideoBlock
from media_pipeline.models import MediaStatus
from tests.factories import UserFactory

from .conftest import upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def ready(trainer, clips, django_capture_on_commit_callbacks):
    return upload(trainer, clips["odd.mkv"], capture=django_capture_on_commit_callbacks)


def test_my_recordings_lists_own_recordings_with_uploader(client, trainer, ready):
    """The trainer sees the tus uploader and their recording's state; others are refused."""
    client.force_login(trainer)
    html = client.get("/media-pipeline/recordings/").content.decode()
    assert "data-tus-upload" in html and "tus.min.js" in html and ready.title in html
    client.force_login(UserFactory())
    assert client.get("/media-pipeline/recordings/").status_code == 403


def test_video_block_renders_player_with_progress_attributes(ready):
    """VideoBlock renders the player with the master playlist, MP4 fallback and the embedder's attributes."""
    block = VideoBlock()
    html = block.render(ready, context={"progress_url": "/lessons/7/progress/", "resume_at": 42.5})
    assert 'data-progress-url="/lessons/7/progress/"' in html
    assert 'data-resume-at="42.5"' in html
    assert ready.current_encode.master.split("/")[-1] in html and 'type="video/mp4"' in html
    assert "Audio only" in html or "data saver" in html or "audio" in html
    assert "hls.min.js" in html and "player.js" in html
    assert block.render_basic(ready).count("data-player") == 1


def test_video_block_while_processing_shows_notice(trainer, clips, settings, django_capture_on_commit_callbacks):
    """A recording not yet ready renders a notice, not a broken player."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    asset = upload(trainer, clips["odd.mkv"], capture=django_capture_on_commit_callbacks)
    assert asset.status == MediaStatus.QUEUED
    html = VideoBlock().render(asset, context={})
    assert "data-player" not in html and "mp-player__pending" in html


def test_include_block_passes_context(ready):
    """A StreamField child rendered with include_block gets progress_url/resume_at from the page template."""
    from wagtail.blocks import StreamBlock

    stream = StreamBlock([("video", VideoBlock())])
    value = stream.to_python([{"type": "video", "value": ready.pk}])
    template = engines["django"].from_string(
        "{% load wagtailcore_tags %}{% for b in body %}{% include_block b with progress_url=url resume_at=9 %}{% endfor %}"
    )
    html = template.render({"body": value, "url": "/fr/progress/3/"})
    assert 'data-progress-url="/fr/progress/3/"' in html and 'data-resume-at="9"' in html


def test_admin_processing_list_retry_and_cancel(admin_client, ready, django_capture_on_commit_callbacks):
    """The admin lists recordings; retry queues a fresh encode and cancel stops a queued job."""
    html = admin_client.get("/admin/media-pipeline/").content.decode()
    assert ready.title in html
    assert admin_client.get("/admin/media-pipeline/upload/").status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(f"/admin/media-pipeline/{ready.pk}/retry/")
    ready.refresh_from_db()
    assert ready.status == MediaStatus.READY and ready.attempts == 2
    type(ready).objects.filter(pk=ready.pk).update(status=MediaStatus.QUEUED)
    admin_client.post(f"/admin/media-pipeline/{ready.pk}/cancel/")
    ready.refresh_from_db()
    assert ready.status == MediaStatus.CANCELLED


def test_watch_page_plays_only_for_owner(client, trainer, ready):
    """The uploader can preview the player; another learner cannot."""
    client.force_login(trainer)
    assert b"data-player" in client.get(f"/media-pipeline/recordings/{ready.pk}/").content
    client.force_login(UserFactory())
    assert client.get(f"/media-pipeline/recordings/{ready.pk}/").status_code == 404
