"""The admin screen of the attendees' import: choose a session, upload, read the dry run, then import."""

from django import forms
from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from wagtail.admin.menu import MenuItem
from wagtail.admin.viewsets.base import ViewSet

from exports.forms import SpreadsheetImportForm

from .models import Session, SessionStatus
from .services.imports import COLUMNS, run_import


class AttendeeImportForm(SpreadsheetImportForm):
    """The session the people are registered for, then the spreadsheet and the dry-run choice."""

    field_order = ["session", "spreadsheet", "commit"]

    session = forms.ModelChoiceField(
        label=_("Session"), queryset=Session.objects.exclude(status__in=[SessionStatus.CANCELLED, SessionStatus.CLOSED]),
    )


def import_view(request):
    """Upload a sheet of attendees for one session; show every row's problems, or what was imported."""
    if not request.user.has_perm("programme.add_registration"):
        raise PermissionDenied
    report = None
    form = AttendeeImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["spreadsheet"]
        report = run_import(
            session=form.cleaned_data["session"], data=upload.read(), filename=upload.name,
            dry_run=not form.cleaned_data["commit"], language=get_language() or "ar",
        )
    return TemplateResponse(request, "programme/admin/import.html", {
        "form": form, "report": report, "columns": ", ".join(COLUMNS), "page_title": _("Import attendees"),
    })


class AttendeeImportViewSet(ViewSet):
    """``/admin/programme/import/``: people without an account registered from a spreadsheet."""

    name = "programme_import"
    url_prefix = "programme/import"
    icon = "upload"
    menu_label = _("Import attendees")
    add_to_admin_menu = True

    def get_urlpatterns(self):
        return [path("", import_view, name="index")]

    def get_menu_item(self, order=None):
        item = MenuItem(self.menu_label, reverse("programme_import:index"), icon_name=self.icon, order=order or 905)
        item.is_shown = lambda request: request.user.has_perm("programme.add_registration")
        return item
