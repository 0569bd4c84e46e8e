"""In Debian's chromium, media on S3 (moto's server on loopback): "Download for offline" stores the
recording's audio read from the bucket with CORS (through the site's route and its redirect to a
presigned link), and the lesson then plays it with the connection off."""

import copy

import pytest

from tests.lessons.test_offline_browser import sign_in
from tests.lessons.test_offline_s3 import lesson  # noqa: F401 (fixture)
from tests.media_pipeline.conftest import moto_server, s3_storage  # noqa: F401 (fixtures)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CACHED_BYTES = """(url) => caches.open(TakwinOfflineDB.CACHE).then((c) => c.match(url))
    .then((r) => r ? r.blob().then((b) => b.size) : -1)"""


def test_a_lesson_on_s3_is_stored_and_plays_offline(page, live_server, lesson, s3_storage, settings, learner):  # noqa: F811
    """The audio track comes from the bucket (another origin) when stored, is kept whole under the
    site's route, and plays to its end offline."""
    from django.core.management import call_command

    lesson, asset, _client = lesson
    policy = copy.deepcopy(settings.CONTENT_SECURITY_POLICY)
    for directive in ("connect-src", "media-src", "img-src"):
        policy["DIRECTIVES"][directive] = [*policy["DIRECTIVES"].get(directive, ["'self'"]), s3_storage["url"]]
    settings.CONTENT_SECURITY_POLICY = policy
    call_command("media_s3_cors", origin=[live_server.url])
    sign_in(page, live_server, learner)
    page.goto(live_server.url + lesson.url)
    page.locator("[data-offline-action=download]").click()
    page.locator("[data-offline-chooser] input[type=radio]").first.wait_for()
    page.locator("[data-offline-chooser] button[type=submit]").click()
    page.locator("[data-offline-stored]").wait_for(state="visible", timeout=30_000)
    route = f"/learn/offline/{lesson.pk}/file/{asset.pk}/audio/"
    audio = s3_storage["client"].head_object(Bucket=s3_storage["bucket"], Key=asset.current_encode.audio)
    # Only the bucket holds it (S3 is the storage here): the whole object, kept under the route.
    assert page.evaluate(CACHED_BYTES, route) == audio["ContentLength"]

    page.context.set_offline(True)
    page.reload()
    page.locator("[data-offline-stored]").wait_for(state="visible")
    page.get_by_role("button", name="تشغيل").click()
    page.wait_for_function("() => document.querySelector('video').ended", timeout=30_000)
    assert page.evaluate("() => document.querySelector('video').currentSrc").endswith(route)
    page.context.set_offline(False)
