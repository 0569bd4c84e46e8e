"""Module, lesson, dashboard and report pages run a constant number of SQL queries (at most 15
for the module, the lesson and the dashboard).

Each test counts the queries of a small case, then asserts the large case runs exactly
as many: 3 lessons vs 60, 1 enrolment vs 40, 1 learner vs 40.
"""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from courses.services import enrolment_create
from lessons.services import progress_mark_viewed, quiz_attempt_start, quiz_attempt_submit
from tests.courses.factories import correct_answers, lessons_of, make_course, make_quiz
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def count_queries(client, url) -> int:
    client.get(url)  # warm Wagtail's cached site root paths, as on a running site
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx.captured_queries)


def enrolled_client(user, course, *, visit: int = 2):
    """A logged-in client whose learner has opened the first ``visit`` lessons."""
    enrolment_create(user=user, course=course)
    for lesson in lessons_of(course)[:visit]:
        progress_mark_viewed(user=user, lesson=lesson, course_id=course.pk)
    client = Client()
    client.force_login(user)
    return client


def test_module_and_lesson_pages_do_not_grow_with_lessons(homes, django_assert_num_queries):
    """A module with 60 lessons runs as many queries as one with 3, on its page and on a lesson page."""
    quiz = make_quiz()
    small = make_course(slug="small", lessons=3, quiz=quiz, revisions=False)
    big = make_course(slug="big", lessons=60, quiz=quiz, revisions=False)
    small_client = enrolled_client(UserFactory(), small)
    big_client = enrolled_client(UserFactory(), big)
    small_lesson, big_lesson = lessons_of(small)[-1], lessons_of(big)[-1]
    for client, lesson in ((small_client, small_lesson), (big_client, big_lesson)):
        client.get(lesson.url)  # first visit creates the progress row; measure the steady state
        client.get(lesson.get_parent().url)
    module_queries = count_queries(small_client, small.url)
    lesson_queries = count_queries(small_client, small_lesson.url)
    assert module_queries <= 15 and lesson_queries <= 15
    with django_assert_num_queries(module_queries):
        big_client.get(big.url)
    with django_assert_num_queries(lesson_queries):
        big_client.get(big_lesson.url)


def test_dashboard_does_not_grow_with_enrolments(homes, django_assert_num_queries):
    """A learner with 40 enrolments (with progress) gets the dashboard in as many queries as one with 1."""
    courses = [make_course(slug=f"d{n}", lessons=3, revisions=False) for n in range(40)]
    one, many = UserFactory(), UserFactory()
    one_client = enrolled_client(one, courses[0], visit=1)
    many_client = None
    for course in courses:
        many_client = enrolled_client(many, course, visit=1)
    expected = count_queries(one_client, "/my/")
    assert expected <= 15
    with django_assert_num_queries(expected):
        response = many_client.get("/my/")
    assert response.content.decode().count('class="card"') == 40


def test_reports_do_not_grow_with_learners_or_lessons(homes, django_assert_num_queries):
    """A report on 60 lessons and 40 learners (with quiz attempts) runs as many queries as on 3 lessons and 1 learner."""
    quiz = make_quiz()
    small = make_course(slug="rs", lessons=3, quiz=quiz, revisions=False)
    big = make_course(slug="rb", lessons=60, quiz=quiz, revisions=False)
    admin = UserFactory(is_staff=True, is_superuser=True)

    def learn(user, course):
        enrolled_client(user, course, visit=1)
        lesson = lessons_of(course)[-1]
        attempt = quiz_attempt_start(user=user, quiz=quiz, lesson=lesson, course_id=course.pk)
        quiz_attempt_submit(attempt=attempt, user=user, data=correct_answers(attempt))

    learn(UserFactory(), small)
    for n in range(40):
        learn(UserFactory(province=["safi", "marrakech", "al-haouz"][n % 3], gender=["male", "female"][n % 2]), big)
    client = Client()
    client.force_login(admin)
    for fmt in ("", "export.csv", "export.xlsx"):
        expected = count_queries(client, f"/reports/{small.pk}/{fmt}")
        with django_assert_num_queries(expected):
            client.get(f"/reports/{big.pk}/{fmt}")


def test_lesson_page_stays_within_fifteen_queries(homes, django_assert_max_num_queries):
    """An enrolled learner's lesson page runs at most 15 queries, as many with 60 lessons and
    40 enrolments as with 3 lessons and 1 enrolment."""
    small = make_course(slug="ls", lessons=3, revisions=False)
    big = make_course(slug="lb", lessons=60, revisions=False)
    others = [make_course(slug=f"lo{n}", lessons=1, revisions=False) for n in range(39)]
    small_client = enrolled_client(UserFactory(), small)
    many = UserFactory()
    for course in others:
        enrolled_client(many, course, visit=1)
    big_client = enrolled_client(many, big)
    small_lesson, big_lesson = lessons_of(small)[1], lessons_of(big)[1]
    expected = count_queries(small_client, small_lesson.url)
    assert expected <= 15
    assert count_queries(big_client, big_lesson.url) == expected


def playable_recording(title: str):
    """A recording with a published encode and two renditions (rows only: no file is played)."""
    from media_pipeline.models import Encode, Rendition
    from tests.search.documents import make_recording

    asset = make_recording(title)
    encode = Encode.objects.create(asset=asset, prefix=f"media_pipeline/{asset.pk}/e", status=Encode.Status.DONE,
                                   master="master.m3u8", mp4="video.mp4", poster="poster.jpg")
    for spec, height in (("240p", 240), ("480p", 480), ("audio", None)):
        Rendition.objects.create(asset=asset, encode=encode, spec=spec, playlist=f"{spec}.m3u8", height=height)
    asset.current_encode = encode
    asset.save(update_fields=["current_encode"])
    return asset


def test_video_lesson_page_stays_within_fifteen_queries(homes, django_assert_max_num_queries):
    """A lesson playing a recording (encode, renditions, player preferences) runs at most 15
    queries, as many in a module of 30 video lessons as in one of 2."""
    small = make_course(slug="vs", lessons=2, revisions=False, recording=playable_recording("small"))
    big = make_course(slug="vb", lessons=30, revisions=False, recording=playable_recording("big"))
    small_client, big_client = enrolled_client(UserFactory(), small), enrolled_client(UserFactory(), big)
    small_lesson, big_lesson = lessons_of(small)[1], lessons_of(big)[1]
    expected = count_queries(small_client, small_lesson.url)
    assert expected <= 15
    assert count_queries(big_client, big_lesson.url) == expected
    assert "data-progress-url" in small_client.get(small_lesson.url).content.decode()
