"""Wagtail admin screens: the paginated list of recordings, the resumable upload, retry and cancel."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.admin.views.generic import IndexView
from wagtail.permission_policies import ModelPermissionPolicy

from . import get_media_model, services
from .conf import setting
from .selectors import status_payload


def _require(request, codename: str):
    if not request.user.has_perm(f"media_pipeline.{codename}_mediaasset"):
        raise PermissionDenied


class StatusColumn(Column):
    """The processing state with the queue position, percent and time left."""

    cell_template_name = "media_pipeline/admin/status_cell.html"

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        context["status"] = status_payload(instance)
        return context


class ActionsColumn(Column):
    """Retry or cancel (POST forms), and ffmpeg's log when it failed."""

    cell_template_name = "media_pipeline/admin/actions_cell.html"


class RecordingIndexView(IndexView):
    """Every recording, newest first, 50 a page, searchable by title and filtered by status."""

    page_title = gettext_lazy("Recordings processing")
    header_icon = "media"
    paginate_by = 50
    search_fields = ["title"]
    search_backend_name = None  # the database's icontains: no dependency on the search index
    list_filter = ["status"]
    default_ordering = "-created_at"
    any_permission_required = ["change"]
    add_item_label = gettext_lazy("Upload a recording")

    @cached_property
    def permission_policy(self):
        return ModelPermissionPolicy(self.model)

    @cached_property
    def columns(self):
        return [
            TitleColumn("title", label=gettext_lazy("Title"), sort_key="title"),
            StatusColumn("status", label=gettext_lazy("Status"), sort_key="status"),
            Column("created_at", label=gettext_lazy("Uploaded"), sort_key="created_at"),
            ActionsColumn("actions", label=""),
        ]


def upload(request):
    """The resumable uploader inside the admin."""
    _require(request, "add")
    return TemplateResponse(
        request,
        "media_pipeline/admin/upload.html",
        {
            "tus_endpoint": reverse("media_pipeline:tus"),
            "chunk_size": setting("CHUNK_SIZE"),
            "max_size": setting("MAX_UPLOAD_SIZE"),
        },
    )


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
