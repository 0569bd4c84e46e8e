"""Wagtail admin screens: resumable upload, processing list with retry and cancel."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import get_media_model, services
from .conf import setting
from .selectors import status_payload


def _require(request, codename: str):
    if not request.user.has_perm(f"media_pipeline.{codename}_mediaasset"):
        raise PermissionDenied


def index(request):
    """Latest recordings with their processing state."""
    _require(request, "change")
    assets = get_media_model().objects.order_by("-created_at")[:100]
    return TemplateResponse(request, "media_pipeline/admin/index.html", {
        "rows": [(a, status_payload(a)) for a in assets],
    })


def upload(request):
    """The resumable uploader inside the admin."""
    _require(request, "add")
    return TemplateResponse(request, "media_pipeline/admin/upload.html", {
        "tus_endpoint": reverse("media_pipeline:tus"),
        "chunk_size": setting("CHUNK_SIZE"),
        "max_size": setting("MAX_UPLOAD_SIZE"),
    })


@require_POST
def retry(request, pk: int):
    _require(request, "change")
    asset = get_object_or_404(get_media_model(), pk=pk)
    try:
        services.asset_retry(asset=asset)
        messages.success(request, _("“%s” is queued again.") % asset.title)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("media_pipeline_admin:index")


@require_POST
def cancel(request, pk: int):
    _require(request, "change")
    asset = get_object_or_404(get_media_model(), pk=pk)
    services.asset_cancel(asset=asset)
    messages.success(request, _("Processing of “%s” is cancelled.") % asset.title)
    return redirect("media_pipeline_admin:index")
