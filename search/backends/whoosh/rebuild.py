"""Rebuilds (``manage.py update_index``): a new generation built aside, then swapped in.

The rebuild holds one writer for all its chunks (:class:`.writing.BatchWriter`);
saves and deletions made meanwhile reach the live generation and the rebuild's
journal, which is replayed before the swap under the journal's lock, so none
falls between the replay and the swap. A rebuild that died leaves a stale
marker (:class:`.markers.RebuildMarker`), cleaned up by the next one.
"""

from __future__ import annotations

from search.backends.whoosh.index import WhooshIndex
from search.backends.whoosh.markers import Journal, RebuildMarker, read_marker


class RebuildInProgress(RuntimeError):
    """Another live process is rebuilding this index."""


class WhooshIndexRebuilder:
    """Builds a new generation aside, then swaps it in: searches keep answering
    from the old generation until the new one is complete.

    ``start()`` first removes what a dead rebuild left (its marker and half-built
    generation) and refuses to start beside a rebuild that is still running."""

    def __init__(self, index: WhooshIndex):
        self.index = index
        self.new_index = None
        self.journal = None
        self.marker = None

    def start(self):
        self.index.root.mkdir(parents=True, exist_ok=True)
        self.index.clean_stale_rebuild()
        running = read_marker(self.index.root)
        if running is not None and not running.owned_by_this_process():
            raise RebuildInProgress(f"The search index {self.index.name!r} is being rebuilt: {running.describe()}.")
        generation = self.index.create_generation()
        self.new_index = WhooshIndex(self.index.backend, self.index.name, generation=generation)
        self.new_index.start_batch()
        self.journal = Journal(self.index.root, generation)
        self.journal.create()
        self.marker = RebuildMarker.for_this_process(generation)
        self.marker.write(self.index.root)
        return self.new_index

    def finish(self):
        self.new_index.finish_batch()
        # Replay the live writes made during the rebuild (they are newer than the
        # chunks it read), then swap, all under the journal's lock so no live
        # write falls between the replay and the swap.
        with self.journal.locked():
            for entry in self.journal.entries():
                self.new_index.apply(entry)
            self.index.swap(self.new_index.generation)
            self.journal.close()
            self.marker.remove(self.index.root)
        self.journal.remove()
