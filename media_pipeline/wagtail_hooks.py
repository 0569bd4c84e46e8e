"""Admin menu and screens of the pipeline, registered through a viewset."""

from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.viewsets.base import ViewSet

import params.converters  # noqa: F401  (registers the <id:...> converter)

from . import admin_views, get_media_model


class ProcessingViewSet(ViewSet):
    """Upload, follow, retry and cancel recordings' processing; the list is Wagtail's
    generic index view (pagination, search by title, status filter)."""

    name = "media_pipeline_admin"
    url_prefix = "media-pipeline"
    icon = "media"
    menu_label = _("Recordings processing")
    add_to_admin_menu = True
    menu_order = 310

    @cached_property
    def index_view(self):
        return self._index(results_only=False)

    @cached_property
    def index_results_view(self):
        return self._index(results_only=True)

    def _index(self, *, results_only: bool):
        return admin_views.RecordingIndexView.as_view(
            model=get_media_model(),
            results_only=results_only,
            index_url_name=self.get_url_name("index"),
            index_results_url_name=self.get_url_name("index_results"),
            add_url_name=self.get_url_name("upload"),
            edit_url_name="wagtailmedia:edit",
        )

    def get_urlpatterns(self):
        return [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
            path("upload/", admin_views.upload, name="upload"),
            path("<id:pk>/retry/", admin_views.retry, name="retry"),
            path("<id:pk>/cancel/", admin_views.cancel, name="cancel"),
        ]

    @property
    def menu_url(self):
        return reverse(self.get_url_name("index"))


class _PermissionMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm("media_pipeline.change_mediaasset")


@hooks.register("register_admin_viewset")
def register_viewset():
    return ProcessingViewSet()


@hooks.register("register_admin_menu_item")
def upload_menu_item():
    return _PermissionMenuItem(
        _("Upload a recording"), reverse("media_pipeline_admin:upload"), icon_name="upload", order=311
    )
