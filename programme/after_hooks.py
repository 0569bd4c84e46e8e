"""progafter's admin: the "after the session" screen (closing, evaluations), registered from wagtail_hooks."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.viewsets.base import ViewSet

from . import after_admin


class StaffMenuItem(MenuItem):
    """Shown to programme staff only."""

    def is_shown(self, request):
        return request.user.has_perm(after_admin.STAFF_PERMISSION)


class AfterSessionViewSet(ViewSet):
    """``/admin/programme-after/``: held sessions to close, closed ones, evaluations."""

    name = "programme_after"
    url_prefix = "programme-after"
    icon = "tasks"
    menu_label = _("After the session")
    add_to_admin_menu = True

    def get_urlpatterns(self):
        return [
            path("", after_admin.sessions_after, name="index"),
            path("<id:session_id>/close/", after_admin.close, name="close"),
            path("<id:session_id>/evaluations/", after_admin.evaluations, name="evaluations"),
        ]

    def get_menu_item(self, order=None):
        return StaffMenuItem(self.menu_label, reverse("programme_after:index"), icon_name=self.icon, order=order or 910)


@hooks.register("register_admin_viewset")
def register_after_viewset():
    return AfterSessionViewSet()


@hooks.register("archive_statistics_figures")
def programme_statistics_section(*, request, locale):
    """The archive's statistics page shows the programme's own figures (the same selector as the
    figures page): per plan year, sessions held, participations and distinct beneficiaries."""
    from django.urls import NoReverseMatch
    from django.utils.translation import gettext as _

    from .selectors.figures import programme_figures

    figures = programme_figures(language=locale.language_code)
    if not figures["totals"]["sessions"]:
        return None
    rows = [[row["label"], row["sessions"], row["participations"], row["beneficiaries"], row["completions"]]
            for row in figures["tables"]["year"]]
    totals = figures["totals"]
    rows.append([_("All years"), totals["sessions"], totals["participations"], totals["beneficiaries"], totals["completions"]])
    try:
        link = (reverse("programme:figures"), _("All the programme's figures"))
    except NoReverseMatch:  # the programme's public URLs are not served (e.g. a site without them)
        link = None
    return {
        "id": "programme", "heading": _("The training plan's sessions"),
        "note": _("A participation is one person at one session; a beneficiary is one person, however many sessions they attended."),
        "columns": [_("Plan year"), _("Sessions held"), _("Participations"), _("Distinct beneficiaries"), _("Online modules completed")],
        "rows": rows, "link": link,
    }


@hooks.register("personal_data_collect")
def personal_data_programme(user):
    """The person's registrations (with their snapshot), attendance, evaluations and cohorts."""
    from .selectors.personal_data import programme_sections

    return programme_sections(user=user)


@hooks.register("personal_data_erase")
def personal_data_erase_programme(user):
    """Blank the person's names and contacts on their registrations; keep what is counted (their
    online completions too, as anonymous rows)."""
    from .services.personal_data import completions_keep_anonymous, registrations_anonymise

    registrations_anonymise(user=user)
    completions_keep_anonymous(user=user)
