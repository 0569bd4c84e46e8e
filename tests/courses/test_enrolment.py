"""Enrolment: open self-enrolment, cohort-restricted modules, unenrolling keeps the history."""

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.test import Client

from courses.models import Enrolment
from courses.services import enrolment_create, enrolment_withdraw
from lessons.models import LessonProgress
from lessons.services import progress_mark_viewed
from tests.courses.factories import lessons_of, make_course

pytestmark = pytest.mark.django_db


def test_self_enrolment_from_the_module_page(homes, learner):
    """A signed-in learner enrols with the module page's button and then sees the lessons' progress."""
    course = make_course(slug="open")
    client = Client()
    client.force_login(learner)
    html = client.get(course.url).content.decode()
    assert f'action="/enrol/{course.pk}/"' in html
    response = client.post(f"/enrol/{course.pk}/")
    assert response.status_code == 302
    assert Enrolment.objects.get(user=learner, course=course).is_active
    html = client.get(course.url).content.decode()
    assert 'role="progressbar"' in html


def test_enrolling_twice_keeps_one_row(homes, learner):
    """Enrolling again while enrolled changes nothing."""
    course = make_course(slug="twice")
    first = enrolment_create(user=learner, course=course)
    assert enrolment_create(user=learner, course=course).pk == first.pk
    assert Enrolment.objects.count() == 1


def test_cohort_module_admits_only_its_groups(homes, learner):
    """A cohort-restricted module refuses learners outside its groups and admits members."""
    cohort = Group.objects.create(name="Cohorte Safi 2026")
    course = make_course(slug="cohort", enrolment_mode="cohort")
    course.cohorts.add(cohort)
    course.save_revision().publish()
    with pytest.raises(PermissionDenied):
        enrolment_create(user=learner, course=course)
    learner.groups.add(cohort)
    assert enrolment_create(user=learner, course=course).is_active


def test_unenrol_keeps_history_and_re_enrol_restores_it(homes, learner):
    """Unenrolling keeps the enrolment row and progress; enrolling again reactivates the same row."""
    course = make_course(slug="leave")
    enrolment = enrolment_create(user=learner, course=course)
    lesson = lessons_of(course)[0]
    progress_mark_viewed(user=learner, lesson=lesson, course_id=course.pk)
    enrolment_withdraw(user=learner, course=course)
    enrolment.refresh_from_db()
    assert enrolment.status == Enrolment.Status.UNENROLLED and enrolment.unenrolled_at
    assert LessonProgress.objects.filter(user=learner, lesson=lesson).exists()
    again = enrolment_create(user=learner, course=course)
    assert again.pk == enrolment.pk and again.is_active and again.unenrolled_at is None
