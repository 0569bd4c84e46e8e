"""``manage.py export_activities OUT.{csv,xlsx,json}``: the whole public archive in the import columns."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from wagtail.models import Locale

from archive import exporter
from archive.selectors import activity_list


class Command(BaseCommand):
    help = "Export every live activity as CSV, XLSX or JSON (format from the file extension)."

    def add_arguments(self, parser):
        parser.add_argument("out")

    def handle(self, *args, **options):
        out = Path(options["out"])
        writers = {".csv": exporter.to_csv, ".xlsx": exporter.to_xlsx, ".json": exporter.to_json}
        if out.suffix not in writers:
            raise CommandError("Use a .csv, .xlsx or .json file name.")
        rows = exporter.export_rows(activity_list(locale=Locale.get_default()))
        out.write_bytes(writers[out.suffix](rows))
        self.stdout.write(self.style.SUCCESS(f"{len(rows)} activities written to {out}"))
