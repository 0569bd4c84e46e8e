"""HTTP endpoints: the tus upload protocol, job status, and the trainers' recordings page."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import http_date
from django.views.decorators.http import require_GET

from . import get_media_model, tus
from .conf import setting
from .models import TusUpload
from .selectors import assets_of_user, player_sources, status_payload

TUS_VERSION = "1.0.0"


def can_upload(user) -> bool:
    """Trainers and editors upload: anyone allowed to add recordings."""
    return user.is_authenticated and user.has_perm("media_pipeline.add_mediaasset")


def _tus_response(status: int = 204, **headers) -> HttpResponse:
    response = HttpResponse(status=status)
    response["Tus-Resumable"] = TUS_VERSION
    response["Cache-Control"] = "no-store"
    for name, value in headers.items():
        response[name.replace("_", "-")] = str(value)
    return response


def _tus_error(error: tus.TusError) -> HttpResponse:
    response = HttpResponse(error.message, status=error.status, content_type="text/plain; charset=utf-8")
    response["Tus-Resumable"] = TUS_VERSION
    return response


def _options() -> HttpResponse:
    return _tus_response(
        204, Tus_Version=TUS_VERSION, Tus_Extension="creation,termination,expiration",
        Tus_Max_Size=setting("MAX_UPLOAD_SIZE"),
    )


def _check_version(request):
    if request.headers.get("Tus-Resumable") != TUS_VERSION:
        raise tus.TusError(412, "Tus-Resumable 1.0.0 is required")


def _int_header(request, name: str) -> int:
    try:
        return int(request.headers.get(name, ""))
    except ValueError as exc:
        raise tus.TusError(400, f"{name} must be an integer") from exc


def tus_collection(request):
    """POST creates an upload; OPTIONS tells what the server supports."""
    if request.method == "OPTIONS":
        return _options()
    if request.method != "POST":
        return HttpResponse(status=405)
    if not can_upload(request.user):
        raise PermissionDenied
    try:
        _check_version(request)
        if request.headers.get("Upload-Defer-Length"):
            raise tus.TusError(400, "Upload-Length is required")
        metadata = tus.parse_metadata(request.headers.get("Upload-Metadata", ""))
        collection = metadata.get("collection")
        upload = tus.upload_create(
            user=request.user, length=_int_header(request, "Upload-Length"), metadata=metadata,
            collection_id=int(collection) if collection and collection.isdigit() else None,
        )
    except tus.TusError as error:
        return _tus_error(error)
    location = request.build_absolute_uri(reverse("media_pipeline:tus_upload", args=[upload.key]))
    return _tus_response(201, Location=location, Upload_Expires=http_date(upload.expires_at.timestamp()),
                         Upload_Offset=0)


def tus_upload(request, key):
    """HEAD reports the offset, PATCH appends bytes, DELETE terminates."""
    if request.method == "OPTIONS":
        return _options()
    if not can_upload(request.user):
        raise PermissionDenied
    upload = TusUpload.objects.filter(key=key, user=request.user).first()
    if upload is None:
        raise Http404
    try:
        _check_version(request)
        if request.method == "HEAD":
            if upload.expires_at < timezone.now() and not upload.asset_id:
                raise tus.TusError(410, "This upload has expired")
            return _tus_response(200, Upload_Offset=tus.upload_offset(upload), Upload_Length=upload.length,
                                 Upload_Expires=http_date(upload.expires_at.timestamp()),
                                 **_asset_headers(upload))
        if request.method == "PATCH":
            if request.content_type != "application/offset+octet-stream":
                raise tus.TusError(415, "Content-Type must be application/offset+octet-stream")
            length = request.headers.get("Content-Length")
            offset = tus.upload_append(
                upload=upload, offset=_int_header(request, "Upload-Offset"), stream=request,
                content_length=int(length) if length and length.isdigit() else None,
            )
            return _tus_response(204, Upload_Offset=offset, Upload_Expires=http_date(upload.expires_at.timestamp()),
                                 **_asset_headers(upload))
        if request.method == "DELETE":
            tus.upload_terminate(upload=upload)
            return _tus_response(204)
    except tus.TusError as error:
        return _tus_error(error)
    return HttpResponse(status=405)


def _asset_headers(upload) -> dict:
    if not upload.asset_id:
        return {}
    return {"Media_Id": upload.asset_id,
            "Media_Status_Url": reverse("media_pipeline:status", args=[upload.asset_id])}


@require_GET
def status(request, pk: int):
    """JSON state of one recording for its uploader or an editor."""
    asset = get_object_or_404(get_media_model(), pk=pk)
    if not (request.user.is_authenticated and (asset.uploaded_by_user_id == request.user.pk
                                               or request.user.has_perm("media_pipeline.change_mediaasset"))):
        raise Http404
    return JsonResponse(status_payload(asset))


@login_required
def my_recordings(request):
    """The trainers' page: resumable upload with progress, and the state of each recording."""
    if not can_upload(request.user):
        raise PermissionDenied
    assets = list(assets_of_user(request.user).select_related("current_encode")[:100])
    return render(request, "media_pipeline/my_recordings.html", {
        "assets": [(a, status_payload(a)) for a in assets],
        "tus_endpoint": reverse("media_pipeline:tus"),
        "chunk_size": setting("CHUNK_SIZE"),
        "max_size": setting("MAX_UPLOAD_SIZE"),
    })


@login_required
def watch(request, pk: int):
    """Preview of one recording in the player, for its uploader and editors."""
    asset = get_object_or_404(get_media_model().objects.select_related("current_encode"), pk=pk)
    if asset.uploaded_by_user_id != request.user.pk and not request.user.has_perm("media_pipeline.change_mediaasset"):
        raise Http404
    return render(request, "media_pipeline/watch.html", {"asset": asset, "player": player_sources(asset)})
