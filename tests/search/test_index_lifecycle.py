"""Publishing, unpublishing, moving and deleting pages keep the index current;
rebuilds are atomic; a missing or damaged index answers empty, never a 500."""

import shutil

import pytest
from django.core.management import call_command
from modelsearch.backends import get_search_backend
from wagtail.models import Locale, Page

from search.backends.whoosh.index import WhooshIndex
from search.backends.whoosh.mapping import Mapping
from search.health import index_status
from search.selectors import site_search
from tests.search.factories import TopicPageFactory, site_root

pytestmark = pytest.mark.django_db


def found(query: str) -> list[str]:
    result = site_search(query=query, locale=Locale.get_default())
    return [hit.page.title for hit in result.hits]


def index_keys(backend=None) -> set[str]:
    backend = backend or get_search_backend("default")
    with backend.get_index_for_model(Page).searcher() as searcher:
        return {fields["key"] for fields in searcher.all_stored_fields()}


def test_publish_unpublish_move_delete_update_the_index(search_index_dir, django_capture_on_commit_callbacks):
    """Each page operation reaches the index through the (inline, in tests) task queue."""
    call_command("update_index", verbosity=0)
    with django_capture_on_commit_callbacks(execute=True):
        page = TopicPageFactory(title="الحكامة الترابية", body="ورشة حول الحكامة")
    assert found("الحكامة") == ["الحكامة الترابية"]

    with django_capture_on_commit_callbacks(execute=True):
        page.unpublish()
    assert found("الحكامة") == []

    with django_capture_on_commit_callbacks(execute=True):
        page.save_revision().publish()
    assert found("حكامة") == ["الحكامة الترابية"]

    with django_capture_on_commit_callbacks(execute=True):
        section = TopicPageFactory(title="قسم")
        page.refresh_from_db()
        page.move(section, pos="last-child")
    page.refresh_from_db()
    under_section = site_search(
        query="الحكامة",
        locale=Locale.get_default(),
        base_queryset=Page.objects.live().descendant_of(section),
    )
    assert [hit.page.pk for hit in under_section.hits] == [page.pk]

    key = Mapping(type(page)).document_key(page)
    assert key in index_keys()
    with django_capture_on_commit_callbacks(execute=True):
        page.delete()
    assert key not in index_keys()
    assert found("الحكامة") == []


def test_deletion_waits_for_the_task(search_index_dir, django_capture_on_commit_callbacks):
    """Deleting in a request only queues the index write; the task performs it."""
    call_command("update_index", verbosity=0)
    with django_capture_on_commit_callbacks(execute=True):
        page = TopicPageFactory(title="Budget communal")
    key = Mapping(type(page)).document_key(page)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        Page.objects.get(pk=page.pk).delete()
    assert key in index_keys()  # nothing written yet
    assert callbacks
    for callback in callbacks:
        callback()
    assert key not in index_keys()


def test_update_index_builds_aside_then_swaps(search_index_dir):
    """While a rebuild runs, searches answer from the previous generation and
    saves reach both; the swap replaces the generation at once and removes the old folder."""
    first = TopicPageFactory(title="Marchés publics")
    call_command("update_index", verbosity=0)
    backend = get_search_backend("default")
    live_index = backend.get_index_for_model(Page)
    old_generation = (search_index_dir / "default" / "current").readlink()

    rebuilder = backend.rebuilder_class(live_index)
    new_index = rebuilder.start()
    new_index.add_model(Page)
    assert found("marchés") == ["Marchés publics"]  # the new generation is still empty
    # The rebuild read its chunk before this page existed; the save reaches both generations.
    new_index.add_items(type(first), [first])
    TopicPageFactory(title="Marchés de travaux")
    assert sorted(found("marchés")) == ["Marchés de travaux", "Marchés publics"]
    rebuilder.finish()

    assert sorted(found("marchés")) == ["Marchés de travaux", "Marchés publics"]
    current = (search_index_dir / "default" / "current").readlink()
    assert current != old_generation
    assert not (search_index_dir / "default" / old_generation).exists()
    assert not (search_index_dir / "default" / "building").exists()


def test_missing_index_gives_empty_results_and_a_clear_admin_message(search_index_dir, client, admin_user):
    """No index yet: the search page answers 200 with no result, staff see why,
    and the admin dashboard says how to repair it."""
    TopicPageFactory(title="Formation des élus")
    shutil.rmtree(search_index_dir)  # e.g. a new server whose index was never built
    assert index_status()["ok"] is False

    response = client.get("/search/", {"q": "formation"})
    assert response.status_code == 200
    assert response.context["result"].total == 0

    client.force_login(admin_user)
    response = client.get("/search/", {"q": "formation"})
    assert "update_index" in response.content.decode()
    dashboard = client.get("/admin/")
    assert dashboard.status_code == 200
    assert "update_index" in dashboard.content.decode()

    call_command("update_index", verbosity=0)
    assert index_status()["ok"] is True
    assert found("formation") == ["Formation des élus"]
    assert "update_index" not in client.get("/admin/").content.decode()


def test_damaged_index_answers_empty_and_a_rebuild_repairs_it(search_index_dir, client):
    """Garbage in the index files gives an empty page, not a 500; update_index repairs it."""
    TopicPageFactory(title="Fiscalité locale")
    call_command("update_index", verbosity=0)
    assert found("fiscalité") == ["Fiscalité locale"]
    generation = search_index_dir / "default" / (search_index_dir / "default" / "current").readlink()
    for path in generation.iterdir():
        path.write_bytes(b"\x00garbage" * 10)
    WhooshIndex.forget_open()  # as in a freshly started web process

    response = client.get("/search/", {"q": "fiscalité"})
    assert response.status_code == 200
    assert response.context["result"].total == 0
    assert index_status()["ok"] is False
    assert get_search_backend("default").search("fiscalité", Page).count() == 0

    call_command("update_index", verbosity=0)
    assert found("fiscalité") == ["Fiscalité locale"]


def test_site_root_is_a_page(db):
    """The factories' parent is the default site's root page."""
    assert site_root().depth == 2


# --- A rebuild that died -----------------------------------------------------------------


def _dead_pid() -> int:
    """A pid no process has: a child that has exited and been reaped."""
    import subprocess
    import sys

    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def _crashed_rebuild(search_index_dir, *, pid: int, started: float | None = None) -> tuple[str, object]:
    """Start a rebuild, then leave its marker as a killed process would: owned by ``pid``."""
    import json

    from processes import process_start

    backend = get_search_backend("default")
    live_index = backend.get_index_for_model(Page)
    rebuilder = backend.rebuilder_class(live_index)
    new_index = rebuilder.start()
    new_index.add_model(Page)
    new_index.finish_batch()  # what it had written before dying
    marker = search_index_dir / "default" / "building"
    data = json.loads(marker.read_text())
    data["pid"] = pid
    data["process_start"] = process_start(pid)
    if started is not None:
        data["started"] = started
    marker.write_text(json.dumps(data))
    return data["generation"], live_index


def test_live_writes_ignore_a_dead_rebuild(search_index_dir):
    """A marker whose process is gone is stale: saves reach the live generation
    only, and nothing waits on or writes to the dead rebuild's generation."""
    from search.backends.whoosh.markers import read_marker

    call_command("update_index", verbosity=0)
    generation, live_index = _crashed_rebuild(search_index_dir, pid=_dead_pid())
    assert read_marker(search_index_dir / "default").is_stale()
    assert live_index.building() is None

    TopicPageFactory(title="Assainissement liquide")
    assert found("assainissement") == ["Assainissement liquide"]
    dead = WhooshIndex(get_search_backend("default"), "default", generation=generation)
    with dead.searcher() as searcher:
        assert searcher.doc_count() == 0
    journal = search_index_dir / "default" / f".journal-{generation}"
    assert not list(journal.glob("*.pickle"))


def test_update_index_cleans_up_a_dead_rebuild(search_index_dir):
    """update_index removes the dead rebuild's marker, journal and half-built
    generation, then rebuilds and swaps as usual."""
    TopicPageFactory(title="Gestion des déchets")
    call_command("update_index", verbosity=0)
    generation, _ = _crashed_rebuild(search_index_dir, pid=_dead_pid())
    root = search_index_dir / "default"
    assert (root / generation).exists()

    call_command("update_index", verbosity=0)
    assert not (root / generation).exists()
    assert not (root / f".journal-{generation}").exists()
    assert not (root / "building").exists()
    assert found("déchets") == ["Gestion des déchets"]
    assert sorted(p.name for p in root.iterdir() if p.name.startswith("gen-")) == [(root / "current").readlink().name]


def test_an_old_marker_is_stale_even_if_its_pid_lives(search_index_dir, settings):
    """A marker older than SEARCH_REBUILD_MAX_AGE is stale whoever owns it (its
    owner may run on another host, or the pid was reused)."""
    import os
    import time

    from search.backends.whoosh.markers import read_marker

    call_command("update_index", verbosity=0)
    settings.SEARCH_REBUILD_MAX_AGE = 3600
    _crashed_rebuild(search_index_dir, pid=os.getppid(), started=time.time() - 7200)
    assert read_marker(search_index_dir / "default").is_stale()
    settings.SEARCH_REBUILD_MAX_AGE = 3 * 3600
    assert not read_marker(search_index_dir / "default").is_stale()


def test_a_running_rebuild_is_not_stale_and_blocks_a_second_one(search_index_dir):
    """The marker of a live process (here a sleeping child) is honoured: live writes
    go to its journal and a second update_index refuses to start beside it."""
    import subprocess
    import sys

    from search.backends.whoosh import RebuildInProgress
    from search.backends.whoosh.markers import read_marker

    call_command("update_index", verbosity=0)
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        generation, live_index = _crashed_rebuild(search_index_dir, pid=child.pid)
        marker = read_marker(search_index_dir / "default")
        assert not marker.is_stale()
        assert live_index.building() is not None

        TopicPageFactory(title="Routes rurales")
        journal = search_index_dir / "default" / f".journal-{generation}"
        assert list(journal.glob("*.pickle"))  # kept for the rebuild to replay
        assert found("routes") == ["Routes rurales"]
        with pytest.raises(RebuildInProgress):
            call_command("update_index", verbosity=0)
    finally:
        child.kill()
        child.wait()
    assert read_marker(search_index_dir / "default").is_stale()
    call_command("update_index", verbosity=0)
    assert found("routes") == ["Routes rurales"]
