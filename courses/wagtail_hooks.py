"""Certificates in the Wagtail admin (trainers are the vocabulary's people)."""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
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


@hooks.register("personal_data_collect")
def personal_data_courses(user):
    """The person's enrolments and certificates (accounts' personal-data page and download)."""
    from django.utils.translation import gettext as _

    from .models import Enrolment

    enrolments = Enrolment.objects.filter(user=user).select_related("course").order_by("enrolled_at")
    certificates = Certificate.objects.filter(user=user).order_by("issued_at")
    return [
        {"key": "enrolments", "title": _("Enrolments"),
         "columns": [("module", _("Module")), ("status", _("Status")), ("enrolled_at", _("Enrolled on")),
                     ("completed_at", _("Completed on"))],
         "rows": [{"module": e.course.title, "status": e.status, "enrolled_at": e.enrolled_at,
                   "completed_at": e.completed_at} for e in enrolments]},
        {"key": "certificates", "title": _("Certificates"),
         "columns": [("code", _("Code")), ("kind", _("Kind")), ("title", _("Title")), ("name", _("Name")),
                     ("issued_at", _("Issued on")), ("revoked_at", _("Revoked on"))],
         "rows": [{"code": c.code, "kind": c.kind, "title": c.course_title, "name": c.learner_name,
                   "issued_at": c.issued_at, "revoked_at": c.revoked_at} for c in certificates]},
    ]


@hooks.register("personal_data_erase")
def personal_data_erase_courses(user):
    """Certificates name the person: they go (their verification pages then answer 404). Enrolments
    go with the account."""
    Certificate.objects.filter(user=user).delete()
