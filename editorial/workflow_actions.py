"""What Wagtail does when a page's review is approved (``WAGTAIL_FINISH_WORKFLOW_ACTION``).

Imported by Wagtail's models while the apps load: nothing is imported at module level.
"""


def publish_approved(workflow_state, user=None) -> None:
    """Publish the approved revision. The approval is the permission: reviewers have no right
    to publish on their own (only administrators publish without review), yet the last
    approval of the workflow publishes the page, as Wagtail's default action does for
    approvers who may publish."""
    revision = workflow_state.content_object.get_latest_revision()
    revision.publish(user=user, skip_permission_checks=True)
