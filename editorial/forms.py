"""The admin forms of the pages and quizzes under review: they run the quality gates
(gates.py) when the editor submits or publishes, and when a reviewer approves, so the
errors appear on the edit screen with everything typed kept."""

from django.utils.translation import gettext as _
from wagtail.admin.forms import WagtailAdminModelForm, WagtailAdminPageForm

from .gates import content_problems, publication_problems, quiz_problems


def requested_action(data) -> str:
    """What the edit screen's button asks for: publish, submit, approve or save."""
    if data.get("action-publish"):
        return "publish"
    if data.get("action-submit") or data.get("action-restart-workflow"):
        return "submit"
    if data.get("action-workflow-action") and data.get("workflow-action-name") == "approve":
        return "approve"
    return "save"


class EditorialPageForm(WagtailAdminPageForm):
    """Wagtail's page form plus the gates: content checks on submission, content and
    parent checks on publication and approval; nobody approves their own submission."""

    def _post_clean(self):
        super()._post_clean()  # the instance now holds what was typed
        action = requested_action(self.data)
        if action == "save":
            return
        page = self.instance
        user = getattr(self, "for_user", None)
        if action == "approve":
            state = page.current_workflow_state if page.pk else None
            if state is not None and user is not None and state.requested_by_id == user.pk:
                self.add_error(None, _("You submitted this page: another reviewer must approve it."))
        problems = content_problems(page=page) if action == "submit" else publication_problems(page=page)
        for problem in problems:
            self.add_error(None, problem)


class QuizForm(WagtailAdminModelForm):
    """The quiz snippet's form: the quiz must draw no more questions than it holds."""

    def _post_clean(self):
        super()._post_clean()
        formset = self.formsets.get("questions")
        if formset is None or not formset.is_valid():
            return
        kept = [
            form.instance
            for form in formset.forms
            if form not in formset.deleted_forms and (form.instance.pk or form.has_changed())
        ]
        for problem in quiz_problems(quiz=self.instance, questions=kept):
            self.add_error(None, problem)
