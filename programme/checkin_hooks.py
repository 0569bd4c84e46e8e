"""The door's entry in the Wagtail admin menu (imported at the bottom of ``wagtail_hooks.py``)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from .services.checkin import can_check_in


class _CheckInMenuItem(MenuItem):
    def is_shown(self, request):
        return can_check_in(request.user)


@hooks.register("register_admin_menu_item")
def check_in_menu_item():
    """"Check-in at the door": the session list, each with its phone page and sign-in sheets."""
    return _CheckInMenuItem(_("Check-in at the door"), reverse("checkin:index"), icon_name="tick", order=420)
