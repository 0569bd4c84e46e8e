"""In Debian's chromium: upload through tus with a dropped connection, wait for ready, play."""

import pytest
from django.contrib.auth.models import Permission
from django.test import Client

from media_pipeline.models import MediaAsset, MediaStatus
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
    page.wait_for_function("document.querySelector('video').currentTime > 1", timeout=30_000)
    assert page.evaluate("!!document.querySelector('[data-player]').takwinPlayer.hls"), "played through hls.js"
    # Data saver: the audio-only rendition replaces the video and keeps playing.
    page.select_option("[data-control=quality]", "audio")
    page.wait_for_function("document.querySelector('video').currentTime > 0.5 && !document.querySelector('video').paused",
                           timeout=30_000)
    assert page.evaluate("localStorage.getItem('takwin.player.quality')") == "audio"
    # Stop fetching segments before the live server shuts down.
    page.evaluate("document.querySelector('[data-player]').takwinPlayer.hls && "
                  "document.querySelector('[data-player]').takwinPlayer.hls.destroy()")
    page.goto("about:blank")
