"""StreamField blocks of the archive.

Recorded videos use the media pipeline's blocks: ``RecordedVideoBlock`` (a recording, or for
older entries an MP4 document, played directly on public pages) and the bare recording chooser.
"""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks

from media_pipeline.blocks import RecordedVideoBlock, VideoBlock


def video_stream_blocks() -> list[tuple[str, blocks.Block]]:
    """The blocks an activity's ``videos`` field accepts."""
    return [
        ("video", RecordedVideoBlock(label=_("video"), template="archive/blocks/recorded_video.html")),
        ("recording", VideoBlock(label=_("recording (adaptive streaming)"))),
    ]
