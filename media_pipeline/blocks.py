"""StreamField blocks for content apps: choose a recording, render the HLS player.

``VideoBlock`` is the chooser of one recording. ``RecordedVideoBlock`` is *the* recorded-video
block of every content app: a recording (adaptive player) or, for content made before the
pipeline, an MP4 document in a plain ``<video>``, with a poster and a caption. Apps configure
it through its Meta options (lessons sign every recording and report progress; the archive
plays public pages directly); they never re-implement it.
"""

from django.core.exceptions import ValidationError
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.blocks.struct_block import StructBlockValidationError
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.images.blocks import ImageChooserBlock
from wagtailmedia.blocks import AbstractMediaChooserBlock

from .selectors import player_sources


def _signed(parent_context: dict, *, always: bool = False) -> bool:
    """Recordings play through short-lived signed URLs when asked to (``always``, or
    ``media_signed`` in the context) and on pages with view restrictions."""
    if always or parent_context.get("media_signed"):
        return True  # no need to ask the page (two queries) when signing anyway
    page = parent_context.get("page")
    return bool(page is not None and hasattr(page, "get_view_restrictions") and page.get_view_restrictions())


def _user(parent_context: dict):
    return getattr(parent_context.get("request"), "user", None)


class VideoBlock(AbstractMediaChooserBlock):
    """A recording (video or audio) played through the pipeline's player.

    The embedding template passes ``progress_url`` and ``resume_at`` (``{% include_block
    block with progress_url=... resume_at=... %}`` or block.render context); the player
    sends heartbeats there and starts at the saved position. Recordings on a page with
    view restrictions, or rendered with ``media_signed=True`` in the context, play
    through short-lived signed URLs.
    """

    class Meta:
        icon = "media"
        template = "media_pipeline/blocks/video.html"

    def bulk_to_python(self, values):
        """The recordings of a page's blocks with their published encode, renditions and
        captions: three queries for the whole body, which the player reads without another."""
        objects = (
            self.model_class.objects.select_related("current_encode").prefetch_related("renditions", "captions")
            .in_bulk(values)
        )
        return [objects.get(value) for value in values]

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context=parent_context)
        parent_context = parent_context or {}
        context["player"] = (
            player_sources(value, signed=_signed(parent_context), user=_user(parent_context)) if value else None
        )
        context["asset"] = value
        context.setdefault("progress_url", parent_context.get("progress_url", ""))
        context.setdefault("resume_at", parent_context.get("resume_at", 0))
        return context

    def render_basic(self, value, context=None):
        if not value:
            return ""
        return render_to_string(self.meta.template, self.get_context(value, parent_context=context))


class RecordedVideoBlock(blocks.StructBlock):
    """A recorded video: a recording from the media pipeline (adaptive HLS player), or an MP4
    document in a plain ``<video>``. Both players keep the same progress contract
    (``data-progress-url``, ``data-resume-at``).

    Meta options:

    - ``signed``: every recording plays through signed URLs (otherwise only on restricted
      pages, or with ``media_signed`` in the context);
    - ``progress_url_name``: the URL name, reversed with the page's id, that receives the
      player's heartbeats; playback resumes at the context's ``progress.resume_position``;
    - ``file_url_name``: the URL name, reversed with the document's id, that serves the MP4
      (otherwise the document's own URL).
    """

    recording = VideoBlock(label=_("recording (adaptive streaming)"), required=False)
    video = DocumentChooserBlock(label=_("video file (MP4)"), required=False)
    poster = ImageChooserBlock(label=_("poster image"), required=False)
    caption = blocks.CharBlock(label=_("caption"), required=False, max_length=255)

    class Meta:
        icon = "media"
        label = _("Video")
        template = "media_pipeline/blocks/recorded_video.html"
        signed = False
        progress_url_name = ""
        file_url_name = ""

    def clean(self, value):
        value = super().clean(value)
        if not value.get("recording") and not value.get("video"):
            raise StructBlockValidationError(
                block_errors={"recording": ValidationError(_("Choose a recording or an MP4 file."))}
            )
        return value

    def _file_url(self, document) -> str:
        if document is None:
            return ""
        return reverse(self.meta.file_url_name, args=[document.pk]) if self.meta.file_url_name else document.url

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context=parent_context)
        parent_context = parent_context or {}
        page = parent_context.get("page")
        progress = parent_context.get("progress")
        recording = value.get("recording")
        signed = _signed(parent_context, always=self.meta.signed)
        context["asset"] = recording
        context["player"] = player_sources(recording, signed=signed, user=_user(parent_context)) if recording else None
        context["video_url"] = self._file_url(value.get("video"))
        name = self.meta.progress_url_name
        context["progress_url"] = reverse(name, args=[page.pk]) if name and page is not None else ""
        context["resume_at"] = progress.resume_position if name and progress is not None else 0
        return context
