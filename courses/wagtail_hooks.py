"""Certificates in the Wagtail admin (trainers are the vocabulary's people)."""

from django.utils.translation import gettext_lazy as _
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import Certificate


class CertificateViewSet(SnippetViewSet):
    """Issued certificates; staff revoke them from the public verification page (a reason is required)."""

    model = Certificate
    icon = "doc-full"
    menu_label = _("Certificates")
    list_display = ["code", "kind", "learner_name", "course_title", "issued_at", "revoked_at"]
    search_fields = ["code", "learner_name", "course_title"]
    list_filter = ["kind", "language"]


class IssuedOnlyPolicy(ModelPermissionPolicy):
    """Certificates are issued when a learner completes a module, never added by hand: the
    admin's add form saved an empty one (and answered 500 on its missing issue date)."""

    def user_has_permission(self, user, action):
        return action != "add" and super().user_has_permission(user, action)


register_permission_policy(Certificate, IssuedOnlyPolicy(Certificate))
register_snippet(CertificateViewSet)
