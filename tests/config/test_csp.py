"""Content-Security-Policy: strict on public pages, Wagtail's admin its own, documents untouched.

The browser side (nothing on the lesson player, the uploader or the page editor is blocked) is in
tests/config/test_csp_browser.py; this module reads the headers and the templates.
"""

import re
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.test import Client

ROOT = Path(__file__).resolve().parents[2]


def directives(header: str) -> dict[str, list[str]]:
    """``"a x y; b z"`` -> ``{"a": ["x", "y"], "b": ["z"]}``."""
    parsed = {}
    for part in header.split(";"):
        if words := part.split():
            parsed[words[0]] = words[1:]
    return parsed


@pytest.fixture
def site_pages(db):
    """The home pages, the catalogue, the archive index and one module with a lesson."""
    from demo import home as home_demo
    from tests.courses.factories import lessons_of, make_course

    home_demo.load()
    course = make_course(slug="gis", lessons=1)
    return [
        "/",
        "/fr/",
        "/courses/",
        course.url,
        lessons_of(course)[0].url,
        "/archive/",
        "/search/?q=x",
        "/accounts/login/",
        "/fr/accounts/signup/",
    ]


def test_public_pages_forbid_inline_script(site_pages):
    """Every public page sends a policy whose scripts come from this origin only: no 'unsafe-inline',
    no 'unsafe-eval', no wildcard; plugins off, base and form targets and framing kept to this origin."""
    client = Client()
    for path in site_pages:
        response = client.get(path)
        assert response.status_code == 200, path
        policy = directives(response["Content-Security-Policy"])
        assert policy["default-src"] == ["'self'"], path
        assert policy["script-src"] == ["'self'"], path
        assert policy["style-src"] == ["'self'"], path
        assert policy["object-src"] == ["'none'"]
        assert policy["base-uri"] == policy["form-action"] == policy["frame-ancestors"] == ["'self'"]
        # The player: MediaSource buffers and hls.js's worker are blob: URLs.
        assert "blob:" in policy["media-src"] and "blob:" in policy["worker-src"]


def test_the_admin_has_its_own_policy_with_inline_scripts_only_there(admin_client):
    """Under /admin/ scripts and styles may be inline (Wagtail 8's admin writes both); every other
    directive is the site's."""
    response = admin_client.get("/admin/")
    assert response.status_code == 200
    policy = directives(response["Content-Security-Policy"])
    assert policy["script-src"] == ["'self'", "'unsafe-inline'"]
    assert policy["style-src"] == ["'self'", "'unsafe-inline'"]
    assert policy["object-src"] == ["'none'"] and policy["frame-ancestors"] == ["'self'"]
    assert "'unsafe-eval'" not in response["Content-Security-Policy"]
    login = Client().get("/admin/login/")
    assert "'unsafe-inline'" in directives(login["Content-Security-Policy"])["script-src"]


def test_wagtail_documents_keep_their_own_default_src_none(db):
    """A served document keeps Wagtail's ``default-src 'none'``: the site's policy does not replace it."""
    from wagtail.documents import get_document_model

    document = get_document_model().objects.create(title="Note", file=ContentFile(b"hello", name="note.txt"))
    response = Client().get(document.url)
    assert response.status_code == 200
    assert directives(response["Content-Security-Policy"]) == {"default-src": ["'none'"]}


def test_file_store_origins_are_allowed_for_media_images_and_fetches(monkeypatch):
    """Recordings on S3 (or behind a custom domain) load: their origin joins img-, media- and connect-src."""
    from config.settings import base

    monkeypatch.setenv("AWS_STORAGE_BUCKET_NAME", "takwin")
    monkeypatch.setenv("AWS_S3_ENDPOINT_URL", "https://s3.example.ma:9000/")
    assert base._file_origins() == ["https://s3.example.ma:9000"]
    monkeypatch.setenv("AWS_S3_CUSTOM_DOMAIN", "media.example.ma")
    assert base._file_origins() == ["https://s3.example.ma:9000", "https://media.example.ma"]
    monkeypatch.setenv("CSP_MEDIA_ORIGINS", "https://cdn.example.ma")
    assert base._file_origins() == ["https://cdn.example.ma"]


# What the policy forbids, as it appears in a template: an inline script (a <script> without src
# that is not a data block such as JSON-LD), an event-handler attribute, a style attribute, a
# javascript: link.
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*\btype=\"application/(ld\+)?json\")[^>]*>", re.I)
HANDLER = re.compile(r"<[^>]*\son[a-z]+\s*=", re.I)
STYLE_ATTRIBUTE = re.compile(r"<[^>]*\sstyle\s*=", re.I)
JAVASCRIPT_URL = re.compile(r"\b(href|src|action)\s*=\s*[\"']?\s*javascript:", re.I)
# Rendered to PDF by WeasyPrint, never sent to a browser.
NOT_SERVED = {"courses/certificate_pdf.html", "programme/signin_sheet_pdf.html"}


def test_no_template_needs_unsafe_inline():
    """No template of the site holds what the public policy blocks; behaviour lives in static/js/
    (``data-fill``, ``data-autosubmit`` in static/js/site.js) so the policy needs no 'unsafe-inline'."""
    offenders = []
    templates = ROOT / "templates"
    for path in sorted(templates.rglob("*.html")):
        name = path.relative_to(templates).as_posix()
        if name in NOT_SERVED:
            continue
        text = path.read_text()
        for label, pattern in (
            ("inline script", INLINE_SCRIPT),
            ("event handler", HANDLER),
            ("style attribute", STYLE_ATTRIBUTE),
            ("javascript: URL", JAVASCRIPT_URL),
        ):
            offenders += [f"{name}: {label}: {m.group(0)[:80]}" for m in pattern.finditer(text)]
    assert offenders == []


def test_bars_are_drawn_from_data_attributes(db):
    """The bars that were ``style="inline-size: N%"`` carry ``data-fill`` for static/js/site.js."""
    from courses.services import enrolment_create
    from demo import home as home_demo
    from tests.courses.factories import make_course
    from tests.factories import UserFactory

    home_demo.load()
    course = make_course(slug="gis", lessons=2)
    learner = UserFactory()
    enrolment_create(user=learner, course=course)
    client = Client()
    client.force_login(learner)
    body = client.get(course.url).content.decode()
    assert 'data-fill="0"' in body and "style=" not in body
    assert "js/site.js" in body
