"""In Debian's chromium: changing quality mid-play keeps the position and the watched seconds; the
lesson's progress line follows the server; a slow link starts (and stays) on the lowest rung,
measured by hls.js on the first segment; a learner's data saver (on the account) plays audio only."""

import re

import pytest
from django.test import Client

from media_pipeline import ffmpeg as ff
from media_pipeline.models import MediaStatus
from tests.factories import UserFactory

from .conftest import SRC, upload

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SECONDS = 12
VIDEO_SEGMENT = re.compile(r"/(\d+)p/seg_\d+\.m4s")


@pytest.fixture
def lesson(tmp_path, root_collection):
    """A learner enrolled in a module whose lesson plays a 12 s 360p recording (rungs 144p, 240p,
    360p and audio only), completed by watching."""
    from courses.services import enrolment_create
    from demo import home as home_demo
    from tests.courses.factories import lessons_of, make_course

    clip = tmp_path / "workshop.mp4"
    ff.run([*SRC, f"testsrc2=size=640x360:rate=15:duration={SECONDS}", *SRC,
            f"sine=frequency=440:sample_rate=44100:duration={SECONDS}", "-c:v", "libx264", "-preset", "ultrafast",
            "-c:a", "aac", "-shortest", str(clip)])
    learner = UserFactory()
    asset = upload(learner, clip)
    assert asset.status == MediaStatus.READY, asset.error_log
    home_demo.load()
    course = make_course(slug="atelier", lessons=1, rule="video", recording=asset)
    enrolment_create(user=learner, course=course)
    return {"learner": learner, "lesson": lessons_of(course)[0]}


def _sign_in(page, live_server, user) -> None:
    client = Client()
    client.force_login(user)
    page.context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}])


def _time(page) -> float:
    return page.evaluate("() => document.querySelector('video').currentTime")


def test_quality_switches_keep_position_and_watched_seconds(page, live_server, lesson):
    """Playing through while switching 144p → 240p → 360p → audio only → Auto: after each switch the
    video goes on from where it was (never back to 0:00), the last rung's segments are fetched,
    the server ends with the whole clip watched and the lesson completed, and the page's progress
    line says so without a reload."""
    from lessons.models import LessonProgress

    _sign_in(page, live_server, lesson["learner"])
    fetched: list[str] = []
    page.on("request", lambda request: fetched.append(request.url))
    page.goto(live_server.url + lesson["lesson"].url)
    page.wait_for_load_state("networkidle")
    page.get_by_role("button", name="تشغيل").click()
    page.wait_for_function("() => document.querySelector('video').currentTime > 0.8", timeout=30_000)
    # The lowest time the video is seen playing at (not the instant a new source is attached
    # and not yet at its position): a restart from 0:00 shows here.
    page.evaluate(
        """() => { const v = document.querySelector('video'); window.lowest = Infinity;
        v.addEventListener('timeupdate', () => { if (!v.paused && !v.seeking && v.readyState >= 3)
        window.lowest = Math.min(window.lowest, v.currentTime); }); }"""
    )
    quality = page.locator("[data-control=quality]")
    for step, value in enumerate(["144", "240", "360", "audio", "auto"], start=1):
        before = _time(page)
        page.evaluate("() => { window.lowest = Infinity; }")
        quality.select_option(value)
        page.wait_for_function(
            "(at) => { const v = document.querySelector('video'); return !v.paused && v.currentTime > at + 0.5; }",
            arg=before, timeout=20_000,
        )
        lowest = page.evaluate("() => window.lowest")
        assert lowest >= before - 0.5, f"switch {step} to {value} at {before:.1f} s played from {lowest:.1f} s"
        if value in ("144", "240", "360"):
            page.wait_for_function(
                "(rung) => performance.getEntriesByType('resource').some(e => e.name.includes('/' + rung + 'p/seg_'))",
                arg=value, timeout=20_000,
            )
        if value == "audio":
            assert page.evaluate("() => document.querySelector('[data-player]').takwinPlayer.mode") == "audio"
    page.wait_for_function("() => document.querySelector('video').ended", timeout=40_000)
    status = page.locator("[data-lesson-status]")
    completed_label = status.get_attribute("data-label-completed")
    page.wait_for_function(
        "(label) => document.querySelector('[data-lesson-status]').textContent.trim() === label",
        arg=completed_label.strip(), timeout=20_000,
    )
    assert status.is_visible()
    progress = LessonProgress.objects.get(user=lesson["learner"])
    assert progress.is_completed and progress.percent == 100
    assert progress.seconds_watched >= 0.9 * SECONDS, progress.watched
    assert progress.watched[0][0] <= 1.0 and progress.watched[-1][1] >= SECONDS - 1, progress.watched
    page.evaluate("() => { const p = document.querySelector('[data-player]').takwinPlayer; p.hls && p.hls.destroy(); }")
    page.goto("about:blank")


def test_slow_link_starts_low_and_data_saver_plays_audio_only(page, live_server, lesson):
    """On a 200 kbit/s link the first segments come from the lowest rung (144p) and hls.js, having
    measured the link on the first one, stays there; once the learner chose audio only, kept on
    their account, the next visit (another browser) plays the audio rendition and no video segment."""
    from media_pipeline.services.preferences import player_preference_set

    _sign_in(page, live_server, lesson["learner"])
    cdp = page.context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.emulateNetworkConditions",
             {"offline": False, "latency": 150, "downloadThroughput": 25_000, "uploadThroughput": 25_000})
    page.goto(live_server.url + lesson["lesson"].url)
    page.wait_for_load_state("domcontentloaded")
    page.get_by_role("button", name="تشغيل").click()
    page.wait_for_function(
        "() => (document.querySelector('[data-player]').dataset.levels || '').split(' ').length >= 3", timeout=90_000
    )
    player = page.locator("[data-player]")
    assert set(player.get_attribute("data-levels").split()) == {"0"}, player.get_attribute("data-levels")
    assert int(player.get_attribute("data-bandwidth")) < 400_000  # bits/s, measured
    page.evaluate("() => document.querySelector('[data-player]').takwinPlayer.hls.destroy()")
    cdp.send("Network.emulateNetworkConditions",
             {"offline": False, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1})

    player_preference_set(user=lesson["learner"], quality="audio")
    page.context.clear_cookies()
    _sign_in(page, live_server, lesson["learner"])
    page.evaluate("() => window.localStorage.clear()")  # the account remembers it, not this browser
    fetched: list[str] = []
    page.on("request", lambda request: fetched.append(request.url))
    page.goto(live_server.url + lesson["lesson"].url)
    page.wait_for_load_state("networkidle")
    assert page.locator("[data-control=quality]").input_value() == "audio"
    page.get_by_role("button", name="تشغيل").click()
    page.wait_for_function("() => document.querySelector('video').currentTime > 1", timeout=30_000)
    assert page.evaluate("() => document.querySelector('[data-player]').takwinPlayer.mode") == "audio"
    assert any("/audio/" in url for url in fetched), fetched
    assert not [url for url in fetched if VIDEO_SEGMENT.search(url)], fetched
    page.evaluate("() => { const p = document.querySelector('[data-player]').takwinPlayer; p.hls && p.hls.destroy(); }")
    page.goto("about:blank")
