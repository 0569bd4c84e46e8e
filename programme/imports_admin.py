"""The admin screen of the attendees' import: choose a session, upload, read the dry run, then import."""

from django import forms
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _

from archive.wagtail_hooks import ImportViewSet
from exports.forms import SpreadsheetImportForm, import_screen

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

    def run(*, cleaned_data, **upload):
        return run_import(session=cleaned_data["session"], **upload)

    return import_screen(request, form=AttendeeImportForm(request.POST or None, request.FILES or None),
                         template="programme/admin/import.html", run=run,
                         context={"columns": ", ".join(COLUMNS), "page_title": _("Import attendees")})


class AttendeeImportViewSet(ImportViewSet):
    """``/admin/programme/import/``: people without an account registered from a spreadsheet."""

    name = "programme_import"
    url_prefix = "programme/import"
    menu_label = _("Import attendees")
    menu_order = 905
    screen = staticmethod(import_view)

    def may_import(self, user) -> bool:
        return user.has_perm("programme.add_registration")
