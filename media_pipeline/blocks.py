"""StreamField block for content apps: choose a recording, render the HLS player."""

from django.template.loader import render_to_string
from wagtailmedia.blocks import AbstractMediaChooserBlock

from .selectors import player_sources


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

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context=parent_context)
        parent_context = parent_context or {}
        page = parent_context.get("page")
        restricted = bool(page is not None and hasattr(page, "get_view_restrictions") and page.get_view_restrictions())
        signed = bool(parent_context.get("media_signed")) or restricted
        request = parent_context.get("request")
        user = getattr(request, "user", None)
        context["player"] = player_sources(value, signed=signed, user=user) if value else None
        context["asset"] = value
        context.setdefault("progress_url", parent_context.get("progress_url", ""))
        context.setdefault("resume_at", parent_context.get("resume_at", 0))
        return context

    def render_basic(self, value, context=None):
        if not value:
            return ""
        return render_to_string(self.meta.template, self.get_context(value, parent_context=context))
