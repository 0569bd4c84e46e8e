"""The text extracted from Wagtail documents, indexed with the pages that attach them."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.documents import get_document_model_string


class DocumentText(models.Model):
    """The plain text of one document (PDF, office file, plain text), extracted by the worker.

    ``source_key`` (file name, size and hash) lets a re-save of the same file skip
    extraction. Pages that attach the document read ``text`` when they are indexed
    (``search.selectors.document_texts``), and are re-indexed when it changes.
    """

    class Status(models.TextChoices):
        DONE = "done", _("Extracted")
        EMPTY = "empty", _("No text found")
        UNSUPPORTED = "unsupported", _("File type not read")
        FAILED = "failed", _("Failed")

    document = models.OneToOneField(
        get_document_model_string(),
        on_delete=models.CASCADE,
        related_name="extracted_text",
        verbose_name=_("document"),
    )
    text = models.TextField(_("text"), blank=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices)
    error = models.CharField(_("error"), max_length=500, blank=True)
    truncated = models.BooleanField(_("text cut at the maximum length"), default=False)
    source_key = models.CharField(max_length=600, blank=True)
    extracted_at = models.DateTimeField(_("extracted at"))

    class Meta:
        verbose_name = _("document text")
        verbose_name_plural = _("document texts")

    def __str__(self):
        return f"{self.document_id}: {self.status}"
