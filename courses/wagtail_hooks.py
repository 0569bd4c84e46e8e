"""Trainers and certificates in the Wagtail admin."""

from django.utils.translation import gettext_lazy as _
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import Certificate, Trainer


class TrainerViewSet(SnippetViewSet):
    model = Trainer
    icon = "user"
    menu_label = _("Trainers")
    list_display = ["name", "affiliation", "user"]
    search_fields = ["name", "affiliation"]


class CertificateViewSet(SnippetViewSet):
    """Issued certificates; staff revoke them from the public verification page (a reason is required)."""

    model = Certificate
    icon = "doc-full"
    menu_label = _("Certificates")
    list_display = ["code", "learner_name", "course_title", "issued_at", "revoked_at"]
    search_fields = ["code", "learner_name", "course_title"]
    list_filter = ["language"]


register_snippet(TrainerViewSet)
register_snippet(CertificateViewSet)
