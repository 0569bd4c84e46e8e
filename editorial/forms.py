"""The admin forms of the pages and quizzes under review: they run the quality gates
(gates.py) when the editor submits or publishes, and when a reviewer approves, so the
errors appear on the edit screen with everything typed kept. Saving a draft is never blocked."""

from django import forms
from django.utils.translation import gettext as _
from wagtail.admin.forms import WagtailAdminModelForm, WagtailAdminPageForm
from wagtail.models import Page

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


def self_approval_problems(*, obj, user) -> list[str]:
    """Nobody approves what they submitted themselves (an administrator neither)."""
    state = obj.current_workflow_state if obj.pk else None
    if state is None or user is None or state.requested_by_id != user.pk:
        return []
    if isinstance(obj, Page):
        return [_("You submitted this page: another reviewer must approve it.")]
    return [_("You submitted this quiz: another reviewer must approve it.")]


def _text_follows_its_language(form) -> None:
    """Text boxes take the direction of what is typed in them: an Arabic page edited in the
    French admin (or the reverse) keeps its punctuation in place."""
    for field in form.fields.values():
        if isinstance(field.widget, (forms.TextInput, forms.Textarea)):
            field.widget.attrs.setdefault("dir", "auto")


class EditorialPageForm(WagtailAdminPageForm):
    """Wagtail's page form plus the gates: content checks on submission, content and
    parent checks on publication and approval; nobody approves their own submission."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _text_follows_its_language(self)

    def _post_clean(self):
        super()._post_clean()  # the instance now holds what was typed
        action = requested_action(self.data)
        if action == "save":
            return
        problems = []
        if action == "approve":
            problems += self_approval_problems(obj=self.instance, user=getattr(self, "for_user", None))
        problems += content_problems(obj=self.instance) if action == "submit" else publication_problems(obj=self.instance)
        for problem in problems:
            self.add_error(None, problem)


class QuizForm(WagtailAdminModelForm):
    """The quiz snippet's form: on submission, publication and approval the quiz must have a
    correct answer to each choice question and draw no more questions than it holds (the
    questions checked are the ones typed); nobody approves their own submission."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _text_follows_its_language(self)

    def _post_clean(self):
        super()._post_clean()
        action = requested_action(self.data)
        formset = self.formsets.get("questions")
        if action == "save" or formset is None or not formset.is_valid():
            return
        kept = [
            form.instance
            for form in formset.forms
            if form not in formset.deleted_forms and (form.instance.pk or form.has_changed())
        ]
        problems = self_approval_problems(obj=self.instance, user=getattr(self, "for_user", None)) if action == "approve" else []
        for problem in problems + quiz_problems(quiz=self.instance, questions=kept):
            self.add_error(None, problem)
