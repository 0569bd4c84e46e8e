"""Vectorised query execution for the Whoosh backend.

Whoosh scores a query by walking its matchers one document at a time in Python:
on 100,000 records a two-word query over title and body visits tens of thousands
of postings per clause, and counting the hits walks them all again, which took
seconds. The index files stay Whoosh's; this module only reads them differently:

- a posting list is read block by block into arrays (document numbers and term
  frequencies), once per segment and term, and kept in a byte-bounded cache;
- the per-document field lengths (one byte per document, Whoosh's lossy encoding)
  are read into an array once per segment and field;
- a query made of terms, ``Or``, ``And``, ``AndNot`` and ``Every`` is evaluated as
  whole-index arrays (a score and a "matched" flag per document), with Whoosh's
  own BM25F formula, boosts and IDF, so scores equal those of Whoosh's collector
  (tests/search/test_scoring.py compares them);
- the count, the top hits (ties broken by document number, as Whoosh does) and
  facet counts are then a few array operations.

Queries of another shape (phrases, fuzzy terms, prefixes, ranges as the text
query) return ``None`` from :func:`compile_plan` and the backend uses Whoosh's
collector for them. Filters are applied as a boolean mask built once per index
state (see ``filter_docs`` in the backend).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass

import numpy as np
from django.conf import settings
from whoosh import query as wq
from whoosh.util.numeric import byte_to_length

#: Array of Whoosh's encoded field-length byte -> length.
_LENGTHS = np.array([byte_to_length(i) for i in range(256)], dtype=np.float64)
#: Bytes of posting and length arrays kept per process (``SEARCH_CACHE_MB``).
DEFAULT_CACHE_MB = 96


# --- Plans: the query shapes this module evaluates -------------------------------------


@dataclass(frozen=True)
class TermNode:
    field: str
    text: str
    boost: float = 1.0


@dataclass(frozen=True)
class AnyNode:
    """Documents matching any child; the score is the sum of the matching children's."""

    children: tuple
    boost: float = 1.0


@dataclass(frozen=True)
class AllNode:
    """Documents matching every child; the score is the sum of the children's."""

    children: tuple
    boost: float = 1.0


@dataclass(frozen=True)
class ButNotNode:
    """Documents matching ``positive`` and not ``negative``, scored by ``positive``."""

    positive: object
    negative: object
    boost: float = 1.0


@dataclass(frozen=True)
class EveryNode:
    """Every live document, each scored ``boost`` (Whoosh's ``Every()``)."""

    boost: float = 1.0


NOTHING = AnyNode(())


def compile_plan(query):
    """The plan for a Whoosh query, or ``None`` when it has a shape this module
    does not evaluate (the caller then runs Whoosh's own collector)."""
    if query is wq.NullQuery or isinstance(query, type(wq.NullQuery)):
        return NOTHING
    kind = type(query)
    if kind is wq.Term:
        if not isinstance(query.text, str):
            return None
        return TermNode(query.fieldname, query.text, float(query.boost))
    if kind in (wq.Or, wq.And):
        if kind is wq.Or and (getattr(query, "minmatch", 0) or getattr(query, "scale", None)):
            return None
        children = []
        for sub in query.subqueries:
            child = compile_plan(sub)
            if child is None:
                return None
            children.append(child)
        node = AnyNode if kind is wq.Or else AllNode
        return node(tuple(children), float(query.boost))
    if kind is wq.AndNot:
        positive, negative = compile_plan(query.a), compile_plan(query.b)
        if positive is None or negative is None:
            return None
        return ButNotNode(positive, negative, float(query.boost))
    if kind is wq.Every and not query.fieldname:
        return EveryNode(float(query.boost))
    return None


# --- Arrays read from the index, cached -------------------------------------------------


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
    """Forget every cached array and evaluation (tests; nothing else needs it:
    keys include the segments)."""
    _cache.clear()
    with _scored_lock:
        _scored.clear()


def _segment_key(leaf) -> tuple:
    # Whoosh names each segment with 16 random characters and never rewrites
    # a segment's postings (deletions are applied from the deleted set).
    segment = leaf.segment()
    return (segment.segment_id(), leaf.doc_count_all()) if segment is not None else (id(leaf), 0)


def _read_matcher(matcher) -> tuple[np.ndarray, np.ndarray]:
    """Document numbers and weights of a leaf matcher.

    Whoosh's block postings (``W3LeafMatcher``) store each block as delta-encoded
    ids and an array of weights; they are decoded here a block at a time, which
    is what makes reading a long posting list cheap. Other matchers (inlined
    single postings) are walked one posting at a time."""
    if hasattr(matcher, "_read_data") and not getattr(matcher, "_byteids", False):
        id_parts, weight_parts = [], []
        while matcher.is_active():
            if matcher._data is None:
                matcher._read_data()
            id_parts.append(np.cumsum(np.asarray(matcher._data[0], dtype=np.int64)))
            weights = matcher._data[1]
            count = matcher._blocklength
            if weights is None:
                weight_parts.append(np.ones(count, dtype=np.float64))
            elif isinstance(weights, float):
                weight_parts.append(np.full(count, weights, dtype=np.float64))
            else:
                weight_parts.append(np.asarray(weights, dtype=np.float64))
            matcher._next_block()
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
        matcher = getattr(matcher, "child", matcher) if type(matcher).__name__ == "FilterMatcher" else matcher
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
    try:
        from whoosh.codec.whoosh3 import LENGTHS_COLUMN, _lenfield

        column = leaf._perdoc._cached_reader(_lenfield(fieldname), LENGTHS_COLUMN)
        if column is None:
            return np.zeros(count, dtype=np.uint8)
        stored = min(column._count, count)
        raw = column._dbfile.get(column._basepos, stored) if stored else b""
        codes = np.zeros(count, dtype=np.uint8)
        codes[:stored] = np.frombuffer(raw, dtype=np.uint8)
        return codes
    except (AttributeError, ImportError):
        # Another codec: ask the reader for each document (slower, same values).
        from whoosh.util.numeric import length_to_byte

        return np.array(
            [length_to_byte(leaf.doc_field_length(doc, fieldname, 0) or 0) for doc in range(count)], dtype=np.uint8
        )


def _deleted_mask(leaf, count: int) -> np.ndarray | None:
    if not leaf.has_deletions():
        return None
    mask = np.zeros(count, dtype=bool)
    if hasattr(leaf, "deleted_docs_set"):
        deleted = np.fromiter(leaf.deleted_docs_set, dtype=np.int64)
    else:
        deleted = np.fromiter((doc for doc in range(count) if leaf.is_deleted(doc)), dtype=np.int64)
    mask[deleted[deleted < count]] = True
    return mask


# --- Evaluation --------------------------------------------------------------------------


@dataclass
class Scored:
    """A plan evaluated over the whole index: per global document number, its
    score and whether it matched (deleted documents never match)."""

    scores: np.ndarray
    matched: np.ndarray


class _Leaf:
    def __init__(self, searcher, leaf, weighting):
        self.searcher = searcher
        self.leaf = leaf
        self.size = leaf.doc_count_all()
        self.weighting = weighting

    def term(self, node: TermNode):
        scores = np.zeros(self.size, dtype=np.float64)
        matched = np.zeros(self.size, dtype=bool)
        schema = self.searcher.schema
        if node.field not in schema:
            return scores, matched
        field = schema[node.field]
        try:
            btext = field.to_bytes(node.text)
        except ValueError:
            return scores, matched
        ids, tf = postings(self.leaf, node.field, btext)
        if not len(ids):
            return scores, matched
        tf = tf.astype(np.float64)
        if field.scorable:
            k1 = self.weighting.K1
            b = self.weighting._field_B.get(node.field, self.weighting.B)
            idf = self.searcher.idf(node.field, btext)
            avgfl = self.searcher.avg_field_length(node.field) or 1
            lengths = field_lengths(self.leaf, node.field)[ids].astype(np.float64)
            # Whoosh's bm25(), term for term, so the values are the same floats.
            values = idf * ((tf * (k1 + 1)) / (tf + k1 * ((1 - b) + b * lengths / avgfl)))
        else:
            values = tf
        if node.boost != 1.0:
            values = values * node.boost
        scores[ids] = values
        matched[ids] = True
        return scores, matched

    def evaluate(self, node):
        if isinstance(node, TermNode):
            return self.term(node)
        if isinstance(node, EveryNode):
            return np.full(self.size, node.boost, dtype=np.float64), np.ones(self.size, dtype=bool)
        if isinstance(node, ButNotNode):
            scores, matched = self.evaluate(node.positive)
            _, excluded = self.evaluate(node.negative)
            matched &= ~excluded
            scores[~matched] = 0.0  # a parent Or adds only what matched
            return self._boosted(scores, node.boost), matched
        scores = np.zeros(self.size, dtype=np.float64)
        if not node.children:
            return scores, np.zeros(self.size, dtype=bool)
        matched = None
        for child in node.children:
            child_scores, child_matched = self.evaluate(child)
            scores += child_scores
            if matched is None:
                matched = child_matched
            elif isinstance(node, AllNode):
                matched &= child_matched
            else:
                matched |= child_matched
        if isinstance(node, AllNode):
            scores[~matched] = 0.0  # partial matches must not add to a parent Or
        return self._boosted(scores, node.boost), matched

    @staticmethod
    def _boosted(scores, boost):
        if boost != 1.0:
            scores *= boost
        return scores


def _weighting(searcher):
    weighting = searcher.weighting
    if not all(hasattr(weighting, name) for name in ("K1", "B", "_field_B")):
        raise TypeError("The vectorised scorer implements BM25F only.")
    return weighting


def evaluate(searcher, plan) -> Scored:
    """Evaluate ``plan`` over every segment of the searcher's index."""
    weighting = _weighting(searcher)
    score_parts, match_parts = [], []
    for leaf, _offset in searcher.reader().leaf_readers():
        scores, matched = _Leaf(searcher, leaf, weighting).evaluate(plan)
        deleted = _deleted_mask(leaf, len(matched))
        if deleted is not None:
            matched &= ~deleted
        score_parts.append(scores)
        match_parts.append(matched)
    if not score_parts:
        return Scored(np.zeros(0), np.zeros(0, dtype=bool))
    return Scored(np.concatenate(score_parts), np.concatenate(match_parts))


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


def rank(scored: Scored, allowed: np.ndarray | None, start: int, stop: int | None, order=None):
    """(document numbers, scores, total) for hits ``start:stop``.

    Without ``order``: by descending score, ties by ascending document number
    (Whoosh's collector order). ``order`` is a list of (ranks from
    :func:`column_ranks`, reverse) pairs, first key first: hits sorted by those
    keys, then by document number, as Whoosh's sorting collector does."""
    mask = scored.matched if allowed is None else scored.matched & allowed
    docs = np.flatnonzero(mask)
    total = len(docs)
    scores = scored.scores[docs]
    wanted = total if stop is None else min(stop, total)
    if wanted <= start:
        return docs[:0], scores[:0], total
    if order:
        keys = [docs]
        for ranks, reverse in reversed(order):
            keys.append(-ranks[docs] if reverse else ranks[docs])
        chosen = np.lexsort(keys)[start:wanted]
        return docs[chosen], scores[chosen], total
    if wanted < total:
        # Keep every document scoring at least the wanted-th best, ties included,
        # so the tie order below is the same as when all hits are sorted.
        threshold = np.partition(scores, total - wanted)[total - wanted]
        keep = scores >= threshold
        docs, scores = docs[keep], scores[keep]
    order = np.lexsort((docs, -scores))[start:wanted]
    return docs[order], scores[order], total


def facet_counts(searcher, mask: np.ndarray, fieldname: str) -> list[tuple[str | None, int]]:
    """Counts of each keyword of ``fieldname`` among the documents of ``mask``,
    most frequent first; ``None`` counts matched documents with no value."""
    counts = []
    if fieldname in searcher.schema:
        leaves = searcher.reader().leaf_readers()
        seen = np.zeros(len(mask), dtype=bool)
        for term in searcher.reader().lexicon(fieldname):
            total = 0
            for leaf, offset in leaves:
                ids, _ = postings(leaf, fieldname, term)
                if len(ids):
                    ids = ids + offset
                    total += int(np.count_nonzero(mask[ids]))
                    seen[ids] = True
            if total:
                counts.append((term.decode("utf-8"), total))
        missing = int(np.count_nonzero(mask & ~seen))
    else:
        missing = int(np.count_nonzero(mask))
    if missing:
        counts.append((None, missing))
    counts.sort(key=lambda item: (-item[1], "" if item[0] is None else item[0]))
    return counts


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


_scored_lock = threading.Lock()
_scored: OrderedDict = OrderedDict()
#: Evaluated queries kept per process: a search page asks for the hits, the count
#: and several facets of the same query, each of which would evaluate it again.
SCORED_CACHE_SIZE = 8


def evaluate_cached(searcher, plan) -> Scored:
    """:func:`evaluate`, remembered for the same plan and index state."""
    key = (state_key(searcher), plan)
    with _scored_lock:
        found = _scored.get(key)
        if found is not None:
            _scored.move_to_end(key)
            return found
    found = evaluate(searcher, plan)
    with _scored_lock:
        _scored[key] = found
        while len(_scored) > SCORED_CACHE_SIZE:
            _scored.popitem(last=False)
    return found
