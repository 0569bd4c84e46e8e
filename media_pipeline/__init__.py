"""Takwin's media pipeline: resumable uploads, one-decode ffmpeg ladder, HLS on any storage.

Content apps import this package; it imports none of them.
"""


def get_media_model():
    """Return the media model configured in ``WAGTAILMEDIA["MEDIA_MODEL"]`` (the pipeline's by default)."""
    from wagtailmedia import get_media_model as wagtailmedia_get_media_model

    return wagtailmedia_get_media_model()


def get_media_model_string() -> str:
    """The ``app_label.ModelName`` of the media model, for foreign keys (like Wagtail's
    ``get_image_model_string``): the pipeline's own models point at whichever model the
    setting names, never at ``MediaAsset`` itself."""
    from wagtailmedia.settings import wagtailmedia_settings

    return wagtailmedia_settings.MEDIA_MODEL
