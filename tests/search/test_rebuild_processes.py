"""A rebuild in one process and live writes in another (the task worker during
``update_index``): the writes made during the rebuild are in the index after the
swap, through the journal, with no lock error on either side."""

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from search.backends.whoosh import WhooshSearchBackend
from tests.search.testapp.models import RelevanceDoc

# The rebuilding process: builds a new generation of the index at argv[1],
# says "building", waits for a line on stdin, then finishes (replay + swap).
REBUILDER = textwrap.dedent(
    """
    import os, sys
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.test"
    import django
    django.setup()
    from search.backends.whoosh import WhooshSearchBackend
    from tests.search.testapp.models import RelevanceDoc

    backend = WhooshSearchBackend({"PATH": sys.argv[1]})
    live = backend.get_index_for_model(RelevanceDoc)
    rebuilder = backend.rebuilder_class(live)
    index = rebuilder.start()
    index.add_model(RelevanceDoc)
    docs = [RelevanceDoc(pk=i, key=f"k{i}", title=f"atelier {i}", body="budget communal", language="fr")
            for i in range(1, 41)]
    index.add_items(RelevanceDoc, docs)
    print("building", flush=True)
    sys.stdin.readline()
    rebuilder.finish()
    print("done", flush=True)
    """
)


def _pks(index) -> set[str]:
    with index.searcher() as searcher:
        return {fields["pk"] for fields in searcher.all_stored_fields()}


@pytest.mark.django_db
def test_live_writes_in_another_process_survive_the_swap(tmp_path):
    """Saved and deleted during another process's rebuild: the save is in the
    swapped index, the deletion too (the rebuild had written that record)."""
    path = str(tmp_path / "index")
    backend = WhooshSearchBackend({"PATH": path})
    live = backend.get_index_for_model(RelevanceDoc)
    live.add_model(RelevanceDoc)
    live.add_items(RelevanceDoc, [RelevanceDoc(pk=1, key="k1", title="atelier 1", body="", language="fr")])
    root = Path(__file__).resolve().parents[2]
    child = subprocess.Popen(
        [sys.executable, "-c", REBUILDER, path],
        cwd=root,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert child.stdout.readline().strip() == "building", child.stderr.read()
        assert live.building() is not None  # the child's marker is honoured
        during = RelevanceDoc(pk=500, key="k500", title="pendant la reconstruction", body="", language="fr")
        live.add_items(RelevanceDoc, [during])
        live.delete_item(RelevanceDoc(pk=7, key="k7"))
        assert "500" in _pks(live)  # visible at once in the live generation
        child.stdin.write("go\n")
        child.stdin.flush()
        assert child.stdout.readline().strip() == "done", child.stderr.read()
        assert child.wait(timeout=60) == 0
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
    pks = _pks(backend.get_index_for_model(RelevanceDoc))
    assert "500" in pks and "7" not in pks
    assert {str(i) for i in range(1, 41) if i != 7} <= pks
    assert live.building() is None
