"""In Debian's chromium: a lesson with a recording fetches no media and no hls.js before Play."""

import re

import pytest
from django.test import Client

from media_pipeline.models import MediaStatus
from tests.factories import UserFactory

from .conftest import upload

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

#: What the learner's connection must not carry before Play: playlists, segments, MP4s, hls.js.
MEDIA = re.compile(r"\.(m3u8|m4s|mp4|ts|vtt)(\?|$)|hls(\.light)?\.min(\.[0-9a-f]+)?\.js")


def test_lesson_fetches_no_media_before_play_then_plays(page, live_server, root_collection, clips):
    """Before Play the page requests neither a playlist, a segment, an MP4 nor hls.js (only the
    poster may come); pressing Play loads hls.js, then the stream, and the video plays."""
    from courses.services import enrolment_create
    from demo import home as home_demo
    from tests.courses.factories import lessons_of, make_course

    learner = UserFactory()
    asset = upload(learner, clips["landscape.mp4"])
    assert asset.status == MediaStatus.READY, asset.error_log
    home_demo.load()
    course = make_course(slug="atelier", lessons=1, rule="video", recording=asset)
    enrolment_create(user=learner, course=course)
    client = Client()
    client.force_login(learner)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )

    fetched: list[str] = []
    page.on("request", lambda request: fetched.append(request.url))
    page.goto(live_server.url + lessons_of(course)[0].url)
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(500)
    before = [url for url in fetched if MEDIA.search(url)]
    assert page.locator("[data-player][data-player-ready]").count() == 1, "the player script ran"
    assert before == [], f"fetched before Play: {before}"
    assert page.evaluate("() => !window.Hls && document.querySelector('video').preload") == "none"

    page.get_by_role("button", name="تشغيل").click()
    page.wait_for_function("() => document.querySelector('video').currentTime > 1", timeout=30_000)
    after = [url for url in fetched if MEDIA.search(url)]
    assert any("hls" in url and url.endswith(".js") for url in after), after
    assert any(".m3u8" in url for url in after) and any(".m4s" in url or ".ts" in url for url in after), after
    assert page.evaluate("() => !!document.querySelector('[data-player]').takwinPlayer.hls"), "played through hls.js"
    page.evaluate("() => document.querySelector('[data-player]').takwinPlayer.hls.destroy()")
    page.goto("about:blank")
