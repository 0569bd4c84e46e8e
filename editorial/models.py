"""The review step of the editorial workflow, and the scheduler's wake-up times."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.models import AbstractGroupApprovalTask, TaskState


def _requested_by(obj) -> int | None:
    state = getattr(obj, "current_workflow_state", None)
    return state.requested_by_id if state is not None else None


class ReviewTask(AbstractGroupApprovalTask):
    """Wagtail's group approval, except that nobody approves their own submission: the
    submitter (an administrator too) sees no approve action, and an approval they send
    anyway is refused."""

    def get_actions(self, obj, user):
        actions = super().get_actions(obj, user)
        if user.pk is not None and _requested_by(obj) == user.pk:
            return [action for action in actions if action[0] != "approve"]
        return actions

    def on_action(self, task_state: TaskState, user, action_name, **kwargs):
        """Refuse a self-approval; an approval of a revision that fails a quality gate is not
        made (nothing is published): the reviewer is sent to a page that says what to fix, in
        their language (``views.approval_refused``), instead of a bare "forbidden"."""
        from django.core.exceptions import PermissionDenied
        from django.urls import reverse

        from .gates import revision_problems

        if action_name == "approve":
            if _requested_by(task_state.workflow_state.content_object) == user.pk:
                raise PermissionDenied(_("You submitted this page: another reviewer must approve it."))
            # The revision the approval would publish (workflow_actions.publish_approved).
            if revision_problems(revision=task_state.workflow_state.content_object.get_latest_revision()):
                return reverse("editorial:approval_refused", args=[task_state.pk])
        return super().on_action(task_state, user, action_name, **kwargs)

    @classmethod
    def get_description(cls):
        return _("Members of the chosen groups approve or ask for changes; nobody approves their own submission")

    class Meta:
        verbose_name = _("review by another person")
        verbose_name_plural = _("reviews by another person")


class SchedulerWakeup(models.Model):
    """A time at which the scheduled-publishing task is queued to run.

    Kept so that scheduling many pages queues one run per time, not one per page: a
    wake-up already queued at or before the time wanted will queue the next one itself.
    """

    run_at = models.DateTimeField(_("run at"), unique=True)

    class Meta:
        verbose_name = _("scheduler wake-up")
        verbose_name_plural = _("scheduler wake-ups")
        ordering = ["run_at"]

    def __str__(self):
        return self.run_at.isoformat()
