"""Relevance on a fixed Arabic and French corpus, scored with ir-measures.

The same queries run on modelsearch's database backend (SQLite FTS5 or
PostgreSQL, whichever the suite runs on) and the figures are printed side by
side (``pytest -s``); the assertions are on the Whoosh backend.
"""

import ir_measures
import pytest
from django.core.management import call_command
from ir_measures import R, nDCG
from modelsearch.backends import get_search_backend

from search.selectors import clean_query, parse_query
from tests.search.relevance_corpus import DOCS, QUERIES
from tests.search.testapp.models import RelevanceDoc

RECALL_AT_10 = 0.95
NDCG_AT_10 = 0.9


def ranked_keys(backend, text: str) -> list[str]:
    """Top ten document keys, all words first, any word if that finds nothing
    (what the search page does)."""
    for operator in ("and", "or"):
        query = parse_query(clean_query(text), operator=operator)
        if query is None:
            return []
        keys = [doc.key for doc in backend.search(query, RelevanceDoc)[:10]]
        if keys:
            return keys
    return []


def evaluate(backend) -> tuple[dict, dict]:
    qrels = [ir_measures.Qrel(qid, doc, grade) for qid, _, rel, _ in QUERIES for doc, grade in rel.items()]
    run = []
    per_query = {}
    for qid, text, _, _ in QUERIES:
        keys = ranked_keys(backend, text)
        per_query[qid] = keys
        run.extend(ir_measures.ScoredDoc(qid, key, float(10 - rank)) for rank, key in enumerate(keys))
    if not run:
        run = [ir_measures.ScoredDoc(QUERIES[0][0], "none", 0.0)]
    aggregate = ir_measures.calc_aggregate([R @ 10, nDCG @ 10], qrels, run)
    return aggregate, per_query


@pytest.fixture
def corpus(db, search_index_dir, settings):
    """The corpus indexed in a fresh Whoosh index and in modelsearch's database backend."""
    conf = dict(settings.WAGTAILSEARCH_BACKENDS)
    conf["database"] = {"BACKEND": "wagtail.search.backends.database"}
    settings.WAGTAILSEARCH_BACKENDS = conf
    settings.MODELSEARCH_BACKENDS = conf
    RelevanceDoc.objects.bulk_create(
        RelevanceDoc(key=key, title=title, body=body, language=key[:2]) for key, (title, body) in DOCS.items()
    )
    for name in ("default", "database"):
        call_command("update_index", backend_name=name, verbosity=0)


def test_relevance_set_size():
    """The set has at least 40 queries, Arabic and French, each with a relevant document in the corpus."""
    assert len(QUERIES) >= 40
    assert sum(1 for _, text, _, _ in QUERIES if any("\u0600" <= c <= "\u06ff" for c in text)) >= 25
    for _, _, rel, _ in QUERIES:
        assert rel and set(rel) <= set(DOCS)


def test_relevance_whoosh_against_database_backend(corpus, capsys):
    """Whoosh reaches recall@10 >= 0.95 and nDCG@10 >= 0.9 on the set; the
    database backend's figures are printed beside them."""
    ours, ours_runs = evaluate(get_search_backend("default"))
    theirs, theirs_runs = evaluate(get_search_backend("database"))
    with capsys.disabled():
        print()
        print(f"{'query':<6} {'text':<28} {'whoosh R@10':>12} {'database R@10':>14}  checks")
        for qid, text, rel, note in QUERIES:
            ours_hit = len(set(ours_runs[qid]) & set(rel)) / len(rel)
            theirs_hit = len(set(theirs_runs[qid]) & set(rel)) / len(rel)
            print(f"{qid:<6} {text[:28]:<28} {ours_hit:>12.2f} {theirs_hit:>14.2f}  {note}")
        print(f"{'all':<35} whoosh: R@10={ours[R @ 10]:.3f} nDCG@10={ours[nDCG @ 10]:.3f}")
        print(f"{'all':<35} database: R@10={theirs[R @ 10]:.3f} nDCG@10={theirs[nDCG @ 10]:.3f}")
    assert ours[R @ 10] >= RECALL_AT_10
    assert ours[nDCG @ 10] >= NDCG_AT_10
