"""Vectorised query execution for the Whoosh backend.

Whoosh scores a query by walking its matchers one document at a time in Python:
on 100,000 records a two-word query over title and body visits tens of thousands
of postings per clause, and counting the hits walks them all again, which took
seconds. The index files stay Whoosh's; this module only reads them differently
(the arrays come from :mod:`.arrays`):

- a query made of terms, ``Or``, ``And``, ``AndNot`` and ``Every`` is evaluated as
  whole-index arrays (a score and a "matched" flag per document), with Whoosh's
  own BM25F formula, boosts and IDF, so scores equal those of Whoosh's collector
  (tests/search/test_scoring.py compares them);
- the count, the top hits (ties broken by document number, as Whoosh does) and
  facet counts are then a few array operations.

Queries of another shape (phrases, fuzzy terms, prefixes, ranges as the text
query) return ``None`` from :func:`compile_plan` and :mod:`.execution` uses
Whoosh's collector for them. Filters are applied as a boolean mask built once
per index state (see :mod:`.execution`).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass

import numpy as np
from whoosh import query as wq

from search.backends.whoosh import arrays, internals

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
        ids, tf = arrays.postings(self.leaf, node.field, btext)
        if not len(ids):
            return scores, matched
        tf = tf.astype(np.float64)
        if field.scorable:
            k1, default_b, field_b = self.weighting
            b = field_b.get(node.field, default_b)
            idf = self.searcher.idf(node.field, btext)
            avgfl = self.searcher.avg_field_length(node.field) or 1
            lengths = arrays.field_lengths(self.leaf, node.field)[ids].astype(np.float64)
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


def evaluate(searcher, plan) -> Scored:
    """Evaluate ``plan`` over every segment of the searcher's index."""
    weighting = internals.bm25_parameters(searcher.weighting)
    score_parts, match_parts = [], []
    for leaf, _offset in searcher.reader().leaf_readers():
        scores, matched = _Leaf(searcher, leaf, weighting).evaluate(plan)
        deleted = arrays.deleted_mask(leaf, len(matched))
        if deleted is not None:
            matched &= ~deleted
        score_parts.append(scores)
        match_parts.append(matched)
    if not score_parts:
        return Scored(np.zeros(0), np.zeros(0, dtype=bool))
    return Scored(np.concatenate(score_parts), np.concatenate(match_parts))


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
                ids, _ = arrays.postings(leaf, fieldname, term)
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


_scored_lock = threading.Lock()
_scored: OrderedDict = OrderedDict()
#: Evaluated queries kept per process: a search page asks for the hits, the count
#: and several facets of the same query, each of which would evaluate it again.
SCORED_CACHE_SIZE = 8


def clear_cache() -> None:
    """Forget every cached array and evaluation (tests; nothing else needs it:
    keys include the segments)."""
    arrays.clear_cache()
    with _scored_lock:
        _scored.clear()


def evaluate_cached(searcher, plan) -> Scored:
    """:func:`evaluate`, remembered for the same plan and index state."""
    key = (arrays.state_key(searcher), plan)
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
