"""Extract the text of every Wagtail document (existing data, or after changing the extractor)."""

from django.core.management.base import BaseCommand
from wagtail.documents import get_document_model

from search.models import DocumentText
from search.services import document_text_extract


class Command(BaseCommand):
    help = (
        "Extract the text of every document that has none yet, or whose file changed (--force: all). "
        "Pages are not re-indexed here (the worker is the index's writer): run update_index afterwards."
    )

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="Read every file again.")

    def handle(self, *args, force=False, **options):
        ids = list(get_document_model().objects.order_by("pk").values_list("pk", flat=True))
        for pk in ids:
            document_text_extract(document_id=pk, force=force, reindex=False)
        counts = {status: DocumentText.objects.filter(status=status).count() for status in DocumentText.Status.values}
        summary = ", ".join(f"{status} {count}" for status, count in counts.items())
        self.stdout.write(f"{len(ids)} documents: {summary}. Run `manage.py update_index` to refresh the pages.")
