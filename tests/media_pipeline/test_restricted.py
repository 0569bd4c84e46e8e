"""A restricted recording (a lesson's) cannot be fetched without a valid link: every file of it
(playlists, init and media segments, MP4, audio, poster, storyboard, captions, the original) and
the lesson's MP4 document, on local disk and on a real S3 server (moto on loopback).

Anonymous visitors, an unenrolled learner and an expired token get 403 or 404 for every file;
the enrolled learner gets 200 for every one. Public recordings still play for anyone."""

import re
import time
import urllib.error
import urllib.request
from pathlib import Path
from unittest import mock

import pytest
from django.conf import settings
from django.core.files.storage import default_storage
from django.http import Http404
from django.test import Client, RequestFactory
from django.views.static import serve as static_serve

from courses.services import enrolment_create
from media_pipeline.ladder import parse_playlist
from media_pipeline.selectors import player_sources
from media_pipeline.services import caption_set
from media_pipeline.storage import is_local, protected_root
from tests.courses.factories import lessons_of, make_course, make_video
from tests.factories import UserFactory

from .checks import master_variants
from .conftest import upload

pytestmark = pytest.mark.django_db

VTT = "WEBVTT\n\n00:00:00.500 --> 00:00:02.000\nمرحبا بكم\n".encode()
DENIED = {403, 404}


@pytest.fixture(params=["local", "s3"])
def where(request):
    """The storage under test: local disk, or the protected S3 storage on moto's server."""
    if request.param == "s3":
        request.getfixturevalue("s3_storage")
    return request.param


@pytest.fixture
def restricted(where, trainer, clips, tmp_path, django_capture_on_commit_callbacks):
    """A one-lesson module whose lesson plays a recording (with a caption) and an MP4 document;
    an enrolled and an unenrolled learner."""
    from demo import home as home_demo

    home_demo.load()
    asset = upload(trainer, clips["landscape.mp4"], capture=django_capture_on_commit_callbacks)
    assert asset.is_ready, asset.error_log
    caption_set(asset=asset, language="ar", label="العربية", content=VTT)
    document = make_video(tmp_path, seconds=2, title="takwin-demo")
    course = make_course(slug="restricted", lessons=1, rule="video", recording=asset)
    lesson = lessons_of(course)[0]
    lesson.body = [("video", {"recording": asset, "video": document, "poster": None, "caption": ""})]
    lesson.save_revision().publish()
    enrolled, stranger = UserFactory(), UserFactory()
    enrolment_create(user=enrolled, course=course)
    asset.refresh_from_db()
    return {"asset": asset, "document": document, "lesson": lesson, "enrolled": enrolled, "stranger": stranger}


def _client(user=None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def _body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def _fetch(client: Client, url: str) -> tuple[int, bytes]:
    """GET through Django, or over HTTP for an absolute (S3) URL, as a browser would."""
    if url.startswith("http"):
        try:
            with urllib.request.urlopen(url) as response:  # noqa: S310 (loopback test server)
                return response.status, response.read()
        except urllib.error.HTTPError as error:
            return error.code, b""
    response = client.get(url)
    return response.status_code, _body(response)


def _crawl(client: Client, player: dict) -> dict[str, int]:
    """Every URL a player fetches for this playback, walked from the master playlist and the
    player's other sources, with the status each answered."""
    seen: dict[str, int] = {}

    def get(url):
        status, body = _fetch(client, url)
        seen[url] = status
        return body.decode("utf-8", "replace") if status == 200 else ""

    master = get(player["master"])
    playlists = [v["uri"] for v in master_variants(master)] + re.findall(
        r'TYPE=(?:AUDIO|SUBTITLES)[^\n]*URI="([^"]+)"', master
    )
    for url in playlists:
        text = get(url)
        for init in re.findall(r'#EXT-X-MAP:URI="([^"]+)"', text):
            get(init)
        for _, segment in parse_playlist(text):
            get(segment)
    board = get(player["storyboard"])
    for tile in set(re.findall(r"^(\S+)#xywh=", board, re.M)):
        get(tile)
    for key in ("mp4", "audio_file", "poster"):
        get(player[key])
    for caption in player["captions"]:
        get(caption["url"])
    return seen


def _public_media(name: str) -> int:
    """What nginx's public ``/media/`` alias (or Django's DEBUG static route) answers for a
    stored name: it serves MEDIA_ROOT, nothing else."""
    try:
        return static_serve(RequestFactory().get("/media/" + name), name, document_root=settings.MEDIA_ROOT).status_code
    except Http404:
        return 404


def _unsigned_s3(name: str) -> int:
    store = default_storage
    url = f"{store.endpoint_url}/{store.bucket_name}/{store._normalize_name(name)}"
    try:
        with urllib.request.urlopen(url) as response:  # noqa: S310 (loopback test server)
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def _stored_names(asset) -> list[str]:
    encode = asset.current_encode
    return [*encode.files, *(c.file.name for c in asset.captions.all()), asset.file.name]


def test_enrolled_learner_fetches_every_file(restricted, where):
    """The enrolled learner's player reaches every file of the recording (each playlist, init
    segment, media segment, the MP4, audio, poster, storyboard and its tiles, the caption): 200."""
    asset, enrolled = restricted["asset"], restricted["enrolled"]
    player = player_sources(asset, signed=True, user=enrolled)
    seen = _crawl(_client(enrolled), player)
    assert seen and all(status == 200 for status in seen.values()), {u: s for u, s in seen.items() if s != 200}
    segments = [u for u in seen if ".m4s" in u]
    renditions = asset.renditions.count()
    assert len(segments) > renditions * 2, "media segments of every rung were fetched"
    assert sum("init" in u for u in seen) == renditions, "one init segment per rung (audio included)"
    if where == "s3":
        assert all(
            u.startswith(default_storage.endpoint_url) and "X-Amz-Signature=" in u for u in seen if "/hls/" not in u
        ), "on S3 every file is a presigned GET"


def test_anonymous_stranger_and_expired_token_get_nothing(restricted, where):
    """Without a valid link every file answers 403 or 404: anonymously and as an unenrolled
    learner (with the enrolled learner's links, or none), with an expired token, through the
    public /media/ alias, unsigned on S3, and the original through any route."""
    asset, enrolled, stranger = restricted["asset"], restricted["enrolled"], restricted["stranger"]
    player = player_sources(asset, signed=True, user=enrolled)
    own = _crawl(_client(enrolled), player)
    through_django = [u for u in own if not u.startswith("http")]
    assert through_django, "the playlists at least go through Django"
    if where == "local":
        assert len(through_django) == len(own), "on local disk every file goes through the token's views"

    for client in (_client(), _client(stranger)):
        statuses = {url: _fetch(client, url)[0] for url in through_django}
        assert set(statuses.values()) <= DENIED, statuses
    # The stranger's own lesson page offers no player at all.
    page = _client(stranger).get(restricted["lesson"].url)
    assert b"/media-pipeline/hls/" not in _body(page)

    later = time.time() + 10 * 24 * 3600
    with mock.patch("media_pipeline.delivery.time.time", return_value=later):
        statuses = {url: _fetch(_client(enrolled), url)[0] for url in through_django}
    assert set(statuses.values()) <= DENIED, statuses

    names = _stored_names(asset)
    assert asset.file.name.startswith("media_pipeline/originals/")
    for name in names:
        assert _public_media(name) == 404, name
        assert _fetch(_client(stranger), default_storage.url(name))[0] in DENIED or not is_local(), name
        if where == "local":
            assert not Path(default_storage.path(name)).resolve().is_relative_to(Path(settings.MEDIA_ROOT).resolve())
            assert Path(default_storage.path(name)).resolve().is_relative_to(protected_root().resolve())
        else:
            assert _unsigned_s3(name) == 403, name
            grants = default_storage.connection.meta.client.get_object_acl(
                Bucket=default_storage.bucket_name, Key=default_storage._normalize_name(name)
            )["Grants"]
            assert not [g for g in grants if "AllUsers" in g["Grantee"].get("URI", "")], (name, grants)
    # A token opens nothing outside the encode: not the original.
    token = player["master"].split("/hls/")[1].split("/")[0]
    assert (
        _client(enrolled).get(f"/media-pipeline/hls/{token}/f/../originals/{Path(asset.file.name).name}").status_code
        == 404
    )


def test_lesson_video_document_follows_the_lessons_access(restricted, where):
    """The lesson's MP4 document: /learn/video/<id>/ and Wagtail's /documents/<id>/<name> refuse
    anonymous visitors and the unenrolled learner (404), serve the enrolled learner (bytes, or a
    redirect to a presigned URL on S3); the file is not under the public /media/ alias."""
    document, enrolled, stranger = restricted["document"], restricted["enrolled"], restricted["stranger"]
    urls = [f"/learn/video/{document.pk}/", f"/documents/{document.pk}/{document.filename}"]
    for client in (_client(), _client(stranger)):
        for url in urls:
            assert client.get(url, headers={"Range": "bytes=0-99"}).status_code in DENIED, url
    assert _public_media(document.file.name) == 404
    with document.file.open("rb") as fh:
        data = fh.read()
    for url in urls:
        response = _client(enrolled).get(url, headers={"Range": "bytes=0-99"})
        if where == "s3":
            assert response.status_code == 302
            assert _fetch(_client(), response["Location"]) == (200, data)
            assert _unsigned_s3(document.file.name) == 403
        else:
            assert response.status_code in (200, 206), url
            assert _body(response) in (data, data[:100])


def test_public_recording_still_plays_for_anyone_and_is_cacheable(restricted, where):
    """A public page's playback (public token) plays anonymously, every file 200, with public
    cache headers on local disk (files: a year, immutable)."""
    asset = restricted["asset"]
    player = player_sources(asset)
    assert player_sources(asset)["master"] == player["master"], "stable URLs, so caches hit"
    anonymous = _client()
    seen = _crawl(anonymous, player)
    assert seen and set(seen.values()) == {200}
    response = anonymous.get(player["master"])
    assert response["Cache-Control"] == "public, max-age=300"
    if where == "local":
        response = anonymous.get(player["mp4"])
        assert response["Cache-Control"] == "public, max-age=31536000, immutable"


def test_lesson_video_ranges_are_streamed_in_bounded_chunks(restricted, where, monkeypatch):
    """A byte range larger than the read chunk comes back streamed, chunk by chunk (never the
    whole range in memory), with exactly the requested bytes and Content-Range."""
    if where == "s3":
        pytest.skip("on S3 the document is a redirect to a presigned URL: S3 answers the range")
    from media_pipeline import delivery

    monkeypatch.setattr(delivery, "CHUNK_SIZE", 4096)
    document = restricted["document"]
    with document.file.open("rb") as fh:
        data = fh.read()
    assert len(data) > 4 * 4096
    first, last = 1000, 1000 + 3 * 4096 + 17
    response = _client(restricted["enrolled"]).get(
        f"/learn/video/{document.pk}/", headers={"Range": f"bytes={first}-{last}"}
    )
    assert response.status_code == 206 and response.streaming
    assert response["Content-Range"] == f"bytes {first}-{last}/{len(data)}"
    assert response["Content-Length"] == str(last - first + 1)
    chunks = list(response.streaming_content)
    assert len(chunks) == 4 and max(len(c) for c in chunks) <= 4096
    assert b"".join(chunks) == data[first : last + 1]
    assert (
        _client(restricted["enrolled"])
        .get(f"/learn/video/{document.pk}/", headers={"Range": f"bytes={len(data)}-"})
        .status_code
        == 416
    )


def test_protect_command_moves_files_stored_before_protection(where, tmp_path, settings):
    """Files stored under MEDIA_ROOT before the upgrade move to the protected folder under the same
    name (the database needs no change); on S3 their objects become private. A second run does nothing."""
    from django.core.management import call_command

    if where == "local":
        old = Path(settings.MEDIA_ROOT) / "media_pipeline" / "originals" / "old.mp4"
        old.parent.mkdir(parents=True, exist_ok=True)
        old.write_bytes(b"old bytes")
        public = Path(settings.MEDIA_ROOT) / "images" / "kept.jpg"
        public.parent.mkdir(parents=True, exist_ok=True)
        public.write_bytes(b"jpg")
        call_command("media_protect_files")
        assert not old.exists() and public.exists()
        with default_storage.open("media_pipeline/originals/old.mp4") as fh:
            assert fh.read() == b"old bytes"
        assert _public_media("media_pipeline/originals/old.mp4") == 404
    else:
        client, bucket = default_storage.connection.meta.client, default_storage.bucket_name
        client.put_object(Bucket=bucket, Key="documents/old.pdf", Body=b"%PDF", ACL="public-read")
        assert _unsigned_s3("documents/old.pdf") == 200
        call_command("media_protect_files")
        assert _unsigned_s3("documents/old.pdf") == 403
    from io import StringIO

    out = StringIO()
    call_command("media_protect_files", stdout=out)
    assert "moved: 0" in out.getvalue()


def test_deployment_docs_match_the_storage(settings):
    """README's nginx block serves /media/ from MEDIA_ROOT only and sends protected files from an
    internal location aliasing PROTECTED_MEDIA_ROOT (var/protected beside var/media), which the
    public alias does not contain; the ACCEL_REDIRECT setting named there is that location."""
    readme = (Path(settings.BASE_DIR) / "README.md").read_text()
    block = re.search(r"```nginx\n(.*?)```", readme, re.S).group(1)
    aliases = dict(re.findall(r"location (\S+)\s*\{[^}]*?alias (\S+?);", block))
    assert aliases["/media/"] == "/srv/takwin/var/media/"
    assert aliases["/_protected/"] == "/srv/takwin/var/protected/"
    assert re.search(r"location /_protected/\s*\{\s*internal;", block)
    assert not aliases["/_protected/"].startswith(aliases["/media/"])
    settings.MEDIA_ROOT = "/srv/takwin/var/media"
    settings.PROTECTED_MEDIA_ROOT = ""
    assert str(protected_root()) + "/" == aliases["/_protected/"]
    assert (
        'MEDIA_PIPELINE_ACCEL_REDIRECT = "/_protected/"' in readme
        or "MEDIA_PIPELINE_ACCEL_REDIRECT=/_protected/" in readme
    )


def test_behind_cloudfront_protected_files_get_signed_cdn_urls(moto_server):
    """With a CDN domain and a CloudFront key, protected names get CloudFront signed URLs (expiring
    as asked) on the CDN domain, public names plain CDN URLs: the edge can refuse unsigned requests
    for recordings and documents while caching one copy per object."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    from media_pipeline.storage import ProtectedS3Storage

    pem = rsa.generate_private_key(public_exponent=65537, key_size=2048).private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.TraditionalOpenSSL, serialization.NoEncryption()
    )
    store = ProtectedS3Storage(
        bucket_name=moto_server["bucket"],
        endpoint_url=moto_server["url"],
        access_key="test",
        secret_key="test",
        region_name="us-east-1",
        custom_domain="cdn.takwin.example.ma",
        cloudfront_key_id="K2TEST",
        cloudfront_key=pem,
        querystring_auth=False,
    )
    before = int(time.time())
    signed = store.url("media_pipeline/1/abc/360p/seg_00000.m4s", expire=600)
    assert signed.startswith("https://cdn.takwin.example.ma/media_pipeline/1/abc/360p/seg_00000.m4s?")
    assert "Key-Pair-Id=K2TEST" in signed and "Signature=" in signed
    expires = int(re.search(r"Expires=(\d+)", signed).group(1))
    assert before + 595 <= expires <= int(time.time()) + 605
    assert store.url("images/photo.jpg") == "https://cdn.takwin.example.ma/images/photo.jpg"


def test_system_check_refuses_a_protected_folder_inside_the_public_one(settings, tmp_path):
    """`manage.py check` fails when PROTECTED_MEDIA_ROOT sits inside MEDIA_ROOT (it would be public)."""
    from media_pipeline.checks import check_protected_storage

    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.PROTECTED_MEDIA_ROOT = ""
    assert check_protected_storage(None) == []
    settings.PROTECTED_MEDIA_ROOT = str(tmp_path / "media" / "protected")
    assert [e.id for e in check_protected_storage(None)] == ["media_pipeline.E003"]


def test_staff_link_to_a_protected_file_serves_only_those_who_manage_it():
    """The storage's URL of a protected name (wagtailmedia's admin link to an original) serves the
    file to an editor holding the prefix's permission, Arabic name included, and 404 to a learner."""
    from django.contrib.auth.models import Permission
    from django.core.files.base import ContentFile

    name = default_storage.save("media_pipeline/originals/ورشة التخطيط.mp4", ContentFile(b"original bytes"))
    url = default_storage.url(name)
    assert url.startswith("/media-pipeline/protected/")
    editor, learner = UserFactory(), UserFactory()
    editor.user_permissions.add(Permission.objects.get(codename="change_mediaasset"))
    response = _client(editor).get(url)
    assert response.status_code == 200 and _body(response) == b"original bytes"
    assert response["Content-Disposition"] == "attachment"
    assert _client(learner).get(url).status_code == 404
    assert _client().get(url).status_code == 404
