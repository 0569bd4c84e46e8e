"""The admin menu shows the door to programme staff only."""

import pytest
from django.urls import reverse

from tests.factories import UserFactory

from .factories_door import door_staff

pytestmark = pytest.mark.django_db


def test_menu_item_for_programme_staff_only(client):
    """An editor with admin access but no check-in permission sees no door; programme staff see it."""
    from django.contrib.auth.models import Permission

    admin_access = Permission.objects.get(codename="access_admin")
    editor = UserFactory()
    editor.user_permissions.add(admin_access)
    client.force_login(editor)
    assert reverse("checkin:index") not in client.get(reverse("wagtailadmin_home")).content.decode()
    staff = door_staff()
    staff.user_permissions.add(admin_access)
    client.force_login(staff)
    assert reverse("checkin:index") in client.get(reverse("wagtailadmin_home")).content.decode()
