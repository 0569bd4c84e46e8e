"""The vectorised scorer (search/backends/whoosh/scoring.py) answers exactly what
Whoosh's own collector answers: the same documents, scores, order, counts and
facet counts, on an index with several segments and deleted documents."""

import random

import numpy as np
import pytest
from modelsearch.backends import get_search_backend
from modelsearch.query import Boost, MatchAll, Not, Phrase, PlainText

from search.analysis import WORD_RE
from search.backends.whoosh import arrays, scoring
from search.backends.whoosh.execution import column_order, filter_docs, query_hits, query_mask
from tests.search.relevance_corpus import DOCS, QUERIES
from tests.search.testapp.models import RelevanceDoc

pytestmark = pytest.mark.django_db


def _words():
    words = {"ar": set(), "fr": set()}
    for key, (title, body) in DOCS.items():
        words[key[:2]].update(m.group(0) for m in WORD_RE.finditer(f"{title} {body}"))
    return {lang: sorted(found) for lang, found in words.items()}


@pytest.fixture
def index(search_index_dir):
    """The relevance corpus plus 240 generated records, written in three commits
    (three segments), then some records updated and one deleted (deletions in
    the older segments)."""
    rng = random.Random(5)
    words = _words()
    records = [RelevanceDoc(key=key, title=t, body=b, language=key[:2]) for key, (t, b) in DOCS.items()]
    for i in range(240):
        lang = "ar" if i % 3 else "fr"
        records.append(
            RelevanceDoc(
                key=f"g{i}",
                title=" ".join(rng.choices(words[lang], k=rng.randint(3, 8))),
                body=" ".join(rng.choices(words[lang], k=rng.randint(10, 60))),
                language=lang,
            )
        )
    RelevanceDoc.objects.bulk_create(records)
    backend = get_search_backend("default")
    live = backend.get_index_for_model(RelevanceDoc)
    live.add_model(RelevanceDoc)
    objects = list(RelevanceDoc.objects.order_by("pk"))
    for start in range(0, len(objects), 100):
        live.add_items(RelevanceDoc, objects[start : start + 100])
    changed = objects[::17]
    for obj in changed:
        obj.body += " " + " ".join(rng.choices(words[obj.language], k=5))
        obj.save()
    live.add_items(RelevanceDoc, changed)
    gone = objects[3]
    backend.delete(gone)
    live.delete_item(gone)
    scoring.clear_cache()
    with live.searcher() as searcher:
        leaves = searcher.reader().leaf_readers()
        assert len(leaves) > 1 and any(leaf.has_deletions() for leaf, _ in leaves), "the fixture must cover both"
    return backend, live


def _queries(backend):
    """Compiled (text query, filter) pairs of many shapes, for both operators."""
    words = _words()
    rng = random.Random(9)
    texts = [text for _, text, _, _ in QUERIES]
    texts += [" ".join(rng.sample(words["ar" if i % 2 else "fr"], rng.randint(1, 3))) for i in range(40)]
    out = []
    for text in texts:
        for operator in ("or", "and"):
            out.append(backend.search(PlainText(text, operator=operator), RelevanceDoc))
        out.append(backend.search(text, RelevanceDoc.objects.filter(language="ar")))
        out.append(backend.search(text, RelevanceDoc, fields=["title"]))
        out.append(backend.autocomplete(text[:3], RelevanceDoc))
        out.append(backend.search(text, RelevanceDoc.objects.order_by("-key"), order_by_relevance=False))
    out.append(backend.search(Boost(PlainText(texts[0]), 3) | PlainText(texts[5]), RelevanceDoc))
    out.append(backend.search(MatchAll(), RelevanceDoc.objects.filter(language="fr")))
    out.append(backend.search(Not(PlainText(texts[0])), RelevanceDoc))
    out.append(backend.search(MatchAll(), RelevanceDoc.objects.order_by("language", "-key"), order_by_relevance=False))
    out.append(backend.search(MatchAll(), RelevanceDoc, order_by_relevance=False))
    compiled = []
    for results in out:
        compiler = results.query_compiler
        compiled.append((compiler.get_query(), compiler.get_filter(), compiler.get_sortedby()))
    return compiled


def _whoosh(searcher, live, query, filter_query, sortedby=None):
    kwargs = {"sortedby": sortedby} if sortedby is not None else {}
    hits = searcher.search(query, filter=filter_docs(searcher, live, filter_query), limit=None, **kwargs)
    return [(hit.docnum, hit.score) for hit in hits]


def test_same_hits_scores_and_order_as_whoosh(index):
    """For every query shape the backend compiles to terms, Or, And, AndNot or
    Every, the vectorised ranking lists Whoosh's hits in Whoosh's order, with
    the same scores; ordered by fields, in the order of Whoosh's sorting collector."""
    backend, live = index
    checked = sorted_checked = 0
    with live.searcher() as searcher:
        for query, filter_query, sortedby in _queries(backend):
            # Both parts run vectorised (otherwise query_hits would compare Whoosh with itself).
            assert scoring.compile_plan(query) is not None, query
            assert column_order(searcher, sortedby) is not None, sortedby
            expected = _whoosh(searcher, live, query, filter_query, sortedby)
            hits, total = query_hits(searcher, live, query, filter_query, sortedby=sortedby)
            assert total == len(expected), query
            assert [doc for doc, _ in hits] == [doc for doc, _ in expected], (query, sortedby)
            if sortedby is None:
                assert np.allclose([s for _, s in hits], [s for _, s in expected], rtol=1e-9, atol=0), query
                checked += bool(expected)
            else:
                sorted_checked += bool(expected)
    assert checked > 150 and sorted_checked > 40


def test_pages_of_hits_are_slices_of_the_full_ranking(index):
    """A page (start, stop) equals the same slice of the full ranking, ties
    included, and the total does not depend on the page."""
    backend, live = index
    with live.searcher() as searcher:
        for query, filter_query, sortedby in _queries(backend)[:60]:
            full, total = query_hits(searcher, live, query, filter_query, sortedby=sortedby)
            for start, stop in ((0, 10), (10, 20), (3, 7)):
                page, page_total = query_hits(
                    searcher, live, query, filter_query, start=start, stop=stop, sortedby=sortedby
                )
                assert page == full[start:stop]
                assert page_total == total


def test_counts_and_facets_equal_whooshs(index):
    """The matched-documents mask has Whoosh's count, and facet counts equal
    those counted from Whoosh's own postings of the matched documents."""
    backend, live = index
    with live.searcher() as searcher:
        reader = searcher.reader()
        for query, filter_query, _ in _queries(backend)[:80]:
            matched = {doc for doc, _ in _whoosh(searcher, live, query, filter_query)}
            mask = query_mask(searcher, live, query, filter_query)
            assert set(np.flatnonzero(mask).tolist()) == matched
            expected = {}
            for term in reader.lexicon("language__f"):
                count = len(matched & set(reader.postings("language__f", term).all_ids()))
                if count:
                    expected[term.decode()] = count
            assert dict(scoring.facet_counts(searcher, mask, "language__f")) == expected


def test_postings_read_by_block_equal_whooshs_matcher(index):
    """Every posting list read a block at a time gives Whoosh's document
    numbers and weights (deleted documents masked out)."""
    _, live = index
    compared = 0
    with live.searcher() as searcher:
        for leaf, _ in searcher.reader().leaf_readers():
            deleted = leaf.deleted_docs_set
            for fieldname in ("c_body", "c_body__x", "c_title", "ac", "language__f"):
                for term in leaf.lexicon(fieldname):
                    matcher = leaf.postings(fieldname, term)
                    expected = []
                    while matcher.is_active():
                        expected.append((matcher.id(), matcher.weight()))
                        matcher.next()
                    ids, weights = arrays.postings(leaf, fieldname, term)
                    got = [(i, w) for i, w in zip(ids.tolist(), weights.tolist(), strict=True) if i not in deleted]
                    assert got == expected, (fieldname, term)
                    compared += 1
    assert compared > 1000


def test_other_shapes_run_through_whoosh(index):
    """Phrases and fuzzy queries have no plan; they still give results through
    the backend (Whoosh's collector)."""
    backend, _ = index
    results = backend.search(Phrase("الصفقات العمومية"), RelevanceDoc)
    assert scoring.compile_plan(results.query_compiler.get_query()) is None
    assert "ar03" in [doc.key for doc in results]
    assert results.count() >= 1


def test_a_tiny_cache_gives_the_same_answers(index, settings):
    """With room for almost nothing in the array cache, answers do not change."""
    backend, live = index
    queries = _queries(backend)[:30]
    with live.searcher() as searcher:
        before = [query_hits(searcher, live, q, f, stop=10, sortedby=o) for q, f, o in queries]
    settings.SEARCH_CACHE_MB = 0.01
    scoring.clear_cache()
    with live.searcher() as searcher:
        after = [query_hits(searcher, live, q, f, stop=10, sortedby=o) for q, f, o in queries]
    assert after == before
