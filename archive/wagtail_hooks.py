"""Admin screens of the archive: the spreadsheet import (dry run first, then all or nothing)."""

from django import forms
from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.viewsets.base import ViewSet
from wagtail.models import Locale

from exports.forms import SpreadsheetImportForm

from .attachments import allowed_extensions
from .importer import import_max_zip_bytes, run_import
from .models import ArchiveIndexPage


class ImportForm(SpreadsheetImportForm):
    """The archive's upload: the spreadsheet, its attachments (a ZIP) and the dry-run choice."""

    field_order = ["spreadsheet", "attachments", "commit"]

    attachments = forms.FileField(label=_("Attachments (ZIP, optional)"), required=False)

    def clean_attachments(self):
        upload = self.cleaned_data.get("attachments")
        if upload and upload.size > import_max_zip_bytes():
            raise forms.ValidationError(_("The attachments file is too large."))
        if upload and not upload.name.lower().endswith(".zip"):
            raise forms.ValidationError(_("The attachments must be a ZIP file."))
        return upload


def _archive_index():
    return ArchiveIndexPage.objects.filter(locale=Locale.get_default()).first() or ArchiveIndexPage.objects.first()


def import_view(request):
    """Upload a spreadsheet and a ZIP; show every row's problems, or what was imported."""
    index = _archive_index()
    if index is None or not index.permissions_for_user(request.user).can_add_subpage():
        raise PermissionDenied
    report = None
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["spreadsheet"]
        report = run_import(
            index=index, data=upload.read(), filename=upload.name, zip_file=form.cleaned_data.get("attachments"),
            dry_run=not form.cleaned_data["commit"], language=get_language() or "ar", user=request.user,
        )
    return TemplateResponse(request, "archive/admin/import.html", {
        "form": form, "report": report, "index": index, "page_title": _("Import activities"),
        "attachment_types": ", ".join(allowed_extensions()),
    })


class ArchiveImportViewSet(ViewSet):
    """The import screen under Settings-free admin URL ``/admin/archive-import/``."""

    name = "archive_import"
    url_prefix = "archive-import"
    icon = "upload"
    menu_label = _("Import activities")
    add_to_admin_menu = True

    def get_urlpatterns(self):
        return [path("", import_view, name="index")]

    def get_menu_item(self, order=None):
        return MenuItem(self.menu_label, reverse("archive_import:index"), icon_name=self.icon, order=order or 900)


@hooks.register("register_admin_viewset")
def register_import_viewset():
    return ArchiveImportViewSet()
