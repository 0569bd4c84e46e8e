"""Writing documents: the writer every write uses, pre-analysis, and a rebuild's held writer.

Every writer is a :class:`.segments.PostingListWriter`, which gathers postings
per term and writes the segment Whoosh's own writer would. Texts are analysed
once per document for their exact and stemmed fields (:class:`PreAnalysis`).
Writers wait for the index's lock (``SEARCH_WRITER_TIMEOUT`` seconds) rather
than fail: Whoosh allows one writer at a time.
"""

from __future__ import annotations

from django.conf import settings
from whoosh import fields as wf

from search import analysis
from search.backends.whoosh.schema import field_for_new_column
from search.backends.whoosh.segments import PostingListWriter


def open_writer(ix, limitmb: int = 128) -> PostingListWriter:
    """A writer on the Whoosh index ``ix``, waiting for its lock if another holds it."""
    return PostingListWriter(ix, timeout=getattr(settings, "SEARCH_WRITER_TIMEOUT", 60.0), delay=0.05, limitmb=limitmb)


def add_documents(writer, documents: list[dict]) -> None:
    """Add or replace ``documents`` (mapped, see :mod:`.mapping`) through ``writer``."""
    analyzed = PreAnalysis(writer.schema)
    for doc in documents:
        for name in doc:
            if name not in writer.schema:
                # A model or field added since the last rebuild.
                writer.add_field(name, field_for_new_column(name))
        writer.update_document(**analyzed.document(doc))


class BatchWriter:
    """The writer of a rebuild's new generation, held for the whole rebuild.

    A commit per chunk of 1,000 writes a segment per chunk, and Whoosh's merge
    policy then rewrites small segments again and again (merging is the slowest
    path in whoosh3: it looks up each posting's field length through a file-exists
    check). One writer held open gathers its postings per term (spilling sorted
    runs to disk past ``SEARCH_REBUILD_LIMITMB``, see
    :class:`.posting_lists.PostingLists`) and writes one segment, which is also
    the fastest layout to search. Live writes meanwhile go to the rebuild's
    :class:`.markers.Journal` instead of waiting for this writer's lock.

    (Whoosh's multiprocessing writer was measured too: on this 2-core machine its
    sub-processes plus the merge of their segments made a rebuild slower.)"""

    def __init__(self, index):
        #: The generation's :class:`.index.WhooshIndex`.
        self.index = index
        self.limitmb = int(getattr(settings, "SEARCH_REBUILD_LIMITMB", 256))
        self.writer = None

    def write(self, documents: list[dict]) -> None:
        if self.writer is None:
            self.writer = open_writer(self.index.open_for_writing(), limitmb=self.limitmb)
        try:
            add_documents(self.writer, documents)
        except Exception:
            self.cancel()
            raise

    def commit(self) -> None:
        if self.writer is not None:
            writer, self.writer = self.writer, None
            writer.commit(merge=False)

    def cancel(self) -> None:
        if self.writer is not None:
            writer, self.writer = self.writer, None
            writer.cancel()


class PreAnalysis:
    """Turns a document's texts into the term lists its fields' analyzers would give,
    analysing each text once for its exact and stemmed fields (see
    :func:`search.analysis.index_terms`). Only fields whose analyzer is one of ours,
    unchanged, are pre-analysed; any other field gets its text as before."""

    def __init__(self, schema: wf.Schema):
        self.schema = schema
        self.kinds: dict[str, str | None] = {}
        self.known = {
            "exact": analysis.exact_analyzer(),
            "stem": analysis.stem_analyzer(),
            "ac": analysis.autocomplete_analyzer(),
        }

    def kind(self, name: str) -> str | None:
        try:
            return self.kinds[name]
        except KeyError:
            pass
        kind = None
        try:
            field = self.schema[name]
        except KeyError:
            field = None
        analyzer = getattr(field, "analyzer", None)
        if isinstance(field, wf.TEXT) and analyzer is not None:
            for label, known in self.known.items():
                if analyzer == known:
                    kind = label
                    break
        self.kinds[name] = kind
        return kind

    def document(self, doc: dict) -> dict:
        out = {}
        terms: dict[str, tuple] = {}
        grams: dict[str, list[str]] = {}
        for name, value in doc.items():
            kind = self.kind(name) if isinstance(value, str) else None
            if kind is None:
                out[name] = value
            elif kind == "ac":
                if value not in grams:
                    grams[value] = analysis.autocomplete_index_terms(value)
                out[name] = grams[value]
            else:
                if value not in terms:
                    terms[value] = analysis.index_terms(value)
                exact, stemmed = terms[value]
                if kind == "stem":
                    out[name] = stemmed
                else:
                    # None: a gap in the positions; the field analyses the text.
                    out[name] = value if exact is None else exact
        return out
