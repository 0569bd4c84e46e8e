"""HTTP endpoints: the tus upload protocol, job status, and the trainers' recordings page."""

import json
import mimetypes
import posixpath
from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import http_date
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from . import delivery, get_media_model, tus
from .conf import setting
from .models import Encode, TusUpload
from .selectors import player_preferences, player_sources, recordings_overview, status_payload
from .services import asset_delete, caption_set, player_preference_set
from .storage import is_local, protected_permission, storage

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
        204,
        Tus_Version=TUS_VERSION,
        Tus_Extension="creation,termination,expiration",
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
            user=request.user,
            length=_int_header(request, "Upload-Length"),
            metadata=metadata,
            collection_id=int(collection) if collection and collection.isdigit() else None,
        )
    except tus.TusError as error:
        return _tus_error(error)
    location = request.build_absolute_uri(reverse("media_pipeline:tus_upload", args=[upload.key]))
    return _tus_response(
        201, Location=location, Upload_Expires=http_date(upload.expires_at.timestamp()), Upload_Offset=0
    )


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
            return _tus_response(
                200,
                Upload_Offset=tus.upload_offset(upload),
                Upload_Length=upload.length,
                Upload_Expires=http_date(upload.expires_at.timestamp()),
                **_asset_headers(upload),
            )
        if request.method == "PATCH":
            if request.content_type != "application/offset+octet-stream":
                raise tus.TusError(415, "Content-Type must be application/offset+octet-stream")
            length = request.headers.get("Content-Length")
            offset = tus.upload_append(
                upload=upload,
                offset=_int_header(request, "Upload-Offset"),
                stream=request,
                content_length=int(length) if length and length.isdigit() else None,
            )
            return _tus_response(
                204,
                Upload_Offset=offset,
                Upload_Expires=http_date(upload.expires_at.timestamp()),
                **_asset_headers(upload),
            )
        if request.method == "DELETE":
            tus.upload_terminate(upload=upload)
            return _tus_response(204)
    except tus.TusError as error:
        return _tus_error(error)
    return HttpResponse(status=405)


def _asset_headers(upload) -> dict:
    if not upload.asset_id:
        return {}
    return {"Media_Id": upload.asset_id, "Media_Status_Url": reverse("media_pipeline:status", args=[upload.asset_id])}


@require_GET
def status(request, pk: int):
    """JSON state of one recording for its uploader or an editor."""
    asset = get_object_or_404(get_media_model(), pk=pk)
    if not (
        request.user.is_authenticated
        and (asset.uploaded_by_user_id == request.user.pk or request.user.has_perm("media_pipeline.change_mediaasset"))
    ):
        raise Http404
    return JsonResponse(status_payload(asset))


@login_required
def my_recordings(request):
    """The trainers' page: resumable upload with progress, and each recording with its length,
    date, state, captions, and the actions on it (watch, captions, use in a lesson, delete)."""
    if not can_upload(request.user):
        raise PermissionDenied
    return render(
        request,
        "media_pipeline/my_recordings.html",
        {
            "recordings": recordings_overview(request.user),
            "caption_languages": CAPTION_LANGUAGES,
            "tus_endpoint": reverse("media_pipeline:tus"),
            "chunk_size": setting("CHUNK_SIZE"),
            "max_size": setting("MAX_UPLOAD_SIZE"),
        },
    )


#: Caption tracks a trainer may add from the recordings page: the site's two languages.
CAPTION_LANGUAGES = [("ar", "العربية"), ("fr", "Français")]
MAX_CAPTION_BYTES = 2 * 1024 * 1024


def _own_asset(request, pk: int, perm: str):
    """The recording, for its uploader or whoever holds ``perm``; 404 for anyone else."""
    asset = get_object_or_404(get_media_model(), pk=pk)
    if asset.uploaded_by_user_id != request.user.pk and not request.user.has_perm(f"media_pipeline.{perm}_mediaasset"):
        raise Http404
    return asset


@login_required
@require_POST
def recording_delete(request, pk: int):
    """Delete one of the trainer's recordings (refused while a page uses it)."""
    asset = _own_asset(request, pk, "delete")
    try:
        asset_delete(asset=asset)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The recording has been deleted."))
    return redirect("media_pipeline:my_recordings")


@login_required
@require_POST
def caption_upload(request, pk: int):
    """Add or replace a recording's caption track (WebVTT or SRT) in Arabic or French."""
    asset = _own_asset(request, pk, "change")
    languages = dict(CAPTION_LANGUAGES)
    language = request.POST.get("language", "")
    upload = request.FILES.get("file")
    if language not in languages or upload is None or upload.size > MAX_CAPTION_BYTES:
        messages.error(request, _("Choose a language and a WebVTT or SRT file of at most 2 MB."))
        return redirect("media_pipeline:my_recordings")
    try:
        caption_set(asset=asset, language=language, label=languages[language], content=upload.read())
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The captions have been saved."))
    return redirect("media_pipeline:my_recordings")


@login_required
def watch(request, pk: int):
    """Preview of one recording in the player, for its uploader and editors."""
    asset = get_object_or_404(get_media_model().objects.select_related("current_encode"), pk=pk)
    if asset.uploaded_by_user_id != request.user.pk and not request.user.has_perm("media_pipeline.change_mediaasset"):
        raise Http404
    return render(
        request,
        "media_pipeline/watch.html",
        {"asset": asset, "player": player_sources(asset, signed=True, user=request.user)},
    )


# --- delivery: master playlists with subtitles, playback tokens -----------------------

_PLAYLIST = "application/vnd.apple.mpegurl"
#: Public playback: file names never change (a new encode is a new prefix).
_FOREVER = "public, max-age=31536000, immutable"


def _granted_encode(request, token: str):
    """(asset, encode, grant) for a valid token naming the asset's current encode and,
    for a token tied to a learner, requested by that learner; otherwise 404."""
    try:
        grant = delivery.read_token(token)
    except delivery.BadToken as exc:
        raise Http404("expired or invalid link") from exc
    if grant.user_id is not None and request.user.pk != grant.user_id:
        raise Http404("this link belongs to another session")
    encode = Encode.objects.select_related("asset").filter(pk=grant.encode_id).first()
    if encode is None or encode.asset.current_encode_id != encode.pk:
        raise Http404("this recording has been replaced")
    return encode.asset, encode, grant


def _cache_control(grant, *, public: str = "public, max-age=300") -> str:
    # Signed responses hold or are URLs that expire and belong to one learner: never
    # kept by shared caches. Public playlists change only when captions do.
    return "private, no-store" if grant.signed else public


def _playlist_response(text: str, grant) -> HttpResponse:
    response = HttpResponse(text, content_type=_PLAYLIST)
    response["Cache-Control"] = _cache_control(grant)
    return response


def _resolver(asset, encode, token: str, base: str):
    """Turn a name relative to ``base`` (a stored playlist's folder) into a file URL."""
    seconds = delivery.token_lifetime(asset)
    # A three-hour recording has thousands of files: look names up in a set.
    files = set(encode.files)

    def resolve(relative: str) -> str:
        name = posixpath.normpath(posixpath.join(base, relative))
        if name not in files:
            return relative
        return delivery.signed_file_url(name, token=token, encode_prefix=encode.prefix, seconds=seconds)

    return resolve


@require_GET
def hls_master(request, token: str):
    """The master playlist of a recording: variants, the audio group and one subtitle
    rendition per caption language (captions added after the encode included)."""
    asset, encode, grant = _granted_encode(request, token)

    def variant_uri(rendition):
        return reverse("media_pipeline:hls_variant", args=[token, rendition.spec])

    def subtitle_uri(caption):
        return reverse("media_pipeline:hls_subtitles", args=[token, caption.language])

    return _playlist_response(delivery.master_text(asset, variant_uri=variant_uri, subtitle_uri=subtitle_uri), grant)


@require_GET
def hls_variant(request, token: str, spec: str):
    """One rung's media playlist with every segment as an absolute file URL."""
    asset, encode, grant = _granted_encode(request, token)
    rendition = asset.renditions.filter(encode=encode, spec=spec).first()
    if rendition is None:
        raise Http404
    with storage().open(rendition.playlist, "rb") as fh:
        text = fh.read().decode("utf-8")
    resolve = _resolver(asset, encode, token, posixpath.dirname(rendition.playlist))
    return _playlist_response(delivery.rewrite_playlist(text, resolve=resolve), grant)


@require_GET
def hls_subtitles(request, token: str, language: str):
    """A subtitle rendition: one WebVTT segment spanning the whole recording."""
    asset, encode, grant = _granted_encode(request, token)
    caption = asset.captions.filter(language=language).first()
    if caption is None:
        raise Http404
    vtt = delivery.signed_file_url(
        caption.file.name, token=token, encode_prefix=encode.prefix, seconds=delivery.token_lifetime(asset)
    )
    return _playlist_response(delivery.subtitle_playlist(duration=float(asset.duration or 0), vtt_uri=vtt), grant)


@require_GET
def hls_storyboard(request, token: str):
    """The storyboard track with each tile's image as a file URL."""
    asset, encode, grant = _granted_encode(request, token)
    if not encode.storyboard_vtt:
        raise Http404
    with storage().open(encode.storyboard_vtt, "rb") as fh:
        text = fh.read().decode("utf-8")
    resolve = _resolver(asset, encode, token, posixpath.dirname(encode.storyboard_vtt))
    response = HttpResponse(delivery.rewrite_playlist(text, resolve=resolve), content_type="text/vtt; charset=utf-8")
    response["Cache-Control"] = _cache_control(grant)
    return response


def _send_stored(request, name: str, *, cache_control: str, seconds: int) -> HttpResponse:
    """One protected stored file: handed to nginx (``ACCEL_REDIRECT``), streamed with
    byte ranges by Django, or, on remote storage, a redirect to its signed URL."""
    store = storage()
    if not is_local():
        response = HttpResponseRedirect(store.url(name, expire=max(1, seconds)))
        response["Cache-Control"] = "private, no-store"
        return response
    content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    accel = setting("ACCEL_REDIRECT")
    if accel:
        response = HttpResponse(content_type=content_type)
        response["X-Accel-Redirect"] = accel.rstrip("/") + "/" + quote(name)
    else:
        try:
            size = store.size(name)
            handle = store.open(name, "rb")
        except OSError:
            raise Http404 from None
        response = delivery.ranged_file_response(request, handle, size=size, content_type=content_type)
    response["Cache-Control"] = cache_control
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_GET
def hls_file(request, token: str, path: str):
    """One stored file of a playback on local storage (S3 presigns instead).

    Only names the encode recorded, or the asset's caption files, are served: the
    token cannot be used to read anything else (never the original). With
    ``MEDIA_PIPELINE_ACCEL_REDIRECT`` set, nginx sends the bytes (with byte ranges)
    from an ``internal`` location.
    """
    asset, encode, grant = _granted_encode(request, token)
    if path.startswith("captions/"):
        wanted = path.split("/", 1)[1]
        name = next((c.file.name for c in asset.captions.all() if posixpath.basename(c.file.name) == wanted), None)
    else:
        candidate = f"{encode.prefix}/{path}"
        name = candidate if candidate in encode.files else None
    if name is None:
        raise Http404
    seconds = grant.seconds_left() if grant.signed else delivery.token_lifetime(asset)
    cache = f"private, max-age={grant.seconds_left()}" if grant.signed else _FOREVER
    return _send_stored(request, name, cache_control=cache, seconds=seconds)


@require_GET
def protected_file(request, name: str):
    """A protected stored file for staff who manage it (an original, a document's file):
    where the storage's URL of a protected name points. 404 to everyone else."""
    permission = protected_permission(name)
    if permission is None or not request.user.has_perm(permission) or not storage().exists(name):
        raise Http404
    response = _send_stored(request, name, cache_control="private, no-store", seconds=300)
    response["Content-Disposition"] = "attachment"
    return response


@require_POST
def preferences(request):
    """Save the signed-in learner's quality, speed or caption language (JSON body)."""
    if not request.user.is_authenticated:
        return JsonResponse({"errors": {"__all__": [str(_("Sign in to keep your player settings."))]}}, status=403)
    try:
        data = json.loads(request.body or b"{}")
    except ValueError:
        data = None
    if not isinstance(data, dict):
        return JsonResponse({"errors": {"__all__": [str(_("The request is not valid JSON."))]}}, status=400)
    fields = {k: str(data[k]) for k in ("quality", "speed", "captions") if data.get(k) is not None}
    try:
        player_preference_set(user=request.user, **fields)
    except ValidationError as exc:
        return JsonResponse({"errors": {k: [str(m) for m in v] for k, v in exc.message_dict.items()}}, status=400)
    return JsonResponse(player_preferences(request.user))
