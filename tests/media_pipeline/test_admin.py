"""The admin list of recordings: Wagtail's generic index view, paginated, searchable, filtered."""

import pytest
from django.contrib.auth.models import Permission
from wagtail.models import Collection

from media_pipeline.models import MediaAsset, MediaStatus
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
URL = "/admin/media-pipeline/"


@pytest.fixture
def recordings():
    """55 ready recordings and 3 failed ones, made without files (the list reads rows only)."""
    root = Collection.get_first_root_node()
    rows = [
        MediaAsset(
            title=f"Atelier budget {i:02d}",
            type="video",
            file=f"media_pipeline/originals/{i}.mp4",
            collection=root,
            status=MediaStatus.READY,
        )
        for i in range(55)
    ]
    rows += [
        MediaAsset(
            title=f"Séance échouée {i}",
            type="audio",
            file=f"media_pipeline/originals/f{i}.mp3",
            collection=root,
            status=MediaStatus.FAILED,
            error="encode",
        )
        for i in range(3)
    ]
    return MediaAsset.objects.bulk_create(rows)


def test_list_is_paginated_50_a_page(admin_client, recordings):
    """58 recordings: 50 on the first page, 8 on the second, newest first."""
    first = admin_client.get(URL)
    second = admin_client.get(URL, {"p": 2})
    assert first.status_code == second.status_code == 200
    assert len(first.context["object_list"]) == 50 and len(second.context["object_list"]) == 8
    assert first.context["object_list"][0].pk == max(r.pk for r in recordings)


def test_search_by_title_and_filter_by_status(admin_client, recordings):
    """?q= searches titles; ?status= keeps one state; the results view answers the same."""
    found = admin_client.get(URL, {"q": "échouée"})
    assert {a.title for a in found.context["object_list"]} == {f"Séance échouée {i}" for i in range(3)}
    failed = admin_client.get(URL, {"status": MediaStatus.FAILED})
    assert {a.status for a in failed.context["object_list"]} == {MediaStatus.FAILED}
    assert len(failed.context["object_list"]) == 3
    results = admin_client.get(URL + "results/", {"q": "budget 07"})
    assert results.status_code == 200 and [a.title for a in results.context["object_list"]] == ["Atelier budget 07"]
    html = failed.content.decode()
    assert all(f"/admin/media-pipeline/{a.pk}/retry/" in html for a in failed.context["object_list"])


def test_list_needs_the_change_permission(client, recordings):
    """A staff member who may only add recordings cannot open the list; with change, they can."""
    user = UserFactory(is_staff=True)
    user.user_permissions.add(
        Permission.objects.get(codename="access_admin"), Permission.objects.get(codename="add_mediaasset")
    )
    client.force_login(user)
    assert client.get(URL).status_code in (302, 403)
    user.user_permissions.add(Permission.objects.get(codename="change_mediaasset"))
    client.force_login(user)
    assert client.get(URL).status_code == 200
