"""Offline lessons with media on S3 (moto's server on loopback, never a mock): the manifest names
each recording's files by this site's route, which checks the lesson's access and redirects to a
fresh presigned link; the bucket's CORS rule, set by ``manage.py media_s3_cors``, lets the page read
those files in script so that its service worker can keep them."""

import io
import urllib.request

import pytest
from django.core.management import call_command
from django.test import Client

from courses.services import enrolment_create
from media_pipeline import ffmpeg as ff
from media_pipeline.models import MediaStatus
from tests.courses.factories import lessons_of, make_course
from tests.factories import UserFactory
from tests.media_pipeline.conftest import CLIPS, moto_server, s3_storage, upload  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db

ORIGIN = "http://127.0.0.1:8362"


def fetch(url: str, method: str = "GET", **headers) -> tuple[int, dict, bytes]:
    """What a browser of ORIGIN gets from the bucket: status, headers, body (HTTP, no mock)."""
    request = urllib.request.Request(url, method=method, headers={"Origin": ORIGIN, **headers})  # noqa: S310 (loopback)
    with urllib.request.urlopen(request, timeout=10) as answer:  # noqa: S310 (loopback moto server)
        return answer.status, dict(answer.headers), answer.read()


@pytest.fixture
def lesson(s3_storage, tmp_path, homes, learner, settings, django_capture_on_commit_callbacks):  # noqa: F811
    """A one-lesson module playing a 4 s recording encoded on S3; the learner is enrolled."""
    from wagtail.models import Collection

    settings.MEDIA_PIPELINE_SEGMENT_SECONDS = 2
    Collection.get_first_root_node() or Collection.add_root(name="Root")
    clip = tmp_path / "atelier.mp4"
    ff.run_quiet([*CLIPS["landscape.mp4"], str(clip)])
    asset = upload(UserFactory(), clip, capture=django_capture_on_commit_callbacks)
    assert asset.status == MediaStatus.READY, asset.error_log
    course = make_course(slug="s3-hors-ligne", lessons=1, recording=asset, revisions=False)
    enrolment_create(user=learner, course=course)
    client = Client()
    client.force_login(learner)
    return lessons_of(course)[0], asset, client


def test_stored_files_come_through_the_site_then_from_the_bucket_with_cors(lesson, s3_storage):  # noqa: F811
    """Each choice and the poster are this site's route; it redirects to a presigned S3 link, which
    the bucket answers to the page's origin (preflight included) with the CORS rule set."""
    lesson, asset, client = lesson
    manifest = client.post(f"/learn/offline/{lesson.pk}/").json()
    (video,) = manifest["videos"]
    route = f"/learn/offline/{lesson.pk}/file/{asset.pk}/"
    assert [c["url"] for c in video["choices"]] == [route + "audio/", route + "mp4/"]
    assert all(c["bytes"] > 1000 for c in video["choices"]) and video["poster"] == route + "poster/"

    response = client.get(route + "audio/")
    assert response.status_code == 302 and response["Cache-Control"] == "private, no-store"
    signed = response["Location"]
    assert signed.startswith(s3_storage["url"]) and "X-Amz-Signature=" in signed

    # moto's server adds an "allow every origin" header to all its answers (flask-cors), so what
    # a bucket without the rule would refuse cannot be shown here: the rule itself is checked below.
    call_command("media_s3_cors", origin=[ORIGIN], stdout=io.StringIO())
    status, headers, _body = fetch(signed, "OPTIONS", **{"Access-Control-Request-Method": "GET",
                                                        "Access-Control-Request-Headers": "range"})
    assert status == 200 and headers["Access-Control-Allow-Origin"] == ORIGIN
    status, headers, body = fetch(signed, Range="bytes=0-")
    assert status in (200, 206) and headers["Access-Control-Allow-Origin"] in (ORIGIN, "*")
    assert len(body) == video["choices"][0]["bytes"]
    rules = s3_storage["client"].get_bucket_cors(Bucket=s3_storage["bucket"])["CORSRules"]
    assert rules[0]["AllowedOrigins"] == [ORIGIN] and rules[0]["AllowedMethods"] == ["GET", "HEAD"]


def test_the_route_refuses_others_and_files_the_lesson_does_not_play(lesson):
    """Not enrolled: 403; anonymous: 401; an unknown kind or a recording the lesson does not play:
    404 with a message in the page's language; never a redirect to the bucket."""
    lesson, asset, client = lesson
    route = f"/learn/offline/{lesson.pk}/file/{asset.pk}/"
    other = Client()
    other.force_login(UserFactory())
    assert other.get(route + "mp4/").status_code == 403
    assert Client().get(route + "mp4/").status_code == 401
    wrong = client.get(route + "original/", HTTP_ACCEPT_LANGUAGE="fr")
    assert wrong.status_code == 404 and wrong.json()["message"] == "Ce fichier ne fait pas partie de cette leçon."
    assert client.get(f"/learn/offline/{lesson.pk}/file/{asset.pk + 1}/mp4/").status_code == 404


def test_the_cors_command_needs_a_bucket_and_an_origin(settings):
    """On local disk the command says there is no bucket, and changes nothing."""
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="local disk"):
        call_command("media_s3_cors", origin=[ORIGIN])
