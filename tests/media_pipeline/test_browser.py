"""In Debian's chromium: upload through tus with a dropped connection, wait for ready, play."""

import pytest
from django.contrib.auth.models import Permission
from django.test import Client

from media_pipeline.models import MediaAsset, MediaStatus, PlayerPreference
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def trainer_page(page, live_server, settings, root_collection):
    settings.ROOT_URLCONF = "tests.media_pipeline.urls"
    settings.MEDIA_PIPELINE_CHUNK_SIZE = 64 * 1024
    user = UserFactory()
    user.user_permissions.add(Permission.objects.get(codename="add_mediaasset"))
    client = Client()
    client.force_login(user)
    page.context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}])
    return page


def test_upload_interrupted_resumes_then_plays(trainer_page, live_server, clips):
    """A PATCH cut by the network is retried from the server's offset; the recording gets ready and plays."""
    page = trainer_page
    seen = {"patch": 0, "head": 0, "aborted": 0}

    def network(route, request):
        if request.method == "PATCH":
            seen["patch"] += 1
            if seen["patch"] == 2 and not seen["aborted"]:
                seen["aborted"] += 1
                return route.abort("connectionreset")
        if request.method == "HEAD":
            seen["head"] += 1
        return route.continue_()

    page.route("**/media-pipeline/tus/**", network)
    page.goto(live_server.url + "/fr/media-pipeline/recordings/")
    page.set_input_files("input[type=file]", str(clips["landscape.mp4"]))
    page.fill("input[name=title]", "Atelier budget")
    page.get_by_role("button", name="Téléverser").click()
    page.wait_for_selector('[data-upload-status][data-status="ready"]', timeout=120_000)
    assert seen["aborted"] == 1 and seen["patch"] >= 3 and seen["head"] >= 1
    asset = MediaAsset.objects.get(title="Atelier budget")
    assert asset.status == MediaStatus.READY
    assert asset.file.size == clips["landscape.mp4"].stat().st_size

    page.goto(f"{live_server.url}/fr/media-pipeline/recordings/{asset.pk}/")
    assert page.evaluate('MediaSource.isTypeSupported(\'video/mp4; codecs="avc1.64001e"\')')
    page.get_by_role("button", name="Lecture").click()
    page.wait_for_function("() => document.querySelector('video').currentTime > 1", timeout=30_000)
    assert page.evaluate("!!document.querySelector('[data-player]').takwinPlayer.hls"), "played through hls.js"
    # Data saver: the audio-only rendition replaces the video and keeps playing.
    page.select_option("[data-control=quality]", "audio")
    page.wait_for_function("() => document.querySelector('video').currentTime > 0.5 && !document.querySelector('video').paused",
                           timeout=30_000)
    assert page.evaluate("localStorage.getItem('takwin.player.quality')") == "audio"
    # The choice is also kept on the server, so it follows the trainer to another device.
    page.wait_for_function("() => true")
    for _ in range(50):
        if PlayerPreference.objects.filter(user=asset.uploaded_by_user, quality="audio").exists():
            break
        page.wait_for_timeout(100)
    assert PlayerPreference.objects.get(user=asset.uploaded_by_user).quality == "audio"

    # The same recording in a lesson: it plays there (signed links) and its heartbeats record progress.
    from courses.services import enrolment_create
    from demo import home as home_demo
    from lessons.models import LessonProgress
    from tests.courses.factories import lessons_of, make_course

    page.evaluate("document.querySelector('[data-player]').takwinPlayer.hls && "
                  "document.querySelector('[data-player]').takwinPlayer.hls.destroy()")
    home_demo.load()
    course = make_course(slug="atelier", lessons=1, rule="video", recording=asset)
    enrolment_create(user=asset.uploaded_by_user, course=course)
    lesson = lessons_of(course)[0]
    page.goto(live_server.url + lesson.url)
    page.select_option("[data-control=quality]", "auto")
    page.get_by_role("button", name="تشغيل").click()
    page.wait_for_function("() => document.querySelector('video').currentTime > 1.5", timeout=30_000)
    assert "/hls/" in page.evaluate("document.querySelector('[data-player]').dataset.master")
    page.get_by_role("button", name="إيقاف مؤقت").click()
    for _ in range(50):
        progress = LessonProgress.objects.filter(user=asset.uploaded_by_user, lesson=lesson).first()
        if progress and progress.position > 1:
            break
        page.wait_for_timeout(100)
    assert progress is not None and progress.position > 1 and progress.seconds_watched > 1
    # Stop fetching segments before the live server shuts down.
    page.evaluate("document.querySelector('[data-player]').takwinPlayer.hls && "
                  "document.querySelector('[data-player]').takwinPlayer.hls.destroy()")
    page.goto("about:blank")


def test_captions_play_as_hls_subtitle_renditions(trainer_page, live_server, clips):
    """Captions uploaded after the encode reach hls.js as subtitle renditions of the signed master:
    choosing Arabic shows its cue at the right time, and the page's own tracks stay off (no double lines)."""
    from media_pipeline.services import caption_set

    from .conftest import upload

    page = trainer_page
    from django.contrib.auth import get_user_model

    # The trainer_page fixture signed this user in.
    trainer = get_user_model().objects.order_by("-pk").first()
    asset = upload(trainer, clips["landscape.mp4"])
    assert asset.status == MediaStatus.READY, asset.error_log
    caption_set(asset=asset, language="ar", label="العربية",
                content="WEBVTT\n\n00:00:00.000 --> 00:00:03.500\nمرحبا بكم في الورشة\n".encode())
    caption_set(asset=asset, language="fr", label="Français",
                content=b"1\n00:00:00,000 --> 00:00:03,500\nBienvenue dans l'atelier\n")

    page.goto(f"{live_server.url}/media-pipeline/recordings/{asset.pk}/")
    page.select_option("[data-control=captions]", "ar")
    # The stream (and hls.js) load on Play only.
    page.get_by_role("button", name="تشغيل").click()
    page.wait_for_function("() => (document.querySelector('[data-player]').takwinPlayer.hls || {}).subtitleTracks "
                           "&& document.querySelector('[data-player]').takwinPlayer.hls.subtitleTracks.length === 2",
                           timeout=30_000)
    page.wait_for_function(
        """() => Array.from(document.querySelector('video').textTracks).some(t => t.mode === 'showing'
             && t.language === 'ar' && t.activeCues && Array.from(t.activeCues).some(c => c.text.includes('مرحبا')))""",
        timeout=30_000,
    )
    own = page.evaluate("Array.from(document.querySelectorAll('video track[data-own]')).map(t => t.track.mode)")
    assert own and all(mode == "disabled" for mode in own)
    assert PlayerPreference.objects.get(user=trainer).captions == "ar"
    page.evaluate("document.querySelector('[data-player]').takwinPlayer.hls.destroy()")
    page.goto("about:blank")
