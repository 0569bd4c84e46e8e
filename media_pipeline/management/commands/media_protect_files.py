"""Move recordings and documents stored before protection out of the public media folder
(on S3: make their objects private). Run it once after upgrading, before restarting the
web service; running it again does nothing."""

from django.core.management.base import BaseCommand

from media_pipeline.storage import protect_existing


class Command(BaseCommand):
    help = "Move protected files (PROTECTED_MEDIA_PREFIXES) from MEDIA_ROOT to PROTECTED_MEDIA_ROOT, or make them private on S3."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Count what would change, change nothing.")

    def handle(self, *args, dry_run=False, **options):
        counts = protect_existing(dry_run=dry_run)
        prefix = "would be " if dry_run else ""
        self.stdout.write(
            f"{prefix}moved: {counts['moved']}, {prefix}made private: {counts['made_private']}, "
            f"left in place (already protected under the same name): {counts['conflicts']}"
        )
