"""Quizzes under review: an editor's change is a draft that learners never get (attempts and
grading use the published questions) until another person approves it; nobody approves
their own change; the quality gates run when a quiz is submitted."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from wagtail.models import Workflow
from wagtail.test.utils.form_data import nested_form_data

from courses.services import enrolment_create
from lessons.models import Quiz
from lessons.services import quiz_attempt_start, quiz_attempt_submit, quiz_create
from tests.courses.factories import lessons_of, make_course
from tests.editorial.conftest import client_for, member
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(homes):
    quiz = quiz_create(
        title="اختبار الميزانية", pass_mark=100,
        questions=[{"kind": "true_false", "text": "الميزانية تصوت عليها الجماعة.", "correct_true": True}],
    )
    course = make_course(slug="quiz-review", lessons=1, quiz=quiz, revisions=False)
    learner = UserFactory()
    enrolment_create(user=learner, course=course)
    return {"quiz": quiz, "course": course, "lesson": lessons_of(course)[0], "learner": learner,
            "editor": member("Editors"), "reviewer": member("Reviewers", preferred_language="fr")}


def quiz_form(quiz, *, title: str, text: str, correct_true: bool, **extra) -> dict:
    """The quiz edit form as the browser posts it, its one question changed."""
    question = quiz.questions.get()
    data = nested_form_data({
        "title": title, "intro": "", "pass_mark": quiz.pass_mark, "max_attempts": 3, "time_limit_minutes": 0,
        "draw_count": 0, "reveal_policy": "after_last", "feedback_pass": "", "feedback_fail": "",
        "questions": {"TOTAL_FORMS": 1, "INITIAL_FORMS": 1, "MIN_NUM_FORMS": 1, "MAX_NUM_FORMS": 1000,
                      "0": {"id": question.pk, "kind": "true_false", "text": text, "points": 1,
                            "options-count": 0, "accepted_answers": "", "tolerance": 0, "explanation": "",
                            "ORDER": 1, **({"correct_true": "on"} if correct_true else {})}},
    })
    data.update(extra)
    return data


def answer(attempt, value: str) -> dict:
    return {f"q-{attempt.layout[0]['id']}": [value]}


def start(s):
    return quiz_attempt_start(user=s["learner"], quiz=Quiz.objects.get(pk=s["quiz"].pk), lesson=s["lesson"],
                              course_id=s["course"].pk)


def test_the_migration_puts_quizzes_in_the_editorial_review(setup):
    """Quizzes use the "Editorial review" workflow; editors may change quizzes but not publish them."""
    assert setup["quiz"].get_workflow() == Workflow.objects.get(name="Editorial review")
    assert setup["editor"].has_perm("lessons.change_quiz") and not setup["editor"].has_perm("lessons.publish_quiz")
    assert setup["reviewer"].has_perm("lessons.change_quiz")


def test_a_submitted_change_reaches_learners_only_once_approved(setup):
    """The editor submits a new title and the opposite answer: the lesson page, a new attempt and
    its grading keep the published quiz; after the reviewer's approval (from the dashboard's
    action) the learner gets the new version."""
    s, quiz = setup, setup["quiz"]
    editor_client = client_for(s["editor"])
    response = editor_client.post(
        f"/admin/snippets/lessons/quiz/edit/{quiz.pk}/",
        quiz_form(quiz, title="اختبار الميزانية المعدل", text="الميزانية يصوت عليها العامل.", correct_true=False,
                  **{"action-submit": "1"}),
    )
    assert response.status_code == 302
    quiz.refresh_from_db()
    assert quiz.workflow_in_progress and quiz.live and quiz.title == "اختبار الميزانية"
    assert quiz.questions.get().text == "الميزانية تصوت عليها الجماعة."

    learner = client_for(s["learner"])
    page = learner.get(s["lesson"].url).content.decode()
    assert "اختبار الميزانية" in page and "المعدل" not in page
    attempt = start(s)
    quiz_attempt_submit(attempt=attempt, user=s["learner"], data=answer(attempt, "true"))
    attempt.refresh_from_db()
    assert attempt.passed, "graded with the published answer (true), not the draft's"

    state = quiz.current_workflow_task_state
    url = reverse("wagtailsnippets_lessons_quiz:workflow_action", args=[quiz.pk, "approve", state.pk])
    assert client_for(s["reviewer"]).post(url, {"comment": ""}).status_code == 302
    quiz.refresh_from_db()
    assert not quiz.workflow_in_progress and quiz.title == "اختبار الميزانية المعدل"
    assert quiz.questions.get().correct_true is False
    assert "اختبار الميزانية المعدل" in learner.get(s["lesson"].url).content.decode()


def test_a_quiz_never_published_is_not_offered_to_learners(setup):
    """A new quiz saved as a draft (not live): its block is left out of the lesson page and an
    attempt at it is refused."""
    s = setup
    s["quiz"].live = False
    s["quiz"].save(update_fields=["live"])
    page = client_for(s["learner"]).get(s["lesson"].url).content.decode()
    assert "اختبار الميزانية" not in page
    with pytest.raises(ValidationError) as refused:
        start(s)
    assert refused.value.error_list[0].code == "draft"


def test_nobody_approves_their_own_quiz_change(setup):
    """A reviewer who submitted the change sees no approve action: the dashboard's approve URL is
    refused (the admin's "no permission" redirect) and the edit form's approval is refused with
    a message in their language; the published quiz is unchanged."""
    s, quiz = setup, setup["quiz"]
    reviewer = client_for(s["reviewer"])
    reviewer.post(f"/admin/snippets/lessons/quiz/edit/{quiz.pk}/",
                  quiz_form(quiz, title="تعديل المراجع", text="سؤال", correct_true=True, **{"action-submit": "1"}))
    quiz.refresh_from_db()
    state = quiz.current_workflow_task_state
    url = reverse("wagtailsnippets_lessons_quiz:workflow_action", args=[quiz.pk, "approve", state.pk])
    response = reviewer.post(url, {"comment": ""})
    assert response.status_code == 302 and response["Location"] == "/admin/"
    quiz.refresh_from_db()
    assert quiz.title == "اختبار الميزانية" and quiz.workflow_in_progress
    response = reviewer.post(
        f"/admin/snippets/lessons/quiz/edit/{quiz.pk}/",
        quiz_form(quiz, title="تعديل المراجع", text="سؤال", correct_true=True,
                  **{"action-workflow-action": "1", "workflow-action-name": "approve"}),
    )
    assert response.status_code == 200 and "Vous avez soumis ce quiz" in response.content.decode()
    quiz.refresh_from_db()
    assert quiz.title == "اختبار الميزانية" and quiz.workflow_in_progress


def test_submitting_a_quiz_drawing_more_questions_than_it_holds_is_refused(setup):
    """5 questions drawn out of 1: the submission answers the form again with the reason, no
    review starts and the published quiz is untouched; saving it as a draft is not blocked."""
    s, quiz = setup, setup["quiz"]
    data = quiz_form(quiz, title=quiz.title, text="سؤال", correct_true=True, draw_count=5, **{"action-submit": "1"})
    editor = client_for(s["editor"])
    response = editor.post(f"/admin/snippets/lessons/quiz/edit/{quiz.pk}/", data)
    assert response.status_code == 200 and "5" in response.content.decode()
    quiz.refresh_from_db()
    assert not quiz.workflow_in_progress and quiz.draw_count == 0
    del data["action-submit"]
    assert editor.post(f"/admin/snippets/lessons/quiz/edit/{quiz.pk}/", data).status_code == 302
    quiz.refresh_from_db()
    assert quiz.draw_count == 0 and quiz.has_unpublished_changes
