"""The review workflow: configured by the migration, editors submit, reviewers approve or
ask for changes, nobody approves their own submission, administrators publish alone."""

import pytest
from wagtail.models import Page, Workflow

from courses.models import CoursePage
from editorial.models import ReviewTask
from tests.courses.factories import catalogue

from .conftest import client_for, member

pytestmark = pytest.mark.django_db


def draft_module(user, slug="module-review") -> CoursePage:
    module = CoursePage(title="وحدة المراجعة", slug=slug, summary="ملخص", owner=user)
    catalogue().add_child(instance=module)
    module.save_revision(user=user)
    module.unpublish() if module.live else None
    return CoursePage.objects.get(pk=module.pk)


def form_data(page, **extra) -> dict:
    """The edit form's fields for a module, as the browser posts them."""
    data = {
        "title": page.title, "slug": page.slug, "summary": page.summary, "level": page.level,
        "estimated_hours": "2", "completion_rule": page.completion_rule, "enrolment_mode": page.enrolment_mode,
        "certificate_enabled": "on", "comments-TOTAL_FORMS": "0",
        "comments-INITIAL_FORMS": "0", "comments-MIN_NUM_FORMS": "0", "comments-MAX_NUM_FORMS": "1000",
    }
    data.update(extra)
    return data


def test_the_migration_configures_the_workflow_on_the_whole_tree(homes):
    """The "Editorial review" workflow, with a review by the Reviewers group, applies to every page."""
    workflow = Workflow.objects.get(name="Editorial review")
    task = workflow.tasks.get().specific
    assert isinstance(task, ReviewTask) and list(task.groups.values_list("name", flat=True)) == ["Reviewers"]
    assert catalogue().get_workflow() == workflow
    assert homes["fr"].get_workflow() == workflow


def test_an_editor_cannot_publish_alone_but_submits(editor):
    """The editor's publish button is ignored (no right to publish); submitting starts the review."""
    module = draft_module(editor)
    client = client_for(editor)
    response = client.post(f"/admin/pages/{module.pk}/edit/", form_data(module, **{"action-publish": "1"}))
    assert response.status_code == 302
    module.refresh_from_db()
    assert not module.live
    assert not module.permissions_for_user(editor).can_publish()
    client.post(f"/admin/pages/{module.pk}/edit/", form_data(module, **{"action-submit": "1"}))
    module.refresh_from_db()
    assert module.workflow_in_progress and not module.live


def test_reviewer_asks_for_changes_then_approves(editor, reviewer):
    """Changes requested with a comment stop the review; after a resubmission the approval publishes."""
    module = draft_module(editor)
    module.get_workflow().start(module, editor)
    state = module.current_workflow_state
    task = state.current_task_state.task.specific
    task.on_action(state.current_task_state, reviewer, "reject", comment="أضف الأهداف")
    module.refresh_from_db()
    assert not module.workflow_in_progress and not module.live
    assert module.workflow_states.get().task_states.get().comment == "أضف الأهداف"
    module.save_revision(user=editor)
    module.current_workflow_state.resume(editor)
    state = module.current_workflow_state
    state.current_task_state.task.specific.on_action(state.current_task_state, reviewer, "approve")
    module.refresh_from_db()
    assert module.live


def test_nobody_approves_their_own_submission(editor, reviewer):
    """A reviewer who submitted the page sees no approve action, and an approval sent from the
    edit screen is refused with a message in their language; the page stays unpublished."""
    module = draft_module(reviewer)
    module.get_workflow().start(module, reviewer)
    task = module.current_workflow_task.specific
    assert [name for name, *_ in task.get_actions(module, reviewer)] == ["reject"]
    assert "approve" in [name for name, *_ in task.get_actions(module, member("Reviewers"))]
    client = client_for(reviewer)
    response = client.post(
        f"/admin/pages/{module.pk}/edit/",
        form_data(module, **{"action-workflow-action": "1", "workflow-action-name": "approve"}),
    )
    assert response.status_code == 200
    assert "Vous avez soumis cette page" in response.content.decode()
    module.refresh_from_db()
    assert not module.live and module.workflow_in_progress


def test_administrators_publish_without_review(admin):
    """An administrator's publish button publishes at once, no review."""
    module = draft_module(admin)
    client_for(admin).post(f"/admin/pages/{module.pk}/edit/", form_data(module, **{"action-publish": "1"}))
    assert Page.objects.get(pk=module.pk).live


def test_approving_from_the_dashboard_when_a_gate_fails_says_why_and_publishes_nothing(editor, reviewer):
    """A lesson submitted with a ready recording whose encode has failed since: the dashboard's
    approve (a plain POST, or the modal's request) lands on the lesson's edit screen with the
    gate's message in the reviewer's language (French), not a 403; the live lesson is unchanged."""
    import json

    from django.urls import reverse

    from lessons.models import LessonPage
    from tests.courses.factories import lessons_of, make_course

    from .conftest import recording

    course = make_course(slug="gate-dashboard", lessons=1)
    lesson = lessons_of(course)[0]
    asset = recording("atelier-budget")
    lesson.body = [("video", {"recording": asset, "video": None})]
    lesson.save_revision(user=editor)
    lesson.get_workflow().start(lesson, editor)
    asset.status = "failed"
    asset.save(update_fields=["status"])
    state = LessonPage.objects.get(pk=lesson.pk).current_workflow_task_state
    url = reverse("wagtailadmin_pages:workflow_action", args=[lesson.pk, "approve", state.pk])
    client = client_for(reviewer)

    modal = json.loads(client.post(url, {"comment": ""}, headers={"x-requested-with": "XMLHttpRequest"}).content)
    assert modal["step"] == "success" and modal["redirect"] == f"/admin/editorial/reviews/{state.pk}/refused/"
    response = client.post(url, {"comment": ""}, follow=True)
    assert response.redirect_chain[-1][0] == f"/admin/pages/{lesson.pk}/edit/"
    html = response.content.decode()
    assert response.status_code == 200 and "atelier-budget" in html and "échoué" in html
    lesson = LessonPage.objects.get(pk=lesson.pk)
    assert lesson.workflow_in_progress and not lesson.has_video(), "the live lesson has no video: nothing published"
