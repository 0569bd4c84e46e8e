"""The demo's pipeline recording: encoded by the worker, captioned in Arabic and French."""

import pytest

from demo.courses import RECORDING_TITLE, demo_recording, demo_video

pytestmark = pytest.mark.django_db


def test_demo_recording_is_queued_encoded_and_captioned_once(settings, django_capture_on_commit_callbacks):
    """load_demo's recording goes through the real pipeline, carries ar/fr captions, and is not made twice."""
    settings.DEMO_RECORDINGS = True
    video = demo_video()
    with django_capture_on_commit_callbacks(execute=True):
        asset = demo_recording(video)
    asset.refresh_from_db()
    assert asset.title == RECORDING_TITLE
    assert asset.status == "ready", asset.error_log
    assert sorted(asset.captions.values_list("language", flat=True)) == ["ar", "fr"]
    assert demo_recording(video).pk == asset.pk

    from lessons.blocks import LessonVideoBlock

    block = LessonVideoBlock()
    value = block.to_python({"recording": asset.pk, "video": video.pk, "poster": None, "caption": ""})
    html = block.render(value, context={})
    assert "data-player" in html and 'srclang="ar"' in html and 'srclang="fr"' in html


def test_demo_recording_is_skipped_when_turned_off(settings):
    """With DEMO_RECORDINGS off (the test settings), the demo keeps the plain MP4 only."""
    settings.DEMO_RECORDINGS = False
    assert demo_recording(demo_video()) is None
