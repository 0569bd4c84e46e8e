"""The dashboard: modules in progress with the next lesson, "continue where you left off", certificates."""

import pytest
from django.test import Client

from courses.services import enrolment_create
from lessons.services import progress_mark_viewed, progress_record_heartbeat
from tests.courses.factories import lessons_of, make_course

pytestmark = pytest.mark.django_db


def test_dashboard_requires_login(client):
    """Anonymous visitors are sent to the login page."""
    response = client.get("/my/")
    assert response.status_code == 302 and "/accounts/login/" in response.url


def test_dashboard_shows_progress_resume_and_certificates(homes, learner, tmp_path):
    """In-progress modules show a bar and the next lesson; the resume link points at the last lesson watched; a completed module shows its certificate."""
    from tests.courses.factories import make_video

    video = make_video(tmp_path, seconds=1)
    watching = make_course(slug="watching", title="وحدة المشاهدة", lessons=3, rule="video", video=video, revisions=False)
    done = make_course(slug="done", title="وحدة منتهية", lessons=1, revisions=False)
    for course in (watching, done):
        enrolment_create(user=learner, course=course)
    second = lessons_of(watching)[1]
    progress_mark_viewed(user=learner, lesson=second, course_id=watching.pk)
    progress_record_heartbeat(user=learner, lesson=second, course_id=watching.pk, position=42, duration=100,
                              ranges=[[0, 20]])
    progress_mark_viewed(user=learner, lesson=lessons_of(done)[0], course_id=done.pk)
    client = Client()
    client.force_login(learner)
    html = client.get("/my/").content.decode()
    assert "وحدة المشاهدة" in html and 'aria-valuenow="0"' in html
    resume = html.split('id="resume-title"')[1].split("</section>")[0]
    assert second.url in resume and "42" in resume
    assert "وحدة منتهية" in html and "/certificates/" in html


def test_module_page_offers_to_continue(homes, learner):
    """On the module page an enrolled learner gets a button to the first unfinished lesson."""
    course = make_course(slug="continue", lessons=3, revisions=False)
    enrolment_create(user=learner, course=course)
    first, second, _third = lessons_of(course)
    progress_mark_viewed(user=learner, lesson=first, course_id=course.pk)
    client = Client()
    client.force_login(learner)
    html = client.get(course.url).content.decode()
    assert f'class="button" href="{second.url}"' in html and 'aria-valuenow="33"' in html
