"""Reads for the search page and the header's autocomplete.

One search over every live, public page of the active language (modules,
lessons, archive entries... whatever content apps index), with facets from
:mod:`search.registry`, highlighted snippets and "did you mean" suggestions.
Everything here only reads the index.

The search page takes one path whatever the backend: modelsearch's API
(``queryset.search()``, slices, ``count()``) plus the few questions the page
asks of its results, which the Whoosh backend's results answer in the index
(``narrow``, ``facet_values``, ``stored_body``, ``suggestion``,
``index_unavailable``: see ``search.backends.whoosh.results``) and
:class:`ModelsearchResults` answers through modelsearch's API for any other
backend (OpenSearch at scale, the database backends).
"""

from __future__ import annotations

import logging
import re
import unicodedata
from dataclasses import dataclass, field
from typing import NamedTuple

from django.contrib.contenttypes.models import ContentType
from django.utils.safestring import SafeString
from modelsearch.backends import get_search_backend
from modelsearch.query import And, Or, Phrase, PlainText
from wagtail.documents import get_document_model
from wagtail.models import Page, ReferenceIndex

from search import analysis
from search.generic_results import ModelsearchResults
from search.models import DocumentText
from search.registry import Facet, registered_facets
from search.snippets import (
    SNIPPET_SCAN_CHARS,
    has_mark,
    highlight_terms,
    highlight_text,
    page_own_text,
    stored_snippet,
)

logger = logging.getLogger(__name__)

#: Longer queries are cut (a 5,000-character paste still gets a page).
MAX_QUERY_CHARS = 256
MAX_QUERY_TERMS = 16
MAX_FACET_VALUES = 12
SORTS = ("relevance", "date")

# Control characters, bidi marks and embeddings, zero-width characters, BOM.
_INVISIBLE_RE = re.compile("[\u0000-\u001f\u007f-\u009f\u061c\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]")
_PHRASE_RE = re.compile(r'"([^"]+)"')


def clean_query(raw: str | None) -> str:
    """The query as typed, made safe: NFC, no control or bidi characters, one
    space between words, cut to :data:`MAX_QUERY_CHARS`."""
    text = unicodedata.normalize("NFC", raw or "")
    text = _INVISIBLE_RE.sub(" ", text)
    return " ".join(text.split())[:MAX_QUERY_CHARS].strip()


def parse_query(text: str, *, operator: str = "and"):
    """A modelsearch query from what the user typed: ``"quoted words"`` are
    phrases, the rest are words; operators and odd quotes are plain text."""
    phrases = [p.strip() for p in _PHRASE_RE.findall(text) if analysis.analyze(p)]
    rest = _PHRASE_RE.sub(" ", text).replace('"', " ")
    words = [m.group(0) for m in analysis.WORD_RE.finditer(rest)][:MAX_QUERY_TERMS]
    parts = [Phrase(p) for p in phrases[:4]]
    if words and analysis.analyze(" ".join(words)):
        parts.append(PlainText(" ".join(words), operator=operator))
    if not parts:
        return None
    if len(parts) == 1:
        return parts[0]
    return And(parts) if operator == "and" else Or(parts)


@dataclass
class Hit:
    """One result: the specific page, its score and highlighted snippets."""

    page: Page
    score: float | None
    title_html: SafeString
    snippet_html: SafeString
    #: Set when the snippet comes from an attachment: the document's or recording's title.
    snippet_label: str = ""

    @property
    def isolated_label(self) -> str:
        """The label inside Unicode isolates (FSI…PDI): a French file name in an Arabic
        sentence (or the reverse) keeps its own direction and leaves the quotes in place."""
        return f"\u2068{self.snippet_label}\u2069" if self.snippet_label else ""


@dataclass
class FacetValue:
    key: str
    label: str
    count: int
    selected: bool


@dataclass
class FacetResult:
    facet: Facet
    values: list[FacetValue] = field(default_factory=list)


@dataclass
class SearchPage:
    """Everything the search template shows."""

    query: str
    hits: list[Hit]
    total: int
    page: int
    per_page: int
    facets: list[FacetResult]
    suggestion: str = ""
    index_unavailable: bool = False
    sort: str = "relevance"

    @property
    def num_pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    @property
    def has_previous(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.num_pages


#: Where the Whoosh results put each hit's score (``annotate_score``).
_SCORE = "search_score"


def site_search(
    *,
    query: str,
    locale,
    selected: dict[str, list[str]] | None = None,
    sort: str = "relevance",
    page: int = 1,
    per_page: int = 20,
    base_queryset=None,
    backend: str = "default",
) -> SearchPage:
    """Search live, public pages of ``locale`` (or ``base_queryset``) with the
    search backend ``backend``; ``selected`` maps facet keys to chosen values.
    Falls back from "all words" to "any word" when nothing matches."""
    selected = selected or {}
    sort = sort if sort in SORTS else "relevance"
    page = max(1, page)
    facets = registered_facets()
    empty = SearchPage(query=query, hits=[], total=0, page=page, per_page=per_page, facets=[], sort=sort)
    if not query:
        return empty
    queryset = base_queryset if base_queryset is not None else Page.objects.live().public().filter(locale=locale)
    if sort == "date":
        queryset = queryset.order_by("-first_published_at", "-id")
    search = _Search(queryset.specific(), backend, sort, _scope(locale, base_queryset))
    chosen = {facet.field_name: [v for v in selected.get(facet.key, []) if v] for facet in facets}
    for operator in ("and", "or"):
        search_query = parse_query(query, operator=operator)
        if search_query is None:
            return empty
        results = search.results(search_query)
        narrowed = results.narrow(chosen)
        total = narrowed.count()
        if narrowed.index_unavailable:
            empty.index_unavailable = True
            return empty
        if total or operator == "or":
            break
    terms = highlight_terms(search_query)
    hits = _hits(narrowed, terms, (page - 1) * per_page, page * per_page)
    facet_results = []
    for facet in facets:
        others = {f.field_name: chosen[f.field_name] for f in facets if f.key != facet.key}
        # Each facet is counted with the other facets' choices applied, so a
        # visitor can widen a choice as well as narrow it.
        merged = results.narrow(others).facet_values(facet.field_name)
        if merged:
            facet_results.append(_facet_result(facet, merged, selected))
    return SearchPage(
        query=query,
        hits=hits,
        total=total,
        page=page,
        per_page=per_page,
        facets=facet_results,
        suggestion="" if total else results.suggestion(),
        sort=sort,
    )


def _hits(results, terms: set[str], start: int, stop: int) -> list[Hit]:
    """The hits ``start:stop`` with highlighted titles and snippets."""
    hits = []
    for found in results[start:stop]:
        page = found.specific  # already specific: the queryset was
        body = results.stored_body(found)
        snippet, label = stored_snippet(page_own_text(page) if body is None else body, terms, title=page.title)
        hits.append(
            Hit(
                page=page,
                score=getattr(found, _SCORE, None),
                title_html=highlight_text(page.title, terms, whole=True),
                snippet_html=snippet,
                snippet_label=label,
            )
        )
    # Attachments past the stored body's 20,000 characters, or not stored: from the database.
    _attachment_snippets_from_database(hits, terms)
    return hits


class _Search:
    """Where the search page's results come from: the Whoosh backend's own
    results, or :class:`ModelsearchResults` for any other backend."""

    def __init__(self, queryset, backend: str, sort: str, scope):
        self.queryset = queryset
        self.backend = backend
        self.order_by_relevance = sort != "date"
        self.scope = scope

    def results(self, search_query):
        if hasattr(get_search_backend(self.backend).results_class, "narrow"):
            results = self.queryset.search(
                search_query, order_by_relevance=self.order_by_relevance, backend=self.backend
            )
            return results.annotate_score(_SCORE)
        return ModelsearchResults(self, search_query)


def _scope(locale, base_queryset):
    """The filter that makes any page model's queryset match the search's pages."""
    if base_queryset is not None:
        return lambda qs: qs.filter(pk__in=list(base_queryset.values_list("pk", flat=True)))
    return lambda qs: qs.live().public().filter(locale=locale)


def _facet_result(facet: Facet, merged: dict[str, int], selected: dict[str, list[str]]) -> FacetResult:
    chosen = set(selected.get(facet.key, []))
    labels = facet.labels(merged.keys())
    values = [FacetValue(k, labels.get(k, k), c, k in chosen) for k, c in merged.items()]
    if facet.sort == "value":
        values.sort(key=lambda v: v.key, reverse=True)
    else:
        values.sort(key=lambda v: (-v.count, v.label))
    return FacetResult(facet, values[:MAX_FACET_VALUES])


class AttachedText(NamedTuple):
    """A document's title and extracted text."""

    title: str
    text: str


def document_texts(document_ids) -> dict[int, AttachedText]:
    """Extracted text of the given Wagtail documents, by id, with their titles (one query).

    Documents without text (not extracted yet, unreadable, unknown type) are left out.
    Content apps build their pages' attachment text from this.
    """
    ids = {int(pk) for pk in document_ids if pk is not None and str(pk).isdigit()}
    if not ids:
        return {}
    rows = (
        DocumentText.objects.filter(document_id__in=ids)
        .exclude(text="")
        .values_list("document_id", "document__title", "text")
    )
    return {pk: AttachedText(title, text) for pk, title, text in rows}


def _attachment_snippets_from_database(hits: list[Hit], terms: set[str]) -> None:
    """For hits whose snippet shows no match, a labelled passage of an attached
    document's text, read from the database for all these hits at once (two queries:
    the reference index, then the documents' text)."""
    missing = [hit for hit in hits if terms and not has_mark(hit.snippet_html)]
    if not missing:
        return
    page_type = ContentType.objects.get_for_model(Page)
    document_type = ContentType.objects.get_for_model(get_document_model())
    pairs = (
        ReferenceIndex.objects.filter(
            base_content_type=page_type,
            object_id__in=[str(hit.page.pk) for hit in missing],
            to_content_type=document_type,
        )
        .values_list("object_id", "to_object_id")
        .distinct()
    )
    by_page: dict[str, list[str]] = {}
    for page_id, document_id in pairs:
        by_page.setdefault(page_id, []).append(document_id)
    texts = document_texts({d for ids in by_page.values() for d in ids})
    for hit in missing:
        for document_id in sorted(by_page.get(str(hit.page.pk), []), key=lambda d: int(d) if d.isdigit() else 0):
            attached = texts.get(int(document_id)) if document_id.isdigit() else None
            if attached is None:
                continue
            passage = highlight_text(attached.text, terms, charlimit=SNIPPET_SCAN_CHARS)
            if has_mark(passage):
                hit.snippet_html, hit.snippet_label = passage, attached.title
                break


def autocomplete(*, query: str, locale, limit: int = 8) -> list[Page]:
    """Live, public pages of ``locale`` whose titles start with the typed words."""
    query = clean_query(query)
    if len(query) < 2 or not analysis.autocomplete_terms(query):
        return []
    queryset = Page.objects.live().public().filter(locale=locale)
    return list(queryset.autocomplete(query)[:limit])
