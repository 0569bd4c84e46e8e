"""A Whoosh segment writer that gathers postings per term instead of per posting.

Whoosh's ``SegmentWriter`` turns every posting (about 165 per benchmark record)
into a tuple in a pool, sorts the whole pool at commit, then writes the postings
one call at a time, reading each posting's field length back from the length
column it has just written. That pure-Python path was most of a rebuild's time.

:class:`PostingListWriter` keeps one posting list per term instead. Documents
arrive in document number order, so each list is already sorted: only the terms
are sorted at commit, and each list's blocks go to Whoosh's own block writer
(``W3PostingsWriter._write_block``) with the block statistics computed over the
whole block at once, from field lengths kept in memory. A list holds, per
posting, the document number and frequency in one 64-bit integer; weights and
values are kept only when the field's format cannot derive them from the
frequency (``Frequency``: weight = frequency x boost, value = the packed
frequency; ``Positions`` keeps its encoded positions).

A reader sees what ``SegmentWriter`` writes for the same documents: every term,
its statistics, postings, weights, values, stored fields, lengths and columns
(tests/search/backends/test_segments.py compares them all), so readers, merges
and scoring are unchanged. The postings file itself is not byte for byte the
same: a position shared by many postings is pickled once. Everything else is Whoosh's: stored fields,
columns and lengths go through the codec's per-document writer; documents with
``_boost``/``_stored_`` arguments or fields with vectors or spelling go through
``SegmentWriter.add_document``; when a commit merges older segments (their
postings come through Whoosh's pool), the lists are merged into the pool's
stream and written by Whoosh's own posting path.

Past ``limitmb`` the lists are spilled to a temporary file as a sorted run, as
Whoosh's pool does, and merged back at commit.
"""

from __future__ import annotations

import heapq
import operator
import pickle
import sys
import tempfile
from array import array
from collections import Counter
from itertools import chain

from whoosh import fields as wfields
from whoosh import formats
from whoosh.analysis import IDTokenizer
from whoosh.codec.whoosh3 import W3FieldWriter, W3PostingsWriter
from whoosh.system import pack_uint
from whoosh.util.numeric import byte_to_length, length_to_byte
from whoosh.writing import SegmentWriter

#: Encoded frequencies (``Frequency`` values), shared by every posting.
_FREQ_BYTES = [pack_uint(n) for n in range(256)]
#: Encoded single positions (``Positions`` values of a term seen once, most of
#: them), extended as needed.
_ONE_POSITION: list[bytes] = []
_LITTLE = sys.byteorder == "little"
_STR = frozenset([str])
#: Term keys are str: analysed terms as they come, other fields' term bytes
#: decoded losslessly (numeric terms are not UTF-8).
_KEY_ERRORS = "surrogateescape"

#: String values whose postings a writer keeps (cleared when full).
_ANALYSED_KEEP = 4096

#: Rough bytes held in memory per posting and per term, for the spill threshold.
_POSTING_BYTES = 8
_TERM_BYTES = 400

# How a format's posting values relate to the frequency.
FREQUENCY, POSITIONS, EXISTENCE, OTHER = "frequency", "positions", "existence", "other"


def format_kind(fmt) -> str:
    """How postings of this format are kept: see the module docstring."""
    kind = type(fmt)
    if kind is formats.Frequency:
        return FREQUENCY
    if kind is formats.Positions:
        return POSITIONS
    if kind is formats.Existence:
        return EXISTENCE
    return OTHER


def derived_value(kind: str, freq: int) -> bytes:
    """The posting value a format gives for a frequency, where it is derived."""
    if kind == FREQUENCY:
        return _FREQ_BYTES[freq] if freq < 256 else pack_uint(freq)
    return b""


def unpack(packed: array) -> tuple[array, array]:
    """Document numbers and frequencies of a list of ``docnum << 32 | freq``."""
    if _LITTLE:
        halves = array("I")
        halves.frombytes(packed.tobytes())
        return halves[1::2], halves[0::2]
    return array("I", [x >> 32 for x in packed]), array("I", [x & 0xFFFFFFFF for x in packed])


class PostingLists:
    """Posting lists per (field, term), in document number order, with sorted
    runs spilled to temporary files past ``limit`` bytes.

    A list is ``[packed, weights, values]``: ``packed`` an ``array("Q")`` of
    ``docnum << 32 | freq``; ``weights`` an ``array("d")`` or None (frequency x the
    format's boost); ``values`` a list of bytes or None (derived from the
    frequency, see :func:`derived_value`)."""

    def __init__(self, limit: int, tempdir: str | None = None):
        self.limit = limit
        self.tempdir = tempdir
        self.fields: dict[str, dict[str, list]] = {}
        #: Per field: (format kind, format boost), fixed by the first posting.
        self.kinds: dict[str, tuple[str, float]] = {}
        self.size = 0
        self.runs: list = []

    def __bool__(self) -> bool:
        return bool(self.fields or self.runs)

    def _terms(self, fieldname: str, fmt) -> dict[str, list]:
        terms = self.fields.get(fieldname)
        if terms is None:
            terms = self.fields[fieldname] = {}
            self.kinds.setdefault(fieldname, (format_kind(fmt), fmt.field_boost))
        return terms

    # -- adding --

    def add_counts(self, fieldname: str, fmt, docnum: int, counts: dict[str, int]) -> None:
        """A ``Frequency`` field's terms of one document with their frequencies."""
        terms = self._terms(fieldname, fmt)
        base = docnum << 32
        new = 0
        for term, n in counts.items():
            entry = terms.get(term)
            if entry is None:
                terms[term] = [array("Q", (base | n,)), None, None]
                new += 1
            else:
                entry[0].append(base | n)
                if entry[1] is not None or entry[2] is not None:
                    self._append_explicit(fieldname, entry, n, n * fmt.field_boost, derived_value(FREQUENCY, n))
        self._grow(len(counts) * _POSTING_BYTES + new * _TERM_BYTES)

    def add_positions(self, fieldname: str, fmt, docnum: int, positions: dict[str, list[int]]) -> None:
        """A ``Positions`` field's terms of one document with their positions."""
        terms = self._terms(fieldname, fmt)
        base = docnum << 32
        encode = fmt.encode
        single = _ONE_POSITION
        size = 0
        for term, poslist in positions.items():
            n = len(poslist)
            if n == 1:
                pos = poslist[0]
                if pos >= len(single):
                    single.extend(encode([p]) for p in range(len(single), pos + 1))
                value = single[pos]
                size += 16  # the packed posting and a list slot; the value is shared
            else:
                value = encode(poslist)
                size += 16 + 33 + len(value)
            entry = terms.get(term)
            if entry is None:
                terms[term] = [array("Q", (base | n,)), None, [value]]
                size += _TERM_BYTES
            else:
                entry[0].append(base | n)
                entry[2].append(value)
                if entry[1] is not None:
                    entry[1].append(n * fmt.field_boost)
        self._grow(size)

    def add_postings(self, fieldname: str, fmt, docnum: int, postings) -> None:
        """Postings as ``FieldType.index`` gives them: ``(term bytes, freq, weight, value)``."""
        terms = self._terms(fieldname, fmt)
        kind, boost = self.kinds[fieldname]
        base = docnum << 32
        size = 0
        for tbytes, n, weight, value in postings:
            value = b"" if value is None else value
            term = tbytes.decode("utf-8", _KEY_ERRORS)
            entry = terms.get(term)
            if entry is None:
                entry = terms[term] = [array("Q"), None, [] if kind == POSITIONS else None]
                size += _TERM_BYTES
            entry[0].append(base | n)
            size += _POSTING_BYTES + len(value)
            self._append_explicit(fieldname, entry, n, weight, value)
        self._grow(size)

    def _append_explicit(self, fieldname, entry, n, weight, value) -> None:
        """Record a posting's weight and value where they are kept, keeping them
        explicitly (for the whole list) when they differ from the derived ones.
        The packed ``docnum << 32 | freq`` has already been appended."""
        kind, boost = self.kinds[fieldname]
        weights, values = entry[1], entry[2]
        if weights is None and weight != n * boost:
            weights = entry[1] = self._explicit_weights(entry[0][:-1], boost)
        if weights is not None:
            weights.append(weight)
        if values is None and (kind not in (FREQUENCY, EXISTENCE) or value != derived_value(kind, n)):
            values = entry[2] = [derived_value(kind, f) for f in unpack(entry[0][:-1])[1]]
        if values is not None:
            values.append(value)

    @staticmethod
    def _explicit_weights(packed: array, boost: float) -> array:
        return array("d", [f * boost for f in unpack(packed)[1]])

    def _grow(self, size: int) -> None:
        self.size += size
        if self.size > self.limit:
            self.spill()

    # -- reading back --

    def _memory_items(self):
        fields = self.fields
        for fieldname in sorted(fields):
            terms = fields[fieldname]
            keyed = sorted((term.encode("utf-8", _KEY_ERRORS), term) for term in terms)
            for tbytes, term in keyed:
                packed, weights, values = terms[term]
                yield fieldname, tbytes, packed, weights, values

    def spill(self) -> None:
        """Write the lists held in memory as a sorted run and forget them."""
        # Kept open until commit or cancel (cleanup()); an unnamed temporary
        # file disappears with the process whatever happens.
        run = tempfile.TemporaryFile(dir=self.tempdir)  # noqa: SIM115
        # One pickle per term: a shared Pickler would keep every spilled object
        # in its memo (and clearing the memo desynchronises protocol 4+ readers).
        dumps = pickle.dumps
        for fieldname, tbytes, packed, weights, values in self._memory_items():
            record = (fieldname, tbytes, packed.tobytes(), None if weights is None else weights.tobytes(), values)
            run.write(dumps(record, pickle.HIGHEST_PROTOCOL))
        run.flush()
        self.runs.append(run)
        self.fields = {}
        self.size = 0

    @staticmethod
    def _read_run(run):
        run.seek(0)
        load = pickle.load
        while True:
            try:
                # Written by this process a moment ago, never from outside.
                fieldname, tbytes, packed, weights, values = load(run)  # noqa: S301
            except EOFError:
                return
            ids = array("Q")
            ids.frombytes(packed)
            if weights is not None:
                ws = array("d")
                ws.frombytes(weights)
                weights = ws
            yield fieldname, tbytes, ids, weights, values

    def items(self):
        """``(field, term bytes, packed, weights, values)`` per term, sorted by field
        then term bytes, each list in document number order."""
        if not self.runs:
            yield from self._memory_items()
            return
        # Runs hold earlier documents than later runs and than memory: heapq.merge
        # is stable across its inputs, so equal terms come out in document order.
        streams = [self._read_run(run) for run in self.runs] + [self._memory_items()]
        merged = heapq.merge(*streams, key=lambda item: (item[0], item[1]))
        current = None
        for item in merged:
            if current is not None and item[0] == current[0] and item[1] == current[1]:
                self._concat(current, item)
                continue
            if current is not None:
                yield tuple(current)
            current = [item[0], item[1], array("Q", item[2]), item[3], item[4]]
        if current is not None:
            yield tuple(current)

    def _concat(self, current: list, item) -> None:
        kind, boost = self.kinds[current[0]]
        _, _, packed, weights, values = item
        if current[3] is not None or weights is not None:
            if current[3] is None:
                current[3] = self._explicit_weights(current[2], boost)
            else:
                current[3] = array("d", current[3])
            current[3].extend(weights if weights is not None else self._explicit_weights(packed, boost))
        if current[4] is not None or values is not None:
            if current[4] is None:
                current[4] = [derived_value(kind, f) for f in unpack(current[2])[1]]
            else:
                current[4] = list(current[4])
            current[4].extend(values if values is not None else [derived_value(kind, f) for f in unpack(packed)[1]])
        current[2].extend(packed)

    def iter_postings(self):
        """The same postings as Whoosh's pool gives them: one sorted tuple each."""
        for fieldname, tbytes, packed, weights, values in self.items():
            kind, boost = self.kinds[fieldname]
            docs, freqs = unpack(packed)
            for i, docnum in enumerate(docs):
                n = freqs[i]
                weight = n * boost if weights is None else weights[i]
                value = derived_value(kind, n) if values is None else values[i]
                yield fieldname, tbytes, docnum, weight, value

    def cleanup(self) -> None:
        for run in self.runs:
            run.close()
        self.runs = []
        self.fields = {}
        self.size = 0


def _ids_tuple(ids) -> tuple:
    # numlists.delta_encode, in C: each id minus the previous one (the first minus 0).
    return tuple(map(operator.sub, ids, chain((0,), ids)))


class BlockPostingsWriter(W3PostingsWriter):
    """``W3PostingsWriter`` with its per-block list reductions done by C loops;
    the bytes are the same."""

    def _mini_ids(self):
        if self._byteids:
            return super()._mini_ids()
        return _ids_tuple(self._ids)

    def _mini_weights(self):
        weights = self._weights
        count = len(weights)
        if weights.count(1.0) == count:
            return None
        if weights.count(weights[0]) == count:
            return weights[0]
        return tuple(weights)


class PostingListWriter(SegmentWriter):
    """A ``SegmentWriter`` whose postings are gathered per term (see the module
    docstring). Use it as Whoosh's own writer: ``PostingListWriter(ix, timeout=...,
    limitmb=...)``, ``add_document``/``update_document``, ``commit``/``cancel``."""

    def __init__(self, ix, **kwargs):
        super().__init__(ix, **kwargs)
        # The block writing below relies on whoosh3's codec (W3FieldWriter and
        # W3PostingsWriter); any other codec gets SegmentWriter unchanged.
        self.direct = isinstance(self.fieldwriter, W3FieldWriter)
        self.lists = PostingLists(self.pool.limit, getattr(self._tempstorage, "folder", None))
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
        self._check_state()
        schema = self.schema
        fieldnames = sorted(fields)
        if any(name.startswith("_") for name in fieldnames):
            return super().add_document(**fields)
        self._check_fields(schema, fieldnames)
        if not all(self._is_plain(name) for name in fieldnames):
            return super().add_document(**fields)

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
                        lengths = self.length_bytes.get(fieldname)
                        if lengths is None:
                            lengths = self.length_bytes[fieldname] = bytearray()
                        if len(lengths) <= docnum:
                            lengths.extend(bytes(docnum + 1 - len(lengths)))
                        lengths[docnum] = length_to_byte(length)
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
        self._added = True
        self.docnum += 1

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

    def _pool_has_postings(self) -> bool:
        return bool(self.pool.current or self.pool.runs)

    def _flush_segment(self):
        if not self._pool_has_postings():
            self.perdocwriter.close()
            self._write_lists()
            self.fieldwriter.close()
            return
        # Whoosh's pool holds postings too (merged segments, or documents that
        # went through SegmentWriter.add_document): one sorted stream of both
        # through Whoosh's own posting path.
        self.perdocwriter.close()
        pdr = self.per_document_reader() if self.codec.length_stats else None
        postings = heapq.merge(self.lists.iter_postings(), self.pool.iter_postings())
        self.fieldwriter.add_postings(self.schema, pdr, postings)
        self.fieldwriter.close()
        if pdr:
            pdr.close()

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
                plain = fieldwriter._postwriter
                postwriter = fieldwriter._postwriter = BlockPostingsWriter(
                    plain._postfile, plain._blocklimit, plain._byteids, plain._compression, plain._inlinelimit
                )
                blocklimit = postwriter._blocklimit
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
                    postwriter._write_block()
            # Writes the last block (flagged last), as W3PostingsWriter would.
            fieldwriter.finish_term()
        if current is not None:
            fieldwriter.finish_field()

    @staticmethod
    def _fill_block(postwriter, docs, freqs, weights, values, kind, boost, lengths) -> None:
        """Set the block buffer and statistics ``add_posting`` would have built
        from these postings one at a time."""
        postwriter._ids = docs
        if weights is None:
            if boost == 1.0:
                postwriter._weights = array("f", freqs)
                top = float(max(freqs))
            else:
                weights = [f * boost for f in freqs]
        if weights is not None:
            postwriter._weights = array("f", weights)
            top = max(weights)
        postwriter._maxweight = top if top > 0 else 0
        if values is not None:
            postwriter._values = [v for v in values if v]
        elif kind == FREQUENCY:
            # The packed frequencies, big-endian as pack_uint writes them.
            packed = array("I", freqs)
            if _LITTLE:
                packed.byteswap()
            postwriter._values = [packed.tobytes()]
        else:
            postwriter._values = []
        # The block's non-zero length bytes (zero: no length for that document).
        known = bytes(map(lengths.__getitem__, docs)).replace(b"\0", b"") if lengths is not None else b""
        if known:
            postwriter._minlength = byte_to_length(min(known))
            postwriter._maxlength = byte_to_length(max(known))
        else:
            postwriter._minlength = None
            postwriter._maxlength = 0

    def _close_segment(self):
        super()._close_segment()
        self.lists.cleanup()

    def cancel(self):
        self.lists.cleanup()
        super().cancel()
