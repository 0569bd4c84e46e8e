"""PostingListWriter writes the index Whoosh's own SegmentWriter writes."""

import datetime
import random

import pytest
from whoosh import analysis as wa
from whoosh import fields as wf
from whoosh.filedb.filestore import FileStorage
from whoosh.writing import SegmentWriter

from search import analysis
from search.backends.whoosh.posting_lists import PostingLists
from search.backends.whoosh.segments import PostingListWriter


class BoostWordsStartingWithB(wa.Filter):
    """Gives words starting with "b" a token boost: weights no longer equal frequencies."""

    def __eq__(self, other):
        return isinstance(other, BoostWordsStartingWithB)

    def __call__(self, tokens):
        for token in tokens:
            if token.text.startswith("b"):
                token.boost = 1.5
            yield token


def schema():
    return wf.Schema(
        key=wf.ID(stored=True, unique=True),
        pk_sort=wf.ID(sortable=True),
        ct=wf.KEYWORD(lowercase=False, commas=False),
        tags=wf.KEYWORD(scorable=True),
        body=wf.TEXT(analyzer=analysis.stem_analyzer(), phrase=False),
        body__x=wf.TEXT(analyzer=analysis.exact_analyzer(), phrase=True),
        ac=wf.TEXT(analyzer=analysis.autocomplete_analyzer(), phrase=False),
        boosted=wf.TEXT(field_boost=2.0, phrase=False),
        tokenboost=wf.TEXT(field_boost=2.0, analyzer=wa.RegexTokenizer() | BoostWordsStartingWithB()),
        tokenboost_freq=wf.TEXT(phrase=False, analyzer=wa.RegexTokenizer() | BoostWordsStartingWithB()),
        chars=wf.TEXT(chars=True),
        n=wf.NUMERIC(numtype=int, bits=64, signed=True, sortable=True),
        nums=wf.NUMERIC(numtype=int),
        d=wf.DATETIME(sortable=True),
        flag=wf.BOOLEAN(),
        doc_body=wf.STORED(),
    )


WORDS = [
    "le",
    "la",
    "formation",
    "des",
    "élus",
    "communes",
    "تكوين",
    "الجماعة",
    "المنتخبين",
    "مراكش",
    "باب",
    "ورشة",
    "ـــ",
    "b1",
    "b2",
    "bravo",
]


def documents(count=400, seed=3):
    """Documents in every shape the writer meets: pre-analysed term lists (and, for
    a text with a tatweel gap, the text itself), plain strings, numbers, dates."""
    rng = random.Random(seed)
    docs = []
    for i in range(count):
        body = " ".join(rng.choice(WORDS) for _ in range(rng.randint(1, 300)))
        exact, stemmed = analysis.index_terms(body)
        docs.append(
            {
                "key": f"k{i}",
                "pk_sort": f"{i:020d}",
                "ct": "a b" if i % 3 else "a",
                "tags": [rng.choice(["x", "y", "z"]) for _ in range(rng.randint(0, 4))],
                "body": stemmed if i % 5 else body,
                "body__x": exact if exact is not None else body,
                "ac": analysis.autocomplete_index_terms(body[:60]),
                # Strings and term lists in the same field, across documents.
                "boosted": body[:80] if i % 2 else body[:80].split(),
                "tokenboost": body[:200] if i % 4 else body[:200].split(),
                "tokenboost_freq": body[:200] if i % 4 else body[:200].split(),
                "chars": body[:50],
                "n": i * 7 - 50,
                "nums": [i, i + 1],
                "d": datetime.datetime(2020, 1, 1) + datetime.timedelta(days=i),
                "flag": bool(i % 2),
                "doc_body": body[:100],
            }
        )
    return docs


def reader_view(path):
    """Everything a reader can see: per term, its statistics and each posting with
    the statistics of its block; per document, stored fields and field lengths;
    the sortable columns."""
    ix = FileStorage(str(path)).open_index()
    with ix.reader() as reader:
        terms = {}
        for fieldname, tbytes in reader.all_terms():
            info = reader.term_info(fieldname, tbytes)
            stats = (
                info.weight(),
                info.doc_frequency(),
                info.min_length(),
                info.max_length(),
                info.max_weight(),
                info.min_id(),
                info.max_id(),
            )
            matcher = reader.postings(fieldname, tbytes)
            postings = []
            while matcher.is_active():
                block = (
                    matcher.block_min_id(),
                    matcher.block_max_id(),
                    matcher.block_min_length(),
                    matcher.block_max_length(),
                    matcher.block_max_weight(),
                )
                postings.append((matcher.id(), matcher.weight(), matcher.value(), block))
                matcher.next()
            terms[(fieldname, tbytes)] = (stats, postings)
        names = reader.schema.names()
        docs = [
            (reader.stored_fields(d), [reader.doc_field_length(d, name) for name in names])
            for d in range(reader.doc_count_all())
        ]
        columns = {
            name: list(reader.column_reader(name))
            for name in names
            if reader.schema[name].column_type and reader.has_column(name)
        }
        return terms, docs, columns, reader.doc_count(), [reader.field_length(n) for n in names]


def build(path, writer_class, batches, **kwargs):
    """One writer and commit per batch: (documents, commit keyword arguments)."""
    path.mkdir()
    ix = FileStorage(str(path)).create_index(schema())
    for docs, commit in batches:
        writer = writer_class(ix, **kwargs)
        for doc in docs:
            writer.update_document(**doc)
        writer.commit(**commit)
    return path


def assert_same_index(tmp_path, batches, **kwargs):
    whoosh = reader_view(build(tmp_path / "whoosh", SegmentWriter, batches))
    ours = reader_view(build(tmp_path / "ours", PostingListWriter, batches, **kwargs))
    assert ours[0].keys() == whoosh[0].keys()
    for key in whoosh[0]:
        assert ours[0][key] == whoosh[0][key], key
    assert ours[1:] == whoosh[1:]


def test_one_segment_is_the_same_for_the_reader(tmp_path):
    """Term statistics, postings (ids, weights, values), block statistics, stored
    fields, field lengths and columns equal SegmentWriter's, for every field type."""
    assert_same_index(tmp_path, [(documents(), {"merge": False})])


def test_spilled_runs_give_the_same_index(tmp_path):
    """Lists spilled to disk past limitmb and merged back at commit give the same index."""
    assert_same_index(tmp_path, [(documents(), {"merge": False})], limitmb=0.05)


def test_merging_commit_and_updates_give_the_same_index(tmp_path):
    """A second writer that replaces committed documents and merges the segments
    (its lists join Whoosh's pool) gives the same index."""
    docs = documents()
    updates = [dict(doc, doc_body="updated") for doc in docs[:50]]
    assert_same_index(
        tmp_path,
        [(docs[:300], {"merge": False}), (docs[300:] + updates, {"optimize": True})],
    )


def test_documents_with_whoosh_only_arguments_go_through_whoosh(tmp_path):
    """A ``_boost`` argument or a field with term vectors takes SegmentWriter's
    own path for that document; the segment is still the same."""
    docs = documents(60)
    docs[5] = dict(docs[5], _boost=2.0)
    docs[9] = dict(docs[9], _stored_doc_body="other")
    assert_same_index(tmp_path, [(docs, {"merge": False})])


def test_spill_runs_are_removed_on_commit_and_cancel(tmp_path):
    """Spilled runs are temporary files closed when the writer commits or cancels."""
    for finish in ("commit", "cancel"):
        path = tmp_path / finish
        path.mkdir()
        ix = FileStorage(str(path)).create_index(schema())
        writer = PostingListWriter(ix, limitmb=0.05)
        for doc in documents(100):
            writer.add_document(**doc)
        runs = list(writer.lists.runs)
        assert runs
        getattr(writer, finish)()
        assert all(run.closed for run in runs)
        assert writer.lists.runs == []


def test_a_rejected_document_leaves_no_postings(tmp_path):
    """A value Whoosh refuses (ValueError) adds nothing: the next document takes
    its number and the index holds only the accepted documents."""
    path = tmp_path / "ix"
    path.mkdir()
    ix = FileStorage(str(path)).create_index(schema())
    writer = PostingListWriter(ix)
    writer.add_document(key="a", body=["un"], n=1)
    with pytest.raises(ValueError):
        writer.add_document(key="b", body=["deux"], n="not a number")
    writer.add_document(key="c", body=["trois"], n=3)
    writer.commit()
    with ix.searcher() as searcher:
        assert sorted(searcher.lexicon("body")) == [b"trois", b"un"]
        assert [fields["key"] for fields in searcher.all_stored_fields()] == ["a", "c"]


def test_posting_lists_merge_runs_in_document_order(tmp_path):
    """A term spread over spilled runs and memory comes back as one list in
    document order, with derived weights and values expanded where one part
    kept them explicitly."""
    from whoosh import formats

    fmt = formats.Frequency()
    lists = PostingLists(limit=10**9, tempdir=str(tmp_path))
    lists.add_counts("f", fmt, 0, {"a": 2, "b": 1})
    lists.spill()
    lists.add_postings("f", fmt, 1, [(b"a", 1, 3.0, b"\x00\x00\x00\x01")])  # weight != freq
    lists.spill()
    lists.add_counts("f", fmt, 2, {"a": 1})
    postings = list(lists.iter_postings())
    assert postings == [
        ("f", b"a", 0, 2.0, b"\x00\x00\x00\x02"),
        ("f", b"a", 1, 3.0, b"\x00\x00\x00\x01"),
        ("f", b"a", 2, 1.0, b"\x00\x00\x00\x01"),
        ("f", b"b", 0, 1.0, b"\x00\x00\x00\x01"),
    ]
    lists.cleanup()
