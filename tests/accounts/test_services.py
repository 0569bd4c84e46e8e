"""The account services the demo and commands use: creation without welcome e-mail, access flags."""

import pytest
from django.core import mail

from accounts.groups import EDITORS, LEARNERS
from accounts.services import user_create, user_set_access

pytestmark = pytest.mark.django_db


def test_user_create_with_welcome_off_sends_no_email_and_sets_admin_flags(django_capture_on_commit_callbacks):
    """welcome=False creates the account with its staff flags and groups but sends no e-mail."""
    with django_capture_on_commit_callbacks(execute=True):
        user = user_create(
            email="Editor@Example.test",
            password="a-long-pass-2026",
            full_name="Salma",
            groups=(EDITORS,),
            is_staff=True,
            welcome=False,
        )
    assert (user.email, user.is_staff, user.is_superuser) == ("editor@example.test", True, False)
    assert list(user.groups.values_list("name", flat=True)) == [EDITORS]
    assert mail.outbox == []


def test_user_set_access_changes_flags_groups_and_only_a_different_password():
    """The same password keeps its hash (no rewrite); a new one replaces it; groups are replaced."""
    user = user_create(email="t@example.test", password="a-long-pass-2026", full_name="T", welcome=False)
    old_hash = user.password
    user_set_access(user=user, groups=(EDITORS,), is_staff=True, is_superuser=False, password="a-long-pass-2026")
    user.refresh_from_db()
    assert user.password == old_hash and user.is_staff
    assert list(user.groups.values_list("name", flat=True)) == [EDITORS]
    user_set_access(user=user, groups=(LEARNERS,), is_staff=False, is_superuser=False, password="another-pass-2026")
    user.refresh_from_db()
    assert user.check_password("another-pass-2026") and not user.is_staff
    assert list(user.groups.values_list("name", flat=True)) == [LEARNERS]
