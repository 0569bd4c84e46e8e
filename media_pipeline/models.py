"""The media library: a source file, its encodes and their renditions.

Shaped like Wagtail's images: ``MediaAsset`` is the source (wagtailmedia's custom
media model), ``Rendition`` one output of the current encode, unique per
(source, spec). Every encode writes under a fresh storage prefix, so object names
never change and can be cached forever; the asset points to an encode only once
all of its files are stored.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtailmedia.models import AbstractMedia

from . import get_media_model_string


class MediaStatus(models.TextChoices):
    UPLOADED = "uploaded", _("Uploaded")
    QUEUED = "queued", _("Queued")
    PROCESSING = "processing", _("Processing")
    READY = "ready", _("Ready")
    FAILED = "failed", _("Failed")
    CANCELLED = "cancelled", _("Cancelled")


def original_upload_to(instance, filename):
    return f"media_pipeline/originals/{filename}"


class MediaAsset(AbstractMedia):
    """A recording as uploaded (the original), with its probe and processing state."""

    file = models.FileField(upload_to=original_upload_to, max_length=500, verbose_name=_("file"))
    original_filename = models.CharField(_("original file name"), max_length=255, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=MediaStatus.choices, default=MediaStatus.UPLOADED, db_index=True
    )
    # ffprobe's answer, stored once: nothing reads the source again to learn its shape.
    probe = models.JSONField(_("probe"), default=dict, blank=True)
    progress = models.FloatField(_("progress (%)"), default=0)
    eta_seconds = models.PositiveIntegerField(_("time left (s)"), null=True, blank=True)
    queued_at = models.DateTimeField(_("queued at"), null=True, blank=True)
    progress_at = models.DateTimeField(_("last progress"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)
    error_log = models.TextField(_("end of ffmpeg output"), blank=True)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    current_encode = models.ForeignKey(
        "media_pipeline.Encode", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    admin_form_fields = ("title", "file", "collection", "tags")

    class Meta(AbstractMedia.Meta):
        verbose_name = _("recording")
        verbose_name_plural = _("recordings")

    @property
    def is_ready(self) -> bool:
        return self.status == MediaStatus.READY and self.current_encode_id is not None

    @property
    def is_playable(self) -> bool:
        """An encode is published: the low rungs of a long recording still being
        encoded, or the previous encode while a new one runs."""
        return self.current_encode_id is not None

    @property
    def has_video(self) -> bool:
        return any(s.get("codec_type") == "video" for s in self.probe.get("streams", []))

    @property
    def has_audio(self) -> bool:
        return any(s.get("codec_type") == "audio" for s in self.probe.get("streams", []))


class Encode(models.Model):
    """One run of the ladder; its files live under ``prefix`` and are never rewritten."""

    class Status(models.TextChoices):
        RUNNING = "running", _("Running")
        # Low rungs published (first pass of a long recording); the high rungs follow.
        PARTIAL = "partial", _("Low rungs published")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")
        ABANDONED = "abandoned", _("Abandoned")

    asset = models.ForeignKey(get_media_model_string(), on_delete=models.CASCADE, related_name="encodes")
    key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    prefix = models.CharField(max_length=255)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.RUNNING)
    files = models.JSONField(default=list, blank=True)
    master = models.CharField(max_length=500, blank=True)
    poster = models.CharField(max_length=500, blank=True)
    storyboard_image = models.CharField(max_length=500, blank=True)
    storyboard_vtt = models.CharField(max_length=500, blank=True)
    mp4 = models.CharField(max_length=500, blank=True)
    audio = models.CharField(max_length=500, blank=True)
    wall_seconds = models.FloatField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # Who runs it, so the watchdog can tell a dead worker from a slow ffmpeg: the worker
    # touches ``heartbeat_at`` from its own thread while the task runs ("host:pid" in
    # ``worker``), ``task_id`` is its task row, ``workdir`` the local folder to remove.
    worker = models.CharField(max_length=255, blank=True)
    task_id = models.CharField(max_length=64, blank=True)
    workdir = models.CharField(max_length=500, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return f"{self.asset_id}/{self.key}"


class Rendition(models.Model):
    """One rung of the current encode (``spec`` is ``audio`` or ``<height>p``)."""

    asset = models.ForeignKey(get_media_model_string(), on_delete=models.CASCADE, related_name="renditions")
    encode = models.ForeignKey(Encode, on_delete=models.CASCADE, related_name="renditions")
    spec = models.CharField(max_length=16)
    playlist = models.CharField(max_length=500)
    width = models.PositiveIntegerField(null=True, blank=True)
    height = models.PositiveIntegerField(null=True, blank=True)
    bandwidth = models.PositiveIntegerField(default=0)
    average_bandwidth = models.PositiveIntegerField(default=0)
    codecs = models.CharField(max_length=64, blank=True)
    frame_rate = models.FloatField(default=0)
    size = models.BigIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["asset", "spec"], name="media_pipeline_rendition_unique")]
        ordering = ["height"]

    def __str__(self):
        return f"{self.asset_id}:{self.spec}"


class Caption(models.Model):
    """A WebVTT caption track in one language (SRT uploads are converted on the way in)."""

    asset = models.ForeignKey(get_media_model_string(), on_delete=models.CASCADE, related_name="captions")
    language = models.CharField(_("language"), max_length=12)
    label = models.CharField(_("label"), max_length=64)
    file = models.FileField(_("file"), upload_to="media_pipeline/captions/", max_length=500)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["asset", "language"], name="media_pipeline_caption_unique")]

    def __str__(self):
        return f"{self.asset_id}:{self.language}"


class TusUpload(models.Model):
    """A resumable upload in progress (tus protocol); its bytes live in a local part file."""

    key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    length = models.BigIntegerField()
    offset = models.BigIntegerField(default=0)
    filename = models.CharField(max_length=255)
    title = models.CharField(max_length=255, blank=True)
    collection_id = models.PositiveIntegerField(null=True, blank=True)
    expires_at = models.DateTimeField()
    asset = models.ForeignKey(
        get_media_model_string(), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return str(self.key)


def _error_message(self) -> str:
    from .errors import reason

    return reason(self.error)


MediaAsset.error_message = property(_error_message)


class PlayerPreference(models.Model):
    """A learner's player settings, kept on the server so they follow them from the
    commune's shared computer to their phone (the browser's storage does not)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="player_preference", verbose_name=_("user")
    )
    # "auto", "audio" (data saver) or a rung's short side such as "360".
    quality = models.CharField(_("quality"), max_length=8, default="auto")
    speed = models.DecimalField(_("speed"), max_digits=3, decimal_places=2, default=1)
    captions = models.CharField(_("caption language"), max_length=12, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("player preference")
        verbose_name_plural = _("player preferences")

    def __str__(self):
        return f"{self.user_id}: {self.quality} {self.speed}x {self.captions}"
