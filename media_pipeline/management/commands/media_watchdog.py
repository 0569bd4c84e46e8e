"""Queue again the media jobs whose worker died (run it from cron every few minutes)."""

from django.core.management.base import BaseCommand

from media_pipeline.services import requeue_stalled


class Command(BaseCommand):
    help = "Re-queue media jobs whose worker died (no heartbeat for MEDIA_PIPELINE_STALL_SECONDS, or its process gone); clean what they left."

    def handle(self, *args, **options):
        ids = requeue_stalled()
        self.stdout.write(f"re-queued {len(ids)} job(s){': ' + ', '.join(map(str, ids)) if ids else ''}")
