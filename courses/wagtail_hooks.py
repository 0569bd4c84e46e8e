"""Certificates in the Wagtail admin (trainers are the vocabulary's people)."""

from django.utils.translation import gettext_lazy as _
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import Certificate


class CertificateViewSet(SnippetViewSet):
    """Issued certificates; staff revoke them from the public verification page (a reason is required)."""

    model = Certificate
    icon = "doc-full"
    menu_label = _("Certificates")
    list_display = ["code", "learner_name", "course_title", "issued_at", "revoked_at"]
    search_fields = ["code", "learner_name", "course_title"]
    list_filter = ["language"]


register_snippet(CertificateViewSet)
