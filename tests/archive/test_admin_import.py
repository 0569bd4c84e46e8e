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
