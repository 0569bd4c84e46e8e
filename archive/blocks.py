"""StreamField blocks of the archive.

Recorded videos live here, in one place: a recording from the media pipeline
(``VideoBlock``, adaptive streaming) or, for older entries, an MP4 document.
"""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock

from media_pipeline.blocks import VideoBlock


class RecordedVideoBlock(blocks.StructBlock):
    """A recorded video kept as an MP4 Wagtail document, played with the browser's own player."""

    file = DocumentChooserBlock(label=_("video file (MP4)"))
    caption = blocks.CharBlock(label=_("caption"), required=False, max_length=250)

    class Meta:
        icon = "media"
        label = _("video")
        template = "archive/blocks/recorded_video.html"


def video_stream_blocks() -> list[tuple[str, blocks.Block]]:
    """The blocks an activity's ``videos`` field accepts."""
    return [("video", RecordedVideoBlock()), ("recording", VideoBlock(label=_("recording (adaptive streaming)")))]
