"""Running a compiled query: hits, counts and facet masks.

Queries of the shapes :mod:`.scoring` evaluates run there (arrays over the
whole index), ordered by relevance or by sortable columns; phrases and fuzzy
terms run through Whoosh's collector. Either way the filter (content type, plus
the queryset's filters) is a set of document numbers cached per index state:
Whoosh would otherwise walk its postings on every search (all 100,000 documents
of the model for the content-type filter alone).
"""

from __future__ import annotations

import threading
from collections import OrderedDict

import numpy as np
from whoosh import query as wq
from whoosh import sorting

from search.backends.whoosh import arrays, internals, scoring


def query_hits(searcher, index, query, filter_query, *, start: int = 0, stop: int | None = None, sortedby=None):
    """Hits ``start:stop`` of ``query`` among the documents ``filter_query`` allows,
    as (document number, score) pairs, and the total number of hits.

    Queries of the shapes :mod:`.scoring` evaluates run there (arrays over the
    whole index), ordered by relevance or by sortable columns; phrases and fuzzy
    terms run through Whoosh's collector."""
    order = column_order(searcher, sortedby)
    vector = _vectorised(searcher, index, query, filter_query) if order is not None else None
    if vector is not None:
        if vector is _NO_MATCH:
            return [], 0
        docs, scores, total = scoring.rank(*vector, start, stop, order)
        return list(zip(docs.tolist(), scores.tolist(), strict=True)), total
    kwargs = {"filter": filter_docs(searcher, index, filter_query), "limit": stop}
    if sortedby is not None:
        kwargs["sortedby"] = sortedby
    results = searcher.search(query, **kwargs)
    return [(hit.docnum, hit.score) for hit in results[start:stop]], len(results)


_NO_MATCH = object()


def _vectorised(searcher, index, query, filter_query):
    """(evaluated query, allowed-documents mask) from :mod:`.scoring`;
    ``_NO_MATCH`` when nothing can match; ``None`` when Whoosh's collector must run."""
    plan = scoring.compile_plan(query)
    if plan is None:
        return None
    if plan is scoring.NOTHING or filter_query is wq.NullQuery:
        return _NO_MATCH
    return scoring.evaluate_cached(searcher, plan), filter_mask(searcher, index, filter_query)


def column_order(searcher, sortedby) -> list | None:
    """``sortedby`` (one Whoosh ``FieldFacet`` or a list of them) as (column
    ranks, reverse) pairs for the vectorised scorer: ``[]`` for relevance,
    ``None`` when a facet is not a plain sortable column."""
    if sortedby is None:
        return []
    facets = sortedby if isinstance(sortedby, (list, tuple)) else [sortedby]
    order = []
    for facet in facets:
        if type(facet) is not sorting.FieldFacet or getattr(facet, "allow_overlap", False):
            return None
        ranks = arrays.column_ranks(searcher, facet.fieldname)
        if ranks is None:
            return None
        order.append((ranks, bool(facet.reverse)))
    return order


def query_mask(searcher, index, query, filter_query) -> np.ndarray:
    """Every document matching ``query`` that ``filter_query`` allows, as a
    boolean array over the index's document numbers (counts and facets)."""
    vector = _vectorised(searcher, index, query, filter_query)
    if vector is _NO_MATCH:
        return np.zeros(searcher.doc_count_all(), dtype=bool)
    if vector is not None:
        scored, allowed = vector
        return scored.matched & allowed
    hits = searcher.search(query, filter=filter_docs(searcher, index, filter_query), limit=None, scored=False)
    return arrays.docs_mask(hits.docs(), searcher.doc_count_all())


_filter_lock = threading.Lock()
_filter_cache: OrderedDict = OrderedDict()
#: Filter document sets kept per process (a few KB each: one bit per document).
FILTER_CACHE_SIZE = 64


def _filter_key(searcher, index, filter_query):
    """The cache key of a filter for what this searcher sees, or ``None``."""
    try:
        generation = searcher.reader().generation()
        key = (str(index.generation_dir()), generation, repr(filter_query))
    except Exception:
        return None
    if generation is None or generation < 0:
        return None  # an unversioned reader: nothing safe to key on
    return key


def _filter_cached(key, make):
    if key is None:
        return make()
    with _filter_lock:
        found = _filter_cache.get(key)
        if found is not None:
            _filter_cache.move_to_end(key)
            return found
    found = make()
    with _filter_lock:
        _filter_cache[key] = found
        while len(_filter_cache) > FILTER_CACHE_SIZE:
            _filter_cache.popitem(last=False)
    return found


def filter_docs(searcher, index, filter_query):
    """The documents a filter allows, as a bit set cached per index state.

    Whoosh turns a filter query into a set of document numbers on every search,
    walking its postings: the content-type filter alone lists every document of
    the model (all 100,000 in the benchmark). Document numbers only change with a
    commit, so the set is kept per (generation folder, commit generation, filter)."""
    key = _filter_key(searcher, index, filter_query)
    if key is None:
        return filter_query
    return _filter_cached(key, lambda: internals.filter_documents(searcher, filter_query))


def filter_mask(searcher, index, filter_query):
    """The documents a filter allows, as a boolean array (for the vectorised
    scorer), cached like :func:`filter_docs`."""
    key = _filter_key(searcher, index, filter_query)

    def make():
        return arrays.docs_mask(internals.filter_documents(searcher, filter_query), searcher.doc_count_all())

    return _filter_cached(None if key is None else key + ("mask",), make)
