import mimetypes

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MediaPipelineConfig(AppConfig):
    name = "media_pipeline"
    verbose_name = _("Media pipeline")

    def ready(self):
        # Storages pick content types from names; HLS players need these right.
        mimetypes.add_type("application/vnd.apple.mpegurl", ".m3u8")
        mimetypes.add_type("video/iso.segment", ".m4s")
        mimetypes.add_type("text/vtt", ".vtt")
        mimetypes.add_type("audio/mp4", ".m4a")

        from . import checks, signal_handlers  # noqa: F401

        signal_handlers.register()
