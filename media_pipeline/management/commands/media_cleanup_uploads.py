"""Delete unfinished tus uploads past their expiry, with their part files (run it from cron daily)."""

from django.core.management.base import BaseCommand

from media_pipeline.tus import cleanup_expired


class Command(BaseCommand):
    help = "Delete expired partial uploads (MEDIA_PIPELINE_UPLOAD_EXPIRY_HOURS)."

    def handle(self, *args, **options):
        self.stdout.write(f"deleted {cleanup_expired()} expired upload(s)")
