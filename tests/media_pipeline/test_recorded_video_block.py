"""One recorded-video block (media_pipeline.blocks.RecordedVideoBlock) serves lessons and the archive.

Each app configures it (signing, progress, MP4 address); the archive's stored entries, whose
MP4 child was called ``file``, are renamed by archive's migration 0005 to the shared shape.
"""

import importlib
from types import SimpleNamespace

import pytest
from django.core.files.base import ContentFile
from wagtail.documents import get_document_model

from archive.blocks import video_stream_blocks
from archive.models import ActivityPage
from lessons.blocks import LessonBodyBlock
from media_pipeline.blocks import RecordedVideoBlock

pytestmark = pytest.mark.django_db


@pytest.fixture
def mp4():
    return get_document_model().objects.create(title="الجلسة", file=ContentFile(b"\x00" * 64, name="session.mp4"))


def archive_block() -> RecordedVideoBlock:
    return dict(video_stream_blocks())["video"]


def test_lessons_and_archive_use_the_same_block_class():
    """Both apps' video blocks are the media pipeline's block, configured, not re-implemented."""
    lesson_block = LessonBodyBlock().child_blocks["video"]
    assert isinstance(lesson_block, RecordedVideoBlock) and isinstance(archive_block(), RecordedVideoBlock)
    assert type(lesson_block).get_context is RecordedVideoBlock.get_context
    assert (
        list(lesson_block.child_blocks)
        == list(archive_block().child_blocks)
        == ["recording", "video", "poster", "caption"]
    )


def test_archive_plays_the_mp4_from_its_document_address_without_progress(mp4):
    """On an activity page the MP4 plays from the document's own address; nothing reports progress."""
    block = archive_block()
    value = block.to_python({"recording": None, "video": mp4.pk, "poster": None, "caption": "ورشة"})
    html = block.render(value, context={"page": SimpleNamespace(pk=7), "progress": SimpleNamespace(resume_position=9)})
    assert f'src="{mp4.url}"' in html and 'data-testid="activity-video"' in html and "ورشة" in html
    assert "data-progress-url" not in html


def test_lessons_serve_the_mp4_with_byte_ranges_and_report_progress(mp4):
    """In a lesson the MP4 goes through lessons:video and the player posts to the lesson's heartbeat."""
    block = LessonBodyBlock().child_blocks["video"]
    value = block.to_python({"recording": None, "video": mp4.pk, "poster": None, "caption": ""})
    html = block.render(value, context={"page": SimpleNamespace(pk=41), "progress": SimpleNamespace(resume_position=5)})
    assert f'src="/learn/video/{mp4.pk}/"' in html
    assert 'data-progress-url="/api/progress/41/"' in html and 'data-resume-at="5"' in html


def test_archive_entries_stored_with_a_file_child_still_play_after_the_migration(mp4):
    """Migration 0005 renames the stored ``file`` child to ``video``: an old entry keeps its MP4 and caption."""
    from wagtail.blocks.migrations.utils import apply_changes_to_raw_data

    migration = importlib.import_module("archive.migrations.0005_recorded_video_block").Migration
    operation, path = migration.operations[1].operations_and_block_paths[0]
    stored = [{"type": "video", "id": "a1", "value": {"file": mp4.pk, "caption": "ورشة"}}]
    migrated = apply_changes_to_raw_data(stored, path, operation, ActivityPage.videos)
    assert migrated[0]["value"] == {"video": mp4.pk, "caption": "ورشة"}
    value = ActivityPage.videos.field.stream_block.to_python(migrated)[0].value
    assert value["video"].pk == mp4.pk and value["caption"] == "ورشة"
