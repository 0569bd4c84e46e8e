"""Fixtures of progafter's programme tests."""

import pytest
from django.contrib.auth.models import Permission

from tests.factories import UserFactory


@pytest.fixture
def plan(db):
    """The 2026 plan pages (Arabic and French) under the archive, with three themes."""
    from tests.programme.factories_after import plan_pages

    return plan_pages(2026)


@pytest.fixture
def programme_staff(db):
    """A staff member with the programme's permission (what the "Programme" group grants)."""
    user = UserFactory(email="staff@example.ma", full_name="Programme Staff", is_staff=True)
    user.user_permissions.add(
        Permission.objects.get(codename="change_session", content_type__app_label="programme"),
        Permission.objects.get(codename="access_admin", content_type__app_label="wagtailadmin"),
    )
    return user
