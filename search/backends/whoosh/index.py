"""One Whoosh index: a directory of generations with a ``current`` symlink.

``PATH/<index>/current`` points at the live generation. A rebuild
(:mod:`.rebuild`) fills a new generation beside it and swaps the link (atomic
on POSIX): searches keep answering from the old one meanwhile, and live writes
made during the rebuild go to the live generation and to the rebuild's
journal (:mod:`.markers`), replayed before the swap.

Only one process may write to a Whoosh index: saves reach :meth:`WhooshIndex.add_items`
through modelsearch's own task, run by the task worker; deletions are queued by
the app (see :mod:`.backend`). Web requests only read.
"""

from __future__ import annotations

import logging
import os
import shutil
import threading
import uuid
from contextlib import contextmanager
from pathlib import Path

from django.utils import timezone
from modelsearch.backends.base import BaseIndex
from whoosh import index as windex
from whoosh.filedb.filestore import FileStorage

from search.backends.whoosh.mapping import Mapping, full_schema
from search.backends.whoosh.markers import Journal, read_marker
from search.backends.whoosh.writing import BatchWriter, add_documents, open_writer

logger = logging.getLogger(__name__)

CURRENT = "current"


class IndexUnavailable(Exception):
    """The index is missing or cannot be read; searches answer empty meanwhile."""


class WhooshIndex(BaseIndex):
    """One Whoosh index. ``current`` points at the live generation; a rebuild
    writes a new generation beside it and swaps the link (atomic on POSIX)."""

    _open_lock = threading.Lock()
    _open: dict[str, windex.Index] = {}

    def __init__(self, backend, name: str, generation: str | None = None):
        super().__init__(backend)
        self.name = name
        self.root = Path(backend.path) / name
        self.generation = generation
        self._batch: BatchWriter | None = None

    def get_key(self):
        return self.name

    def __str__(self):
        return self.name

    # -- locations --

    def _link(self) -> Path:
        return self.root / CURRENT

    def generation_dir(self) -> Path | None:
        """The folder of this index's generation (the live one unless given), or None."""
        if self.generation:
            return self.root / self.generation
        link = self._link()
        if not link.is_symlink() and not link.exists():
            return None
        return self.root / os.readlink(link) if link.is_symlink() else link

    def exists(self) -> bool:
        path = self.generation_dir()
        return bool(path and path.exists() and windex.exists_in(str(path)))

    def create_generation(self) -> str:
        """A new, empty generation folder with the project's schema; returns its name."""
        self.root.mkdir(parents=True, exist_ok=True)
        generation = "gen-" + timezone.now().strftime("%Y%m%d%H%M%S") + "-" + uuid.uuid4().hex[:8]
        path = self.root / generation
        path.mkdir()
        FileStorage(str(path)).create_index(full_schema())
        return generation

    def swap(self, generation: str) -> None:
        """Make ``generation`` the live one and remove the others (but a rebuild's)."""
        tmp_link = self.root / f".{CURRENT}-{uuid.uuid4().hex[:8]}"
        os.symlink(generation, tmp_link)
        os.replace(tmp_link, self._link())
        for entry in self.root.iterdir():
            if entry.name.startswith("gen-") and entry.name not in {generation, self._building_name()}:
                shutil.rmtree(entry, ignore_errors=True)

    def _building_name(self) -> str:
        marker = read_marker(self.root)
        return marker.generation if marker else ""

    # -- reading --

    def open(self) -> windex.Index:
        """The live index (cached per process, reopened after a swap)."""
        path = self.generation_dir()
        if path is None or not path.exists():
            raise IndexUnavailable(f"The search index {self.name!r} does not exist at {self.root}.")
        key = str(path)
        with self._open_lock:
            ix = self._open.get(key)
            if ix is None:
                try:
                    ix = FileStorage(key).open_index()
                except Exception as exc:
                    raise IndexUnavailable(f"The search index {self.name!r} cannot be opened: {exc}") from exc
                self._open[key] = ix
        return ix

    def searcher(self):
        """A new searcher on the live index; the caller closes it."""
        try:
            return self.open().searcher()
        except IndexUnavailable:
            raise
        except Exception as exc:
            raise IndexUnavailable(f"The search index {self.name!r} cannot be read: {exc}") from exc

    @contextmanager
    def reading(self):
        """A searcher on the live index, kept open by this thread between uses.

        Opening a searcher reads the table of contents and opens every segment's
        files (about 10 ms, more than a whole query on a warm index). The kept
        searcher is reused while the index is unchanged and replaced after a
        commit or a rebuild's swap."""
        path = self.generation_dir()
        slot = (str(self.root), str(path))
        kept = getattr(_thread_searchers, "by_root", None)
        if kept is None:
            kept = _thread_searchers.by_root = {}
        entry = kept.pop(str(self.root), None)
        searcher = None
        if entry is not None:
            old_slot, old = entry
            if old_slot == slot and not old.is_closed:
                try:
                    # Not Whoosh's refresh(): the segment readers it reuses keep
                    # their old deleted-documents set, so updated documents
                    # would match twice.
                    if old.up_to_date():
                        searcher = old
                except Exception:
                    searcher = None
            if searcher is None:
                _close_quietly(old)
        if searcher is None:
            searcher = self.searcher()
        try:
            yield searcher
        except BaseException:
            # A read that failed may have met a damaged file: do not keep it.
            _close_quietly(searcher)
            raise
        kept[str(self.root)] = (slot, searcher)

    # -- writing (task worker or management command only) --

    def open_for_writing(self) -> windex.Index:
        """The index to write to, created (empty) if there is none yet."""
        if not self.exists():
            if self.generation:
                raise IndexUnavailable(f"Generation {self.generation} vanished.")
            self.swap(self.create_generation())
        return self.open()

    def add_model(self, model):
        if self._batch is not None:
            self._batch.commit()  # the schema change needs the write lock
        ix = self.open_for_writing()
        schema = ix.schema  # each read of ix.schema reads the table of contents from disk
        missing = {n: f for n, f in Mapping(model).schema_fields().items() if n not in schema}
        if missing:
            writer = open_writer(ix)
            for name, field in missing.items():
                writer.add_field(name, field)
            writer.commit()
            self._forget(ix)

    @classmethod
    def forget_open(cls) -> None:
        """Drop the indexes and this thread's searchers kept open, as in a freshly
        started process (tests that damage index files in place)."""
        with cls._open_lock:
            cls._open.clear()
        _thread_searchers.by_root = {}

    def _forget(self, ix):
        with self._open_lock:
            for key, cached in list(self._open.items()):
                if cached is ix:
                    del self._open[key]

    def building(self) -> WhooshIndex | None:
        """The generation a live rebuild is filling, if any: live writes go there
        too, so a page saved during a rebuild is not lost at the swap. A marker left
        by a rebuild that died is ignored (see :class:`RebuildMarker`)."""
        if self.generation:
            return None
        marker = read_marker(self.root)
        if marker is None or marker.is_stale():
            return None
        generation = marker.generation
        if not generation or not (self.root / generation).exists():
            return None
        return WhooshIndex(self.backend, self.name, generation=generation)

    def clean_stale_rebuild(self) -> bool:
        """Delete a dead rebuild's marker and half-built generation; True if there was one."""
        marker = read_marker(self.root)
        if marker is None or not marker.is_stale():
            return False
        logger.warning("Removing the search index rebuild left by %s", marker.describe())
        current = self.generation_dir()
        if marker.generation and (current is None or current.name != marker.generation):
            shutil.rmtree(self.root / marker.generation, ignore_errors=True)
            Journal(self.root, marker.generation).remove()
        marker.remove(self.root)
        return True

    def add_items(self, model, items):
        items = list(items)
        if not items:
            return
        mappings: dict[type, Mapping] = {}
        documents = []
        for item in items:
            mapping = mappings.get(type(item))
            if mapping is None:
                mapping = mappings[type(item)] = Mapping(type(item))
            documents.append(mapping.document(item))
        building = self.building()
        if building is not None:
            building.receive_live(("add", documents))
        # After the rebuild's share: if the rebuild swapped meanwhile, ``current``
        # is the new generation and this write lands there.
        self.write_documents(documents)

    def receive_live(self, entry) -> None:
        """A live write for the generation a rebuild is filling, kept in the
        rebuild's journal (replayed before the swap, so the rebuild's writer need
        not be waited for). Once the rebuild has swapped, the journal is closed
        and the write reaches the new generation as ``current``."""
        Journal(self.root, self.generation).append(entry)

    def apply(self, entry) -> None:
        """Write one journal entry (``("add", documents)`` or ``("delete", key)``)."""
        action, payload = entry
        if action == "add":
            self.write_documents(payload)
        elif action == "delete":
            self._delete(self.open(), payload)

    def write_documents(self, documents: list[dict]) -> None:
        """Add or replace mapped documents: through the batch writer during a
        rebuild, else with a writer and a commit of their own."""
        if self._batch is not None:
            self._batch.write(documents)
            return
        writer = open_writer(self.open_for_writing())
        try:
            add_documents(writer, documents)
        except Exception:
            writer.cancel()
            raise
        writer.commit()

    # -- batch writing (a rebuild's new generation) --

    def start_batch(self) -> None:
        """Hold one writer across :meth:`add_items` calls (see :class:`BatchWriter`)."""
        self._batch = BatchWriter(self)

    def finish_batch(self) -> None:
        """Commit what the batch writer holds (one segment) and return to a writer per call."""
        batch, self._batch = self._batch, None
        if batch is not None:
            batch.commit()

    def delete_item(self, item):
        self.delete_key(Mapping(type(item)).document_key(item))

    def delete_key(self, key: str) -> None:
        """Remove the document ``key`` (``<model>:<pk>``), from a running rebuild's generation too."""
        building = self.building()
        if building is not None:
            building.receive_live(("delete", key))
        if self.exists():
            self._delete(self.open(), key)

    @staticmethod
    def _delete(ix, key: str) -> None:
        writer = open_writer(ix)
        writer.delete_by_term("key", key)
        writer.commit()

    def refresh(self):
        # Whoosh makes a commit visible to the next searcher; nothing to do.
        pass

    def reset(self):
        self.swap(self.create_generation())


_thread_searchers = threading.local()


def _close_quietly(searcher) -> None:
    try:
        searcher.close()
    except Exception:
        logger.debug("Closing a kept searcher failed", exc_info=True)
