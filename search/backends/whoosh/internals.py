"""The seam: every use of whoosh3's internals, and nothing else.

The backend reads and writes Whoosh's own index files, faster than Whoosh's own
code does it, by reaching below whoosh3's public API in a few places. Those
places are all here, under names that say what they do, so that the rest of the
package uses public names only (``tests/search/backends/test_seam.py`` checks
it) and a whoosh3 upgrade (pinned ``<3.55``) has one file to read. What each
function gives is compared with Whoosh's own answer by the equality tests:
``tests/search/test_scoring.py`` (postings, lengths, BM25F, filters: the same
hits, scores and order as Whoosh's collector) and
``tests/search/backends/test_segments.py`` (the same terms, postings, block
statistics, lengths and columns as Whoosh's ``SegmentWriter``).

Reading (the vectorised scorer):

- :func:`filter_documents`: the document numbers a filter query allows
  (``Searcher._filter_to_comb``);
- :func:`block_postings`: a posting list a block at a time, as Whoosh stores it
  (``W3LeafMatcher._read_data``, ``_data``, ``_blocklength``, ``_next_block``);
- :func:`without_deletion_filter`: the matcher under the reader's filter of
  deleted documents (``FilterMatcher.child``);
- :func:`length_codes`: a segment's one-byte field lengths as one read
  (``W3PerDocReader._cached_reader`` of the lengths column, its ``_dbfile``);
- :func:`bm25_parameters`: BM25F's ``K1`` and per-field ``B`` (``BM25F._field_B``).

Writing (the rebuild's segment writer):

- :class:`HookedSegmentWriter`: ``SegmentWriter`` with the steps a subclass
  replaces under public names (``_check_state``, ``_check_fields``, ``_added``,
  ``_tempstorage``, ``_flush_segment``, ``_close_segment``, the pool's buffers);
- :class:`BlockPostingsWriter` and :func:`install_block_writer`: whoosh3's block
  writer, filled a block at a time (``W3FieldWriter._postwriter``, the block
  buffer ``_ids``/``_weights``/``_values``, its statistics, ``_write_block``).
"""

from __future__ import annotations

import heapq
import operator
from itertools import chain

import numpy as np
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, W3FieldWriter, W3PostingsWriter, _lenfield
from whoosh.writing import SegmentWriter

# --- Reading ------------------------------------------------------------------------------


def filter_documents(searcher, filter_query):
    """The set of document numbers ``filter_query`` allows, as Whoosh's own
    ``search(filter=...)`` computes it before collecting."""
    return searcher._filter_to_comb(filter_query)


def block_postings(matcher):
    """``(delta-encoded ids, weights, count)`` per block of a block matcher, or
    None when the matcher is not one (an inlined posting list, byte ids): then
    walk it with its public ``id()``/``weight()``/``next()``.

    ``weights`` is None (all 1.0), one float (all equal) or a sequence."""
    if not hasattr(matcher, "_read_data") or getattr(matcher, "_byteids", False):
        return None
    return _blocks(matcher)


def _blocks(matcher):
    while matcher.is_active():
        if matcher._data is None:
            matcher._read_data()
        yield matcher._data[0], matcher._data[1], matcher._blocklength
        matcher._next_block()


def without_deletion_filter(matcher):
    """The matcher under a reader's filter of deleted documents (callers mask
    deletions themselves), or the matcher itself."""
    if type(matcher).__name__ == "FilterMatcher":
        return getattr(matcher, "child", matcher)
    return matcher


def length_codes(leaf, fieldname: str, count: int) -> np.ndarray | None:
    """The one-byte length code of ``fieldname`` for each of the segment's
    ``count`` documents (0: no length), read at once from whoosh3's lengths
    column; None with another codec (ask ``doc_field_length`` per document)."""
    try:
        column = leaf._perdoc._cached_reader(_lenfield(fieldname), LENGTHS_COLUMN)
        codes = np.zeros(count, dtype=np.uint8)
        if column is None:
            return codes
        stored = min(column._count, count)
        if stored:
            codes[:stored] = np.frombuffer(column._dbfile.get(column._basepos, stored), dtype=np.uint8)
        return codes
    except AttributeError:
        return None


def bm25_parameters(weighting) -> tuple[float, float, dict[str, float]]:
    """``(K1, B, B per field)`` of a BM25F weighting; TypeError for another model."""
    if not all(hasattr(weighting, name) for name in ("K1", "B", "_field_B")):
        raise TypeError("The vectorised scorer implements BM25F only.")
    return weighting.K1, weighting.B, weighting._field_B


# --- Writing ------------------------------------------------------------------------------


class HookedSegmentWriter(SegmentWriter):
    """Whoosh's ``SegmentWriter`` with the steps a subclass needs under public names.

    A subclass that adds documents itself calls :meth:`check_document` first and
    :meth:`document_added` after; it replaces how postings reach the segment at
    commit with :meth:`write_postings` (Whoosh's path: :meth:`write_pool_postings`)
    and cleans up in :meth:`segment_closed`."""

    def temp_folder(self) -> str | None:
        """The folder of the writer's temporary files (None: the system's)."""
        return getattr(self._tempstorage, "folder", None)

    def check_document(self, fieldnames) -> None:
        """What ``add_document`` checks: the writer is open and the fields exist."""
        self._check_state()
        self._check_fields(self.schema, fieldnames)

    def document_added(self) -> None:
        """Count a document added by the subclass (the next gets the next number)."""
        self._added = True
        self.docnum += 1

    def pool_has_postings(self) -> bool:
        """True if Whoosh's own posting pool holds postings (merged segments,
        documents added through ``SegmentWriter.add_document``)."""
        return bool(self.pool.current or self.pool.runs)

    def write_pool_postings(self, extra=()) -> None:
        """Whoosh's own posting path: the pool's postings merged with ``extra``
        (sorted ``(field, term bytes, docnum, weight, value)`` tuples)."""
        self.perdocwriter.close()
        pdr = self.per_document_reader() if self.codec.length_stats else None
        postings = self.pool.iter_postings()
        if extra:
            postings = heapq.merge(extra, postings)
        self.fieldwriter.add_postings(self.schema, pdr, postings)
        self.fieldwriter.close()
        if pdr:
            pdr.close()

    def write_postings(self) -> None:
        """Write the segment's postings at commit (override; default: Whoosh's)."""
        self.write_pool_postings()

    def segment_closed(self) -> None:
        """Called once the segment's files are closed (override to clean up)."""

    def writes_w3_blocks(self) -> bool:
        """True if the codec is whoosh3's, whose block writer this package fills."""
        return isinstance(self.fieldwriter, W3FieldWriter)

    def _flush_segment(self):
        self.write_postings()

    def _close_segment(self):
        super()._close_segment()
        self.segment_closed()


def _delta_ids(ids) -> tuple:
    # numlists.delta_encode, in C: each id minus the previous one (the first minus 0).
    return tuple(map(operator.sub, ids, chain((0,), ids)))


class BlockPostingsWriter(W3PostingsWriter):
    """whoosh3's block writer, given a whole block at once (:meth:`set_block`)
    and its per-block reductions done by C loops; the bytes are the same."""

    @property
    def blocklimit(self) -> int:
        """Postings per block."""
        return self._blocklimit

    def set_block(self, ids, weights, maxweight, values, minlength, maxlength) -> None:
        """Set the block buffer and the statistics ``add_posting`` would have
        built from these postings one at a time."""
        self._ids = ids
        self._weights = weights
        self._maxweight = maxweight
        self._values = values
        self._minlength = minlength
        self._maxlength = maxlength

    def write_block(self) -> None:
        """Write the block set by :meth:`set_block` (not the term's last one)."""
        self._write_block()

    def _mini_ids(self):
        if self._byteids:
            return super()._mini_ids()
        return _delta_ids(self._ids)

    def _mini_weights(self):
        weights = self._weights
        count = len(weights)
        if weights.count(1.0) == count:
            return None
        if weights.count(weights[0]) == count:
            return weights[0]
        return tuple(weights)


def install_block_writer(fieldwriter) -> BlockPostingsWriter:
    """Replace the field writer's block writer (after ``start_field``) with a
    :class:`BlockPostingsWriter` on the same file and settings."""
    plain = fieldwriter._postwriter
    writer = fieldwriter._postwriter = BlockPostingsWriter(
        plain._postfile, plain._blocklimit, plain._byteids, plain._compression, plain._inlinelimit
    )
    return writer
