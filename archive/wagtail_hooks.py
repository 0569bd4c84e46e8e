"""Admin screens of the archive: the spreadsheet import (dry run first, then all or nothing)."""

from django import forms
from django.core.exceptions import PermissionDenied
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.viewsets.base import ViewSet
from wagtail.models import Locale

from exports.forms import SpreadsheetImportForm, import_screen

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

    def run(*, cleaned_data, **upload):
        return run_import(index=index, zip_file=cleaned_data.get("attachments"), user=request.user, **upload)

    return import_screen(request, form=ImportForm(request.POST or None, request.FILES or None),
                         template="archive/admin/import.html", run=run, context={
                             "index": index, "page_title": _("Import activities"),
                             "attachment_types": ", ".join(allowed_extensions()),
                         })


class ImportViewSet(ViewSet):
    """A spreadsheet import's screen at ``/admin/<url_prefix>/``, in the admin menu for those whom
    ``may_import(user)`` allows: the archive's, and the programme's attendees (which subclasses it)."""

    icon = "upload"
    add_to_admin_menu = True
    menu_order = 900
    #: The screen's view (request → response), which each import sets: it answers through
    #: ``exports.forms.import_screen``.
    screen = None

    def may_import(self, user) -> bool:
        return True

    def get_urlpatterns(self):
        return [path("", self.screen, name="index")]

    def get_menu_item(self, order=None):
        item = MenuItem(self.menu_label, reverse(f"{self.name}:index"), icon_name=self.icon, order=order or self.menu_order)
        item.is_shown = lambda request: self.may_import(request.user)
        return item


class ArchiveImportViewSet(ImportViewSet):
    """The archive's import screen, ``/admin/archive-import/``."""

    name = "archive_import"
    url_prefix = "archive-import"
    menu_label = _("Import activities")
    screen = staticmethod(import_view)


@hooks.register("register_admin_viewset")
def register_import_viewset():
    return ArchiveImportViewSet()
