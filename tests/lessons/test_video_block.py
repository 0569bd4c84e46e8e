"""The lesson video block plays pipeline recordings with the adaptive player, MP4 documents otherwise."""

from types import SimpleNamespace

import pytest
from django.contrib.auth.models import Permission

from lessons.blocks import LessonVideoBlock
from tests.factories import UserFactory
from tests.media_pipeline.conftest import clips, upload  # noqa: F401  (clips is a fixture)

pytestmark = pytest.mark.django_db


@pytest.fixture
def ready_recording(clips, django_capture_on_commit_callbacks):  # noqa: F811
    trainer = UserFactory()
    trainer.user_permissions.add(Permission.objects.get(codename="add_mediaasset"))
    return upload(trainer, clips["odd.mkv"], capture=django_capture_on_commit_callbacks)


def test_recording_renders_the_hls_player_with_the_lessons_progress_contract(ready_recording):
    """A recording gets the pipeline's player, posting heartbeats to this lesson and resuming where the learner stopped."""
    block = LessonVideoBlock()
    value = block.to_python({"recording": ready_recording.pk, "video": None, "poster": None, "caption": "الجلسة الأولى"})
    html = block.render(value, context={"page": SimpleNamespace(pk=41), "progress": SimpleNamespace(resume_position=73.5)})
    assert html.count("data-player") == 1
    assert 'data-progress-url="/api/progress/41/"' in html
    assert 'data-resume-at="73.5"' in html
    assert ready_recording.current_encode.master.split("/")[-1] in html
    assert "الجلسة الأولى" in html


def test_a_video_block_needs_a_recording_or_a_file():
    """Saving the block with neither a recording nor an MP4 is refused with a clear message."""
    from wagtail.blocks.struct_block import StructBlockValidationError

    block = LessonVideoBlock()
    with pytest.raises(StructBlockValidationError) as error:
        block.clean(block.to_python({"recording": None, "video": None, "poster": None, "caption": ""}))
    assert "recording" in error.value.block_errors
