"""Admin menu and screens of the pipeline, registered through a viewset."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.viewsets.base import ViewSet

import config.converters  # noqa: F401  (registers the <id:...> converter)

from . import admin_views


class ProcessingViewSet(ViewSet):
    """Upload, follow, retry and cancel recordings' processing."""

    name = "media_pipeline_admin"
    url_prefix = "media-pipeline"
    icon = "media"
    menu_label = _("Recordings processing")
    add_to_admin_menu = True
    menu_order = 310

    def get_urlpatterns(self):
        return [
            path("", admin_views.index, name="index"),
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
    return _PermissionMenuItem(_("Upload a recording"), reverse("media_pipeline_admin:upload"), icon_name="upload",
                               order=311)
