"""Posting lists per term, as a rebuild's writer gathers them (see :mod:`.segments`).

A list holds, per posting, the document number and frequency in one 64-bit
integer; weights and values are kept only when the field's format cannot derive
them from the frequency (``Frequency``: weight = frequency x boost, value = the
packed frequency; ``Positions`` keeps its encoded positions). Past ``limit``
bytes the lists are spilled to a temporary file as a sorted run, as Whoosh's
pool does, and merged back when read.
"""

from __future__ import annotations

import heapq
import pickle
import sys
import tempfile
from array import array

from whoosh import formats
from whoosh.system import pack_uint

#: Encoded frequencies (``Frequency`` values), shared by every posting.
_FREQ_BYTES = [pack_uint(n) for n in range(256)]
#: Encoded single positions (``Positions`` values of a term seen once, most of
#: them), extended as needed.
_ONE_POSITION: list[bytes] = []
LITTLE_ENDIAN = sys.byteorder == "little"
#: Term keys are str: analysed terms as they come, other fields' term bytes
#: decoded losslessly (numeric terms are not UTF-8).
_KEY_ERRORS = "surrogateescape"

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
    if LITTLE_ENDIAN:
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
