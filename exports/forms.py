"""The upload form of every spreadsheet import: the file (checked by name, size and content) and
the choice between a dry run and the real import (screens add their own fields to a subclass),
and the screen that shows it with its report (``templates/exports/import_page.html``)."""

from django import forms
from django.template.response import TemplateResponse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from .readers import decode_csv, max_sheet_bytes

# What an XLSX starts with: it is a ZIP package.
ZIP_MAGIC = b"PK\x03\x04"


def spreadsheet_problem(upload) -> str | None:
    """Why this uploaded file cannot be a CSV or XLSX spreadsheet (None when it may be one)."""
    name = upload.name.lower()
    if not name.endswith((".csv", ".xlsx")):
        return _("Only CSV and XLSX files can be imported.")
    if upload.size > max_sheet_bytes():
        return _("The file is larger than %(limit)s MB.") % {"limit": max_sheet_bytes() // (1024 * 1024)}
    upload.seek(0)
    data = upload.read()
    upload.seek(0)
    if name.endswith(".xlsx") and not data.startswith(ZIP_MAGIC):
        return _("The XLSX file cannot be read.")
    if name.endswith(".csv"):
        try:
            text = decode_csv(data)
        except ValueError as error:
            return str(error)
        if "\x00" in text:
            return _("The CSV file must be encoded in UTF-8.")
    return None


class SpreadsheetImportForm(forms.Form):
    """A spreadsheet and whether to write it; without the tick, a dry run that writes nothing."""

    spreadsheet = forms.FileField(label=_("Spreadsheet (CSV or XLSX)"))
    commit = forms.BooleanField(
        label=_("Import for real"), required=False,
        help_text=_("Leave unticked for a dry run: every row is checked and nothing is written."),
    )

    def clean_spreadsheet(self):
        upload = self.cleaned_data["spreadsheet"]
        problem = spreadsheet_problem(upload)
        if problem:
            raise forms.ValidationError(problem)
        return upload


def import_screen(request, *, form: SpreadsheetImportForm, template: str, run, context: dict) -> TemplateResponse:
    """An import's admin screen: ``form`` and, once a valid form is posted, the report that
    ``run(cleaned_data=…, data=…, filename=…, dry_run=…, language=…)`` returns (in the user's language)."""
    report = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["spreadsheet"]
        report = run(cleaned_data=form.cleaned_data, data=upload.read(), filename=upload.name,
                     dry_run=not form.cleaned_data["commit"], language=get_language() or "ar")
    return TemplateResponse(request, template, {"form": form, "report": report, **context})
