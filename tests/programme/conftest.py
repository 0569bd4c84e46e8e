"""Fixtures of the programme's tests: a plan, an open session, officials."""

import pytest
from django.contrib.auth.models import Permission

from tests.factories import UserFactory

from .factories import make_plan, make_session


@pytest.fixture
def plan(db):
    return make_plan()


@pytest.fixture
def session(plan):
    """An open session with 3 places."""
    return make_session(plan)


@pytest.fixture
def official(db):
    return UserFactory(full_name="فاطمة الزهراء أيت علي", category="elected", email="fatima@example.ma")


@pytest.fixture
def officials(db):
    return [UserFactory(category="elected") for _ in range(5)]


@pytest.fixture
def plan_transactional(transactional_db):
    from tests.archive.conftest import _ensure_wagtail_roots

    _ensure_wagtail_roots()
    return make_plan()


@pytest.fixture
def programme_staff(db):
    """A staff member with the programme's permission (what the "Programme" group grants)."""
    user = UserFactory(email="staff@example.ma", full_name="Programme Staff", is_staff=True)
    user.user_permissions.add(
        Permission.objects.get(codename="change_session", content_type__app_label="programme"),
        Permission.objects.get(codename="access_admin", content_type__app_label="wagtailadmin"),
    )
    return user


@pytest.fixture(autouse=True)
def _no_page_cache(settings):
    """Query counts and page contents are measured on rendered pages, not on the anonymous page cache."""
    settings.PAGECACHE_SECONDS = 0


@pytest.fixture(scope="session")
def camera_clip(tmp_path_factory):
    """Where chromium's fake camera reads its clip: one path for the session, so that one
    chromium serves every test; each test writes its own QR code there (``qr_video``), which
    the camera reads when a page starts it."""
    return tmp_path_factory.mktemp("fake-camera") / "qr.y4m"
