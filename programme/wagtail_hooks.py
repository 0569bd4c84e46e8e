"""The programme in the Wagtail admin: sessions (half-days, quotas, linked modules inline, status
actions through the services), registrations per session, and the spreadsheet import of attendees.

Check-in (progdoor) and the after-session screens (progafter) register theirs in ``checkin_hooks`` and
``after_hooks``, imported at the bottom.
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.admin.ui.tables import Column
from wagtail.admin.views import generic
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from .models import Registration, Session
from .services import sessions as session_services
from .services.registration import cancel_registration


class SessionEditView(generic.EditView):
    """Saving a session may add places or change quotas: the waiting list moves up at once."""

    def save_instance(self):
        instance = super().save_instance()
        session_services.session_places_changed(session=instance)
        return instance


class LinkColumn(Column):
    """A column whose cell is a link made from the row (``url_for(row)``, ``text_for(row)``)."""

    def __init__(self, name, *, url_for, text_for, **kwargs):
        super().__init__(name, **kwargs)
        self.url_for, self.text_for = url_for, text_for

    def get_value(self, instance):
        return format_html('<a href="{}">{}</a>', self.url_for(instance), self.text_for(instance))


def _registrations_url(session) -> str:
    return reverse("programme_registrations:index") + f"?session={session.pk}"


class SessionViewSet(ModelViewSet):
    """Sessions: places, audience, window, half-days, quotas and modules; status changes by action."""

    model = Session
    name = "programme_sessions"
    icon = "date"
    menu_label = _("Sessions")
    url_prefix = "programme/sessions"
    pk_path_converter = "id"
    edit_view_class = SessionEditView
    copy_view_enabled = False
    list_filter = ["status", "audience"]
    search_fields = ["code"]
    list_display = [
        "code", "status", "capacity", "audience",
        LinkColumn("registrations", label=_("Registrations"), url_for=_registrations_url, text_for=lambda s: _("Registrations")),
        LinkColumn("actions", label=_("Status"), url_for=lambda s: reverse("programme_sessions:status", args=[s.pk]),
                   text_for=lambda s: _("Change the status")),
    ]
    panels = [
        FieldPanel("code"),
        FieldRowPanel([FieldPanel("capacity"), FieldPanel("audience")]),
        MultiFieldPanel([
            FieldRowPanel([FieldPanel("registration_opens_at"), FieldPanel("registration_deadline")]),
        ], heading=_("Registration window")),
        FieldPanel("cohort"),
        InlinePanel("half_days", label=_("Half-days")),
        InlinePanel("quotas", label=_("Quotas")),
        InlinePanel("modules", label=_("Linked modules")),
    ]

    def get_urlpatterns(self):
        return [*super().get_urlpatterns(), path("status/<id:pk>/", self.status_view, name="status")]

    def status_view(self, request, pk: int):
        return session_status_view(request, pk=pk)


class StatusForm(forms.Form):
    ACTIONS = [("open", _("Open for registration")), ("held", _("Mark as held")), ("cancel", _("Cancel the session"))]
    action = forms.ChoiceField(label=_("Action"), choices=ACTIONS, widget=forms.RadioSelect)
    reason = forms.CharField(label=_("Reason for cancelling"), widget=forms.Textarea, required=False, max_length=2000)


def session_status_view(request, *, pk: int):
    """Open, mark held or cancel (with its reason) a session, through the services."""
    if not request.user.has_perm("programme.change_session"):
        raise PermissionDenied
    session = get_object_or_404(Session, pk=pk)
    form = StatusForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        action = form.cleaned_data["action"]
        try:
            if action == "open":
                session_services.session_open(session=session)
            elif action == "held":
                session_services.session_mark_held(session=session)
            else:
                session_services.session_cancel(session=session, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            messages.success(request, _("The session's status is changed."))
            return redirect("programme_sessions:index")
    return TemplateResponse(request, "programme/admin/session_status.html", {
        "form": form, "session": session, "page_title": _("Status of %(code)s") % {"code": session.code},
    })


class RegistrationPermissionPolicy(ModelPermissionPolicy):
    """Registrations are made by the registration service (site, import, check-in) and kept as
    history: the admin never adds or deletes one, whatever the user's permissions."""

    def user_has_permission(self, user, action):
        return action not in ("add", "delete") and super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)


register_permission_policy(Registration, RegistrationPermissionPolicy(Registration))


class RegistrationViewSet(ModelViewSet):
    """Registrations, filtered by session: staff see names and contacts (law 09-08: staff only)."""

    model = Registration
    name = "programme_registrations"
    icon = "group"
    menu_label = _("Registrations")
    url_prefix = "programme/registrations"
    pk_path_converter = "id"
    copy_view_enabled = False
    inspect_view_enabled = True
    list_filter = ["session", "status", "source"]
    search_fields = ["full_name", "email", "phone", "code"]
    list_display = ["full_name", "session", "status", "source", "province", "created_at"]
    # Status and place changes go through the services (the cancel action): only the contacts are edited.
    form_fields = ["full_name", "email", "phone", "gender", "category", "province", "commune", "language"]

    def get_urlpatterns(self):
        return [*super().get_urlpatterns(), path("cancel/<id:pk>/", self.cancel_view, name="cancel")]

    def cancel_view(self, request, pk: int):
        return registration_cancel_view(request, pk=pk)


def registration_cancel_view(request, *, pk: int):
    """Staff cancel a registration at any time before the session is held (the waiting list moves up)."""
    if not request.user.has_perm("programme.change_registration"):
        raise PermissionDenied
    registration = get_object_or_404(Registration.objects.select_related("session"), pk=pk)
    if request.method == "POST":
        try:
            cancel_registration(registration=registration, by_staff=True)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The registration is cancelled."))
        return redirect(_registrations_url(registration.session))
    return TemplateResponse(request, "programme/admin/registration_cancel.html", {
        "registration": registration, "page_title": _("Cancel a registration"),
    })


class ProgrammeGroup(ViewSetGroup):
    menu_label = _("Programme")
    menu_icon = "date"
    menu_order = 260
    items = (SessionViewSet, RegistrationViewSet)


@hooks.register("register_admin_viewset")
def register_programme_viewsets():
    from .imports_admin import AttendeeImportViewSet

    group = ProgrammeGroup()
    return [group, AttendeeImportViewSet()]


from . import after_hooks, checkin_hooks  # noqa: E402,F401  (the other helpers' admin screens)
