"""Arrays read from a Whoosh index for the vectorised scorer, cached per process.

- a posting list is read block by block into arrays (document numbers and term
  frequencies), once per segment and term, and kept in a byte-bounded cache
  (``SEARCH_CACHE_MB``);
- the per-document field lengths (one byte per document, Whoosh's lossy
  encoding) are read into an array once per segment and field;
- a sortable column becomes each document's rank in its order.

Keys include Whoosh's random segment names, so a commit never serves stale
arrays. What is read below whoosh3's public API goes through :mod:`.internals`.
"""

from __future__ import annotations

import threading
from collections import OrderedDict

import numpy as np
from django.conf import settings
from whoosh.util.numeric import byte_to_length, length_to_byte

from search.backends.whoosh import internals

#: Array of Whoosh's encoded field-length byte -> length.
_LENGTHS = np.array([byte_to_length(i) for i in range(256)], dtype=np.float64)
#: Bytes of posting and length arrays kept per process (``SEARCH_CACHE_MB``).
DEFAULT_CACHE_MB = 96


class _ByteCache:
    """A least-recently-used cache bounded by the bytes of the arrays it holds."""

    def __init__(self):
        self._items: OrderedDict = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    @staticmethod
    def budget() -> int:
        return int(getattr(settings, "SEARCH_CACHE_MB", DEFAULT_CACHE_MB) * 1024 * 1024)

    def get(self, key):
        with self._lock:
            value = self._items.get(key)
            if value is not None:
                self._items.move_to_end(key)
            return value

    def put(self, key, value, nbytes: int):
        budget = self.budget()
        if nbytes > budget:
            return
        with self._lock:
            if key in self._items:
                return
            self._items[key] = (value, nbytes)
            self._bytes += nbytes
            while self._bytes > budget and self._items:
                _, (_, size) = self._items.popitem(last=False)
                self._bytes -= size

    def clear(self):
        with self._lock:
            self._items.clear()
            self._bytes = 0


_cache = _ByteCache()
_EMPTY_IDS = np.zeros(0, dtype=np.int64)
_EMPTY_TF = np.zeros(0, dtype=np.float64)


def clear_cache() -> None:
    """Forget every cached array (tests; nothing else needs it: keys include the segments)."""
    _cache.clear()


def _segment_key(leaf) -> tuple:
    # Whoosh names each segment with 16 random characters and never rewrites
    # a segment's postings (deletions are applied from the deleted set).
    segment = leaf.segment()
    return (segment.segment_id(), leaf.doc_count_all()) if segment is not None else (id(leaf), 0)


def _read_matcher(matcher) -> tuple[np.ndarray, np.ndarray]:
    """Document numbers and weights of a leaf matcher.

    Whoosh's block postings store each block as delta-encoded ids and an array
    of weights; they are decoded here a block at a time, which is what makes
    reading a long posting list cheap. Other matchers (inlined single postings)
    are walked one posting at a time."""
    blocks = internals.block_postings(matcher)
    if blocks is not None:
        id_parts, weight_parts = [], []
        for deltas, weights, count in blocks:
            id_parts.append(np.cumsum(np.asarray(deltas, dtype=np.int64)))
            if weights is None:
                weight_parts.append(np.ones(count, dtype=np.float64))
            elif isinstance(weights, float):
                weight_parts.append(np.full(count, weights, dtype=np.float64))
            else:
                weight_parts.append(np.asarray(weights, dtype=np.float64))
        if not id_parts:
            return _EMPTY_IDS, _EMPTY_TF
        return np.concatenate(id_parts), np.concatenate(weight_parts)
    ids, weights = [], []
    while matcher.is_active():
        ids.append(matcher.id())
        weights.append(matcher.weight())
        matcher.next()
    return np.asarray(ids, dtype=np.int64), np.asarray(weights, dtype=np.float64)


def postings(leaf, fieldname: str, btext: bytes) -> tuple[np.ndarray, np.ndarray]:
    """(document numbers, term frequencies) of a term in one segment, deleted
    documents included (callers mask them), cached per segment."""
    key = ("p", _segment_key(leaf), fieldname, btext)
    cached = _cache.get(key)
    if cached is not None:
        return cached[0]
    if (fieldname, btext) not in leaf:
        value = (_EMPTY_IDS, _EMPTY_TF)
    else:
        matcher = leaf.postings(fieldname, btext)
        # The reader wraps the matcher to skip deleted documents one by one;
        # the arrays are masked with the deletions instead.
        matcher = internals.without_deletion_filter(matcher)
        ids, weights = _read_matcher(matcher)
        value = (ids.astype(np.int32), weights.astype(np.float32))
    _cache.put(key, value, value[0].nbytes + value[1].nbytes + 200)
    return value


def field_lengths(leaf, fieldname: str) -> np.ndarray:
    """Each document's length in ``fieldname`` for one segment, as Whoosh's
    scorer sees it (decoded from the one-byte stored length)."""
    key = ("l", _segment_key(leaf), fieldname)
    cached = _cache.get(key)
    if cached is not None:
        return cached[0]
    count = leaf.doc_count_all()
    codes = _length_bytes(leaf, fieldname, count)
    value = _LENGTHS[codes].astype(np.float32)
    _cache.put(key, value, value.nbytes + 200)
    return value


def _length_bytes(leaf, fieldname: str, count: int) -> np.ndarray:
    codes = internals.length_codes(leaf, fieldname, count)
    if codes is not None:
        return codes
    # Another codec: ask the reader for each document (slower, same values).
    return np.array(
        [length_to_byte(leaf.doc_field_length(doc, fieldname, 0) or 0) for doc in range(count)], dtype=np.uint8
    )


def deleted_mask(leaf, count: int) -> np.ndarray | None:
    if not leaf.has_deletions():
        return None
    mask = np.zeros(count, dtype=bool)
    if hasattr(leaf, "deleted_docs_set"):
        deleted = np.fromiter(leaf.deleted_docs_set, dtype=np.int64)
    else:
        deleted = np.fromiter((doc for doc in range(count) if leaf.is_deleted(doc)), dtype=np.int64)
    mask[deleted[deleted < count]] = True
    return mask


def column_ranks(searcher, fieldname: str) -> np.ndarray | None:
    """Each document's rank in the order of ``fieldname``'s sortable column, over
    the whole index (equal values, equal ranks), or ``None`` if it has no column.

    Whoosh sorts on the same raw column values, documents without a value
    taking the column's default, so ranks order documents as it does."""
    schema = searcher.schema
    if fieldname not in schema or not schema[fieldname].column_type:
        return None
    key = ("r", state_key(searcher), fieldname)
    cached = _cache.get(key)
    if cached is not None:
        return cached[0]
    values = []
    for leaf, _ in searcher.reader().leaf_readers():
        reader = leaf.column_reader(fieldname, translate=False)
        values.extend(reader[doc] for doc in range(leaf.doc_count_all()))
    if not values:
        return np.zeros(0, dtype=np.int64)
    array = np.empty(len(values), dtype=object)
    array[:] = values
    _, ranks = np.unique(array, return_inverse=True)
    ranks = ranks.astype(np.int64)
    _cache.put(key, ranks, ranks.nbytes + 200)
    return ranks


def docs_mask(docs, size: int) -> np.ndarray:
    """A boolean array of ``size`` with the document numbers of ``docs`` set."""
    mask = np.zeros(size, dtype=bool)
    if docs is None:
        mask[:] = True
        return mask
    ids = np.fromiter(iter(docs), dtype=np.int64)
    mask[ids[ids < size]] = True
    return mask


def state_key(searcher) -> tuple:
    """Identifies what a searcher sees: its segments and their deletions."""
    return tuple(
        (_segment_key(leaf), leaf.doc_count_all() - leaf.doc_count()) for leaf, _ in searcher.reader().leaf_readers()
    )
