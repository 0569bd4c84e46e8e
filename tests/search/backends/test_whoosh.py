"""The Whoosh backend's writer side: which fields a document gets, and rebuilds
that write the index Whoosh's own writer would."""

import pytest
from django.core.management import call_command
from modelsearch.backends import get_search_backend
from modelsearch.query import MATCH_ALL
from modelsearch.test.testapp.models import Book
from wagtail.models import Page
from whoosh.filedb.filestore import FileStorage
from whoosh.writing import SegmentWriter

from search.backends.whoosh.mapping import Mapping, full_schema
from search.backends.whoosh.schema import SortKey
from search.backends.whoosh.writing import PreAnalysis
from tests.search.backends.test_segments import reader_view
from tests.search.relevance_corpus import DOCS
from tests.search.testapp.models import RelevanceDoc

pytestmark = pytest.mark.django_db


@pytest.fixture
def corpus(search_index_dir):
    """The relevance corpus, indexed by a rebuild (update_index)."""
    RelevanceDoc.objects.bulk_create(
        RelevanceDoc(key=key, title=title, body=body, language=key[:2]) for key, (title, body) in DOCS.items()
    )
    call_command("update_index", verbosity=0)
    return search_index_dir


def test_a_single_top_level_autocomplete_field_is_written_to_ac_only():
    """Where every model of a tree has one top-level autocomplete field and no
    other (pages, the relevance documents), its grams go to ``ac`` alone; a model
    with related autocomplete fields (modelsearch's Book) keeps ``<column>__ac``."""
    assert Mapping(RelevanceDoc).shared_autocomplete_column() == "title"
    assert Mapping(Page).shared_autocomplete_column() == "title"
    assert Mapping(Book).shared_autocomplete_column() is None

    doc = Mapping(RelevanceDoc).document(RelevanceDoc(pk=1, key="k", title="Formation des élus", body="b"))
    assert doc["ac"] == "Formation des élus"
    assert "title__ac" not in doc
    assert "title__ac" not in Mapping(RelevanceDoc).schema_fields()
    assert "title__ac" in Mapping(Book).schema_fields()


def test_autocomplete_on_the_shared_field_finds_what_ac_finds(corpus):
    """``autocomplete(fields=["title"])`` searches ``ac`` where the title is all
    of it: the same documents, in the same order, as without ``fields``."""
    backend = get_search_backend("default")
    for text in ("تكو", "forma", "الجما"):
        plain = [doc.key for doc in backend.autocomplete(text, RelevanceDoc)]
        on_title = [doc.key for doc in backend.autocomplete(text, RelevanceDoc, fields=["title"])]
        assert plain, text
        assert on_title == plain


def test_string_sort_keys_are_columns_and_ranges_read_the_keywords(corpus):
    """``pk_sort`` and a string filter field's ``__n`` are sort columns with no
    terms; a range on the string reads ``__f``; ordering reads the column."""
    backend = get_search_backend("default")
    index = backend.get_index_for_model(RelevanceDoc)
    with index.searcher() as searcher:
        reader = searcher.reader()
        assert isinstance(searcher.schema["pk_sort"], SortKey)
        indexed = set(reader.indexed_field_names())
        assert "pk_sort" not in indexed and "key__n" not in indexed
        assert "key__f" in indexed
        assert reader.has_column("pk_sort") and reader.has_column("key__n")

    keys = sorted(DOCS)
    low, high = keys[3], keys[9]
    found = backend.search(
        MATCH_ALL,
        RelevanceDoc.objects.filter(key__gte=low, key__lt=high).order_by("-key"),
        order_by_relevance=False,
    )
    assert [doc.key for doc in found] == sorted((k for k in keys if low <= k < high), reverse=True)
    newest_first = backend.search(MATCH_ALL, RelevanceDoc.objects.all(), order_by_relevance=False)
    assert [doc.pk for doc in newest_first] == sorted(RelevanceDoc.objects.values_list("pk", flat=True), reverse=True)


def test_a_rebuild_writes_the_index_whooshs_own_writer_writes(search_index_dir, tmp_path):
    """A rebuild (one writer held over chunks of add_items, as update_index runs
    it) writes a generation equal, for the reader, to one written by Whoosh's
    SegmentWriter from the same documents (through the same pre-analysis)."""
    RelevanceDoc.objects.bulk_create(
        RelevanceDoc(key=key, title=title, body=body, language=key[:2]) for key, (title, body) in DOCS.items()
    )
    backend = get_search_backend("default")
    rebuilder = backend.rebuilder_class(backend.get_index_for_model(RelevanceDoc))
    index = rebuilder.start()
    index.add_model(RelevanceDoc)
    objects = list(RelevanceDoc.objects.order_by("pk"))
    for start in range(0, len(objects), 7):
        index.add_items(RelevanceDoc, objects[start : start + 7])
    rebuilder.finish()
    rebuilt = index.generation_dir()

    path = tmp_path / "whoosh"
    path.mkdir()
    ix = FileStorage(str(path)).create_index(full_schema())
    writer = SegmentWriter(ix)
    mapping = Mapping(RelevanceDoc)
    analysed = PreAnalysis(writer.schema)
    for obj in RelevanceDoc.objects.order_by("pk"):
        writer.add_document(**analysed.document(mapping.document(obj)))
    writer.commit(merge=False)

    assert reader_view(rebuilt) == reader_view(path)
