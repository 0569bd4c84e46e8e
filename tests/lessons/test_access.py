"""Who may follow a lesson, and how a module page shows its lessons with the visitor's progress.

The rules live in the lessons app: only lessons go under a module, the outline comes from
``lessons.selectors`` (through the courses page hook), lessons lock in sequential modules.
"""

import pytest
from django.test import Client

from courses.models import CoursePage
from courses.services import enrolment_create
from lessons.models import LessonPage, LessonProgress
from tests.courses.factories import lessons_of, make_course
from tests.lessons.visits import open_lesson

pytestmark = pytest.mark.django_db


def test_only_lessons_go_under_a_module():
    """A module accepts lessons and no other page type, though courses never names lessons."""
    assert CoursePage.allowed_subpage_models() == [LessonPage]
    assert CoursePage.creatable_subpage_models() == [LessonPage]


def test_module_page_lists_its_lessons_with_the_learners_progress(homes, learner):
    """The module page shows each lesson, which ones are done and the percent completed."""
    course = make_course(slug="outline", lessons=2, rule="view")
    enrolment_create(user=learner, course=course)
    client = Client()
    client.force_login(learner)
    open_lesson(client, lessons_of(course)[0])  # opening a view-rule lesson completes it
    html = client.get(course.url).content.decode()
    assert html.count("outline__item") == 2 and html.count("is-done") == 1
    assert 'aria-valuenow="50"' in html


def test_lesson_is_closed_to_visitors_not_enrolled(homes, learner):
    """A learner not enrolled sees an enrol button instead of the lesson body."""
    course = make_course(slug="closed")
    lesson = lessons_of(course)[0]
    client = Client()
    client.force_login(learner)
    html = client.get(lesson.url).content.decode()
    assert "محتوى الدرس 1" not in html
    assert f'action="/enrol/{course.pk}/"' in html
    assert not LessonProgress.objects.exists()


def test_sequential_module_locks_later_lessons(homes, learner):
    """In a sequential module, lesson 2 stays locked until lesson 1 is completed."""
    course = make_course(slug="sequence", sequential=True, rule="view")
    enrolment_create(user=learner, course=course)
    first, second = lessons_of(course)[:2]
    client = Client()
    client.force_login(learner)
    assert "محتوى الدرس 2" not in client.get(second.url).content.decode()
    open_lesson(client, first)  # opening a view-rule lesson completes it
    assert "محتوى الدرس 2" in client.get(second.url).content.decode()
