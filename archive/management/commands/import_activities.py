"""``manage.py import_activities FILE [--attachments ZIP] [--commit]``: import a spreadsheet into the archive."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from wagtail.models import Locale

from archive.importer import run_import
from archive.models import ArchiveIndexPage


class Command(BaseCommand):
    help = "Check (dry run, the default) or import a CSV/XLSX of past activities; all or nothing."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--attachments", help="ZIP of the files named in the 'attachments' column")
        parser.add_argument("--commit", action="store_true", help="write the activities (without it: dry run)")
        parser.add_argument("--language", default="ar", choices=["ar", "fr"], help="language of the report")

    def handle(self, *args, **options):
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"{path} does not exist")
        index = ArchiveIndexPage.objects.filter(locale=Locale.get_default()).first() or ArchiveIndexPage.objects.first()
        if index is None:
            raise CommandError("There is no archive page yet: run load_demo or create one.")
        zip_file = open(options["attachments"], "rb") if options["attachments"] else None  # noqa: SIM115
        try:
            report = run_import(index=index, data=path.read_bytes(), filename=path.name, zip_file=zip_file,
                                dry_run=not options["commit"], language=options["language"])
        finally:
            if zip_file:
                zip_file.close()
        for message in report.file_errors:
            self.stderr.write(message)
        for row in report.rows:
            for message in row.errors:
                self.stderr.write(f"{row.number} [{row.label}] {message}")
        summary = f"{len(report.rows)} rows: {report.created} to create, {report.updated} to update, {report.error_count} problems"
        if not report.ok:
            raise CommandError(summary + "; nothing was imported.")
        self.stdout.write(self.style.SUCCESS(summary + ("; imported." if report.written else "; dry run, nothing written.")))
