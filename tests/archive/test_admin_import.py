"""The admin import screen: editors check then import; others are refused."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from archive.models import ActivityPage
from tests.factories import UserFactory

from .test_import_export import GOOD, sheet

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, archive_index):
    user = UserFactory(is_superuser=True, is_staff=True)
    client.force_login(user)
    return client


def test_dry_run_then_import_from_the_admin(admin_client):
    """A dry run lists the rows without writing; ticking 'import for real' writes them."""
    data = sheet(GOOD | {"attachments": ""})
    response = admin_client.post("/admin/archive-import/", {"spreadsheet": SimpleUploadedFile("plan.csv", data)})
    assert response.status_code == 200 and 'data-testid="import-dry-run"' in response.content.decode()
    assert not ActivityPage.objects.exists()
    response = admin_client.post("/admin/archive-import/", {"spreadsheet": SimpleUploadedFile("plan.csv", data), "commit": "on"})
    assert 'data-testid="import-done"' in response.content.decode()
    assert ActivityPage.objects.count() == 2


def test_problems_are_listed_per_row(admin_client):
    """A bad row is shown with its row number and message, and nothing is written."""
    data = sheet(GOOD | {"attachments": "", "province": "Atlantis"})
    html = admin_client.post("/admin/archive-import/", {"spreadsheet": SimpleUploadedFile("plan.csv", data), "commit": "on"}).content.decode()
    assert 'data-testid="import-problems"' in html and "Atlantis" in html
    assert not ActivityPage.objects.exists()


def test_non_editors_are_refused(client, archive_index):
    """A logged-in user without admin rights cannot reach the import screen."""
    client.force_login(UserFactory())
    assert client.get("/admin/archive-import/").status_code in (302, 403)


@pytest.fixture
def trainer_client(client, archive_index):
    """A trainer: admin access, may add and change pages, may not publish."""
    from django.contrib.auth.models import Group

    from accounts.groups import TRAINERS

    user = UserFactory(is_staff=True)
    user.groups.add(Group.objects.get(name=TRAINERS))
    client.force_login(user)
    return client


def test_a_trainers_import_is_a_draft_submitted_to_moderation(trainer_client):
    """A trainer without publish permission can import, but nothing goes live: the pages are drafts
    in the moderation workflow, and the screen says so."""
    data = sheet(GOOD | {"attachments": ""})
    html = trainer_client.post("/admin/archive-import/", {"spreadsheet": SimpleUploadedFile("plan.csv", data), "commit": "on"}).content.decode()
    assert 'data-testid="import-done"' in html and 'data-testid="import-notice"' in html
    pages = ActivityPage.objects.all()
    assert pages.count() == 2
    assert not pages.filter(live=True).exists()
    source = pages.get(locale__language_code="ar")
    assert source.workflow_in_progress
    assert source.get_latest_revision().user is not None


def test_a_trainers_reimport_leaves_the_published_version_live(trainer_client, archive_index):
    """Re-importing over a published activity keeps the published text live; the change waits for moderation."""
    from archive.importer import run_import

    assert run_import(index=archive_index, data=sheet(GOOD | {"attachments": ""}), filename="a.csv", dry_run=False).written
    data = sheet(GOOD | {"attachments": "", "title_ar": "عنوان مزيف"})
    trainer_client.post("/admin/archive-import/", {"spreadsheet": SimpleUploadedFile("plan.csv", data), "commit": "on"})
    page = ActivityPage.objects.get(locale__language_code="ar")
    assert page.live and page.title == GOOD["title_ar"]
    assert page.has_unpublished_changes and page.get_latest_revision_as_object().title == "عنوان مزيف"


def test_an_editors_import_goes_live(admin_client):
    """Someone with publish permission publishes by importing."""
    data = sheet(GOOD | {"attachments": ""})
    admin_client.post("/admin/archive-import/", {"spreadsheet": SimpleUploadedFile("plan.csv", data), "commit": "on"})
    assert ActivityPage.objects.filter(live=True).count() == 2


def test_imported_documents_are_downloaded_never_rendered(admin_client, client):
    """An imported attachment (even a PDF, which Wagtail shows inline by default) is served as an
    attachment with Content-Security-Policy: default-src 'none' and nosniff."""
    from wagtail.documents.models import Document

    from .test_import_export import PDF, zip_of

    admin_client.post("/admin/archive-import/", {
        "spreadsheet": SimpleUploadedFile("plan.csv", sheet(GOOD)), "commit": "on",
        "attachments": SimpleUploadedFile("files.zip", zip_of(**{"programme.pdf": PDF}).getvalue()),
    })
    document = Document.objects.get()
    response = client.get(document.url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert response["Content-Security-Policy"] == "default-src 'none'"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_document_files_are_not_published_at_media_url(rf, settings):
    """Development's media view refuses anything under documents/ (however the path is spelt) and
    still serves other media."""
    from pathlib import Path

    from django.http import Http404

    from config.urls import public_media

    root = Path(settings.MEDIA_ROOT)
    (root / "documents").mkdir(parents=True, exist_ok=True)
    (root / "documents" / "evil.html").write_bytes(b"<script>alert(1)</script>")
    (root / "images").mkdir(parents=True, exist_ok=True)
    (root / "images" / "ok.txt").write_bytes(b"ok")
    for path in ("documents/evil.html", "images/../documents/evil.html", "/documents/evil.html", "./documents/evil.html"):
        with pytest.raises(Http404):
            public_media(rf.get("/media/" + path), path, document_root=settings.MEDIA_ROOT)
    assert public_media(rf.get("/media/images/ok.txt"), "images/ok.txt", document_root=settings.MEDIA_ROOT).status_code == 200
