"""Give the S3 bucket the CORS rule the site's pages need to read its files in script (the
HLS player's segments, lessons stored for offline use): media_pipeline.storage.bucket_cors_rules."""

from urllib.parse import urlsplit

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from media_pipeline.storage import bucket_cors_rules, bucket_cors_set


def _site_origin() -> list[str]:
    parts = urlsplit(getattr(settings, "WAGTAILADMIN_BASE_URL", "") or "")
    return [f"{parts.scheme}://{parts.netloc}"] if parts.scheme and parts.netloc else []


class Command(BaseCommand):
    help = "Set the S3 bucket's CORS rule: GET/HEAD from the site's origins (default: WAGTAILADMIN_BASE_URL's)."

    def add_arguments(self, parser):
        parser.add_argument("--origin", action="append", default=[], help="An origin of the site (repeatable).")
        parser.add_argument("--dry-run", action="store_true", help="Print the rule, change nothing.")

    def handle(self, *args, origin=(), dry_run=False, **options):
        origins = list(origin) or _site_origin()
        if dry_run:
            self.stdout.write(str(bucket_cors_rules(origins)))
            return
        try:
            rules = bucket_cors_set(origins)
        except ValueError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"CORS rule set for: {', '.join(rules[0]['AllowedOrigins'])}")
