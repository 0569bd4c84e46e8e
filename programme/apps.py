from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgrammeConfig(AppConfig):
    """The training programme: the annual plan, in-person sessions, registration, check-in, cohorts, figures."""

    name = "programme"
    verbose_name = _("Training programme")

    def ready(self):
        # The archive knows no programme: the plan pages slot into its tree from here.
        from archive.models import ArchiveIndexPage

        if "programme.PlanPage" not in ArchiveIndexPage.subpage_types:
            ArchiveIndexPage.subpage_types = [*ArchiveIndexPage.subpage_types, "programme.PlanPage"]
        # A member's module completion (courses) reviews their cohorts here.
        from . import receivers

        receivers.connect()
