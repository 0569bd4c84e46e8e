"""progafter's admin: the "after the session" screen (closing, evaluations), registered from wagtail_hooks."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.viewsets.base import ViewSet

from . import after_admin


class StaffMenuItem(MenuItem):
    """Shown to programme staff only."""

    def is_shown(self, request):
        return request.user.has_perm(after_admin.STAFF_PERMISSION)


class AfterSessionViewSet(ViewSet):
    """``/admin/programme-after/``: held sessions to close, closed ones, evaluations."""

    name = "programme_after"
    url_prefix = "programme-after"
    icon = "tasks"
    menu_label = _("After the session")
    add_to_admin_menu = True

    def get_urlpatterns(self):
        return [
            path("", after_admin.sessions_after, name="index"),
            path("<id:session_id>/close/", after_admin.close, name="close"),
            path("<id:session_id>/evaluations/", after_admin.evaluations, name="evaluations"),
        ]

    def get_menu_item(self, order=None):
        return StaffMenuItem(self.menu_label, reverse("programme_after:index"), icon_name=self.icon, order=order or 910)


@hooks.register("register_admin_viewset")
def register_after_viewset():
    return AfterSessionViewSet()
