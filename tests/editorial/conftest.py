"""Fixtures of the editorial tests: the page tree, an editor, a reviewer, an administrator."""

import pytest
from django.contrib.auth.models import Group
from django.test import Client

from tests.factories import UserFactory


@pytest.fixture
def homes(db):
    from demo import home as home_demo

    return home_demo.load()


def member(group: str, **fields):
    from accounts.services import sync_admin_language

    user = UserFactory(is_staff=True, **fields)
    user.groups.add(Group.objects.get(name=group))
    sync_admin_language(user)
    return user


@pytest.fixture
def editor(homes):
    return member("Editors", full_name="سلمى بناني")


@pytest.fixture
def reviewer(homes):
    return member("Reviewers", full_name="Nadia Ouazzani", preferred_language="fr")


@pytest.fixture
def admin(homes):
    return UserFactory(is_staff=True, is_superuser=True)


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def recording(title: str, *, status: str = "ready", duration: float = 120):
    """A recording of the media library in the given encode state (no file is encoded: the
    chooser and the gates read the state only)."""
    from media_pipeline import get_media_model
    from media_pipeline.models import Encode

    asset = get_media_model().objects.create(
        title=title, file=f"media_pipeline/originals/{title}.mp4", type="video", duration=duration, status=status
    )
    if status == "ready":
        asset.current_encode = Encode.objects.create(asset=asset, prefix=f"media_pipeline/encodes/{asset.pk}", status="done")
        asset.save(update_fields=["current_encode"])
    return asset
