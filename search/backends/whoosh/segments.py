"""A Whoosh segment writer that gathers postings per term instead of per posting.

Whoosh's ``SegmentWriter`` turns every posting (about 165 per benchmark record)
into a tuple in a pool, sorts the whole pool at commit, then writes the postings
one call at a time, reading each posting's field length back from the length
column it has just written. That pure-Python path was most of a rebuild's time.

:class:`PostingListWriter` keeps one posting list per term instead
(:class:`.posting_lists.PostingLists`). Documents arrive in document number
order, so each list is already sorted: only the terms are sorted at commit, and
each list's blocks go to whoosh3's own block writer
(:class:`.internals.BlockPostingsWriter`) with the block statistics computed
over the whole block at once, from field lengths kept in memory.

A reader sees what ``SegmentWriter`` writes for the same documents: every term,
its statistics, postings, weights, values, stored fields, lengths and columns
(tests/search/backends/test_segments.py compares them all), so readers, merges
and scoring are unchanged. The postings file itself is not byte for byte the
same: a position shared by many postings is pickled once. Everything else is
Whoosh's: stored fields, columns and lengths go through the codec's
per-document writer; documents with ``_boost``/``_stored_`` arguments or fields
with vectors or spelling go through ``SegmentWriter.add_document``; when a
commit merges older segments (their postings come through Whoosh's pool), the
lists are merged into the pool's stream and written by Whoosh's own posting path.
Everything this needs below whoosh3's public API is in :mod:`.internals`.
"""

from __future__ import annotations

from array import array
from collections import Counter

from whoosh import fields as wfields
from whoosh import formats
from whoosh.analysis import IDTokenizer
from whoosh.util.numeric import byte_to_length, length_to_byte

from search.backends.whoosh.internals import HookedSegmentWriter, install_block_writer
from search.backends.whoosh.posting_lists import FREQUENCY, LITTLE_ENDIAN, OTHER, PostingLists, unpack

_STR = frozenset([str])
#: String values whose postings a writer keeps (cleared when full).
_ANALYSED_KEEP = 4096


class PostingListWriter(HookedSegmentWriter):
    """A ``SegmentWriter`` whose postings are gathered per term (see the module
    docstring). Use it as Whoosh's own writer: ``PostingListWriter(ix, timeout=...,
    limitmb=...)``, ``add_document``/``update_document``, ``commit``/``cancel``."""

    def __init__(self, ix, **kwargs):
        super().__init__(ix, **kwargs)
        # The block writing below relies on whoosh3's codec; any other codec
        # gets SegmentWriter unchanged.
        self.direct = self.writes_w3_blocks()
        self.lists = PostingLists(self.pool.limit, self.temp_folder())
        #: Length bytes per field, by document number (what the length column holds).
        self.length_bytes: dict[str, bytearray] = {}
        self._plain: dict[str, bool] = {}
        self._analysed: dict[tuple[str, str], list] = {}

    # -- schema changes invalidate the per-field cache --

    def add_field(self, fieldname, fieldspec, **kwargs):
        super().add_field(fieldname, fieldspec, **kwargs)
        self._plain.clear()
        self._analysed.clear()

    def remove_field(self, fieldname, **kwargs):
        super().remove_field(fieldname, **kwargs)
        self._plain.clear()
        self._analysed.clear()

    def _is_plain(self, fieldname: str) -> bool:
        """True if the field needs nothing but postings, stored value and column."""
        plain = self._plain.get(fieldname)
        if plain is None:
            field = self.schema[fieldname]
            plain = self._plain[fieldname] = not field.vector and not field.separate_spelling()
        return plain

    # -- adding documents --

    def update_document(self, **fields):
        # Nothing committed to replace (a rebuild's new generation): skip the
        # unique-term search Whoosh runs per document.
        if any(segment.doc_count_all() for segment in self.segments):
            super().update_document(**fields)
        else:
            self.add_document(**fields)

    def add_document(self, **fields):
        if not self.direct:
            return super().add_document(**fields)
        fieldnames = sorted(fields)
        if any(name.startswith("_") for name in fieldnames):
            return super().add_document(**fields)
        self.check_document(fieldnames)
        if not all(self._is_plain(name) for name in fieldnames):
            return super().add_document(**fields)
        self._add_plain_document(fields, fieldnames)

    def _add_plain_document(self, fields: dict, fieldnames: list[str]) -> None:
        schema = self.schema
        docnum = self.docnum
        perdocwriter = self.perdocwriter
        keep_lengths = self.codec.length_stats
        pending = []
        perdocwriter.start_doc(docnum)
        try:
            for fieldname in fieldnames:
                value = fields[fieldname]
                if value is None:
                    continue
                field = schema[fieldname]
                length = 0
                if field.indexed:
                    length = self._postings(fieldname, field, value, pending)
                    if not field.scorable:
                        length = 0
                    if length and keep_lengths:
                        self._keep_length(fieldname, docnum, length)
                perdocwriter.add_field(fieldname, field, value if field.stored else None, length)
                column = field.column_type
                if column:
                    perdocwriter.add_column_value(fieldname, column, field.to_column_value(value))
        except ValueError:
            perdocwriter.cancel_doc()
            for lengths in self.length_bytes.values():
                if len(lengths) > docnum:
                    lengths[docnum] = 0
            raise
        perdocwriter.finish_doc()
        # Only a document that went through whole reaches the lists.
        lists = self.lists
        for how, fieldname, fmt, data in pending:
            how(lists, fieldname, fmt, docnum, data)
        self.document_added()

    def _keep_length(self, fieldname: str, docnum: int, length: int) -> None:
        """Record a field's length byte for the block statistics written at commit."""
        lengths = self.length_bytes.get(fieldname)
        if lengths is None:
            lengths = self.length_bytes[fieldname] = bytearray()
        if len(lengths) <= docnum:
            lengths.extend(bytes(docnum + 1 - len(lengths)))
        lengths[docnum] = length_to_byte(length)

    def _postings(self, fieldname, field, value, pending) -> int:
        """Queue one field's postings; returns the field length (tokens)."""
        fmt = field.format
        # Fields that index through FieldType.index (TEXT, ID, KEYWORD; not
        # NUMERIC, DATETIME or BOOLEAN, which encode their values themselves).
        plain_index = type(field).index is wfields.FieldType.index
        if type(value) is list and plain_index:
            # Already analysed terms (a list bypasses the analyzer, see
            # IndexWriter.add_document): counted here once per term.
            kind = type(fmt)
            if kind is formats.Frequency and _STR.issuperset(map(type, value)):
                pending.append((PostingLists.add_counts, fieldname, fmt, Counter(value)))
                return len(value)
            if kind is formats.Positions and _STR.issuperset(map(type, value)):
                positions: dict[str, list[int]] = {}
                for pos, term in enumerate(value):
                    found = positions.get(term)
                    if found is None:
                        positions[term] = [pos]
                    else:
                        found.append(pos)
                pending.append((PostingLists.add_positions, fieldname, fmt, positions))
                return len(value)
        if (
            plain_index
            and type(value) is str
            and type(fmt) is formats.Existence
            and type(field.analyzer) is IDTokenizer
        ):
            # An ID field (keys, primary keys): the whole value is the one term.
            items = [(value.encode("utf-8"), 1, fmt.field_boost, b"")]
        elif type(value) is str:
            # Keywords repeat across documents (content types, languages, flags):
            # their analysis is kept for the writer's life, a few thousand at most.
            key = (fieldname, value)
            items = self._analysed.get(key)
            if items is None:
                if len(self._analysed) >= _ANALYSED_KEEP:
                    self._analysed.clear()
                items = self._analysed[key] = list(field.index(value))
        else:
            items = list(field.index(value))
        pending.append((PostingLists.add_postings, fieldname, fmt, items))
        return sum(item[1] for item in items)

    # -- commit --

    def write_postings(self):
        if not self.pool_has_postings():
            self.perdocwriter.close()
            self._write_lists()
            self.fieldwriter.close()
            return
        # Whoosh's pool holds postings too (merged segments, or documents that
        # went through SegmentWriter.add_document): one sorted stream of both
        # through Whoosh's own posting path.
        self.write_pool_postings(self.lists.iter_postings())

    def _write_lists(self) -> None:
        fieldwriter = self.fieldwriter
        schema = self.schema
        kinds = self.lists.kinds
        length_bytes = self.length_bytes if self.codec.length_stats else {}
        current = None
        postwriter = lengths = None
        blocklimit = 0
        kind, boost = OTHER, 1.0
        for fieldname, tbytes, packed, weights, values in self.lists.items():
            if fieldname != current:
                if current is not None:
                    fieldwriter.finish_field()
                fieldwriter.start_field(fieldname, schema[fieldname])
                current = fieldname
                postwriter = install_block_writer(fieldwriter)
                blocklimit = postwriter.blocklimit
                kind, boost = kinds[fieldname]
                lengths = length_bytes.get(fieldname)
                if lengths is not None and len(lengths) < self.docnum:
                    lengths.extend(bytes(self.docnum - len(lengths)))
            fieldwriter.start_term(tbytes)
            docs, freqs = unpack(packed)
            count = len(docs)
            for start in range(0, count, blocklimit):
                end = start + blocklimit
                self._fill_block(
                    postwriter,
                    docs[start:end],
                    freqs[start:end],
                    None if weights is None else weights[start:end],
                    None if values is None else values[start:end],
                    kind,
                    boost,
                    lengths,
                )
                if end < count:
                    postwriter.write_block()
            # Writes the last block (flagged last), as W3PostingsWriter would.
            fieldwriter.finish_term()
        if current is not None:
            fieldwriter.finish_field()

    @staticmethod
    def _fill_block(postwriter, docs, freqs, weights, values, kind, boost, lengths) -> None:
        """Give the block writer these postings and the statistics ``add_posting``
        would have built from them one at a time."""
        if weights is None:
            if boost == 1.0:
                block_weights = array("f", freqs)
                top = float(max(freqs))
            else:
                weights = [f * boost for f in freqs]
        if weights is not None:
            block_weights = array("f", weights)
            top = max(weights)
        if values is not None:
            block_values = [v for v in values if v]
        elif kind == FREQUENCY:
            # The packed frequencies, big-endian as pack_uint writes them.
            packed = array("I", freqs)
            if LITTLE_ENDIAN:
                packed.byteswap()
            block_values = [packed.tobytes()]
        else:
            block_values = []
        # The block's non-zero length bytes (zero: no length for that document).
        known = bytes(map(lengths.__getitem__, docs)).replace(b"\0", b"") if lengths is not None else b""
        minlength, maxlength = (byte_to_length(min(known)), byte_to_length(max(known))) if known else (None, 0)
        postwriter.set_block(docs, block_weights, top if top > 0 else 0, block_values, minlength, maxlength)

    def segment_closed(self):
        self.lists.cleanup()

    def cancel(self):
        self.lists.cleanup()
        super().cancel()
