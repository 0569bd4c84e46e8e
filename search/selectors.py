"""Reads for the search page and the header's autocomplete.

One search over every live, public page of the active language (modules,
lessons, archive entries... whatever content apps index), with facets from
:mod:`search.registry`, highlighted snippets and "did you mean" suggestions.
Everything here only reads the index.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from dataclasses import dataclass, field

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from modelsearch.backends import get_search_backend
from modelsearch.index import FilterField, get_indexed_models
from modelsearch.query import And, Or, Phrase, PlainText
from wagtail.models import Page
from whoosh import highlight as whighlight
from whoosh import query as wq
from whoosh import sorting

from search import analysis
from search.backends.whoosh import (
    IndexUnavailable,
    Mapping,
    WhooshSearchBackend,
    _mark_unhealthy,
    facet_counts,
)
from search.registry import Facet, registered_facets

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


def _backend() -> WhooshSearchBackend | None:
    backend = get_search_backend("default")
    return backend if isinstance(backend, WhooshSearchBackend) else None


def _facet_columns(facet: Facet) -> list[str]:
    """The ``__f`` keyword columns that hold a facet's field, over all models."""
    columns = []
    for model in get_indexed_models():
        if not issubclass(model, Page):
            continue
        mapping = Mapping(model)
        for search_field in model.get_search_fields():
            if isinstance(search_field, FilterField) and search_field.field_name == facet.field_name:
                column = mapping.column_name(search_field) + "__f"
                if column not in columns:
                    columns.append(column)
    return columns


def site_search(
    *,
    query: str,
    locale,
    selected: dict[str, list[str]] | None = None,
    sort: str = "relevance",
    page: int = 1,
    per_page: int = 20,
    base_queryset=None,
) -> SearchPage:
    """Search live, public pages of ``locale``; ``selected`` maps facet keys to
    chosen values. Falls back from "all words" to "any word" when nothing matches."""
    selected = selected or {}
    sort = sort if sort in SORTS else "relevance"
    page = max(1, page)
    facets = registered_facets()
    empty = SearchPage(query=query, hits=[], total=0, page=page, per_page=per_page, facets=[], sort=sort)
    if not query:
        return empty
    queryset = base_queryset if base_queryset is not None else Page.objects.live().public().filter(locale=locale)
    backend = _backend()
    if backend is None:
        return _generic_search(query, queryset, empty, sort, page, per_page)

    result = None
    for operator in ("and", "or"):
        search_query = parse_query(query, operator=operator)
        if search_query is None:
            return empty
        compiler = backend.query_compiler_class(queryset, search_query, order_by_relevance=True)
        compiler.check()
        try:
            result = _run(backend, compiler, facets, selected, sort, page, per_page)
        except IndexUnavailable as exc:
            logger.error("Search answered empty: %s", exc)
            _mark_unhealthy(exc)
            empty.index_unavailable = True
            return empty
        if result.total or operator == "or":
            break
    result.query = query
    result.sort = sort
    return result


def _generic_search(query, queryset, empty, sort, page, per_page) -> SearchPage:
    """Any other modelsearch backend (OpenSearch at scale): results, counts,
    sort and highlighted titles through modelsearch's API; no facets."""
    if sort == "date":
        queryset = queryset.order_by("-first_published_at")
    results = None
    for operator in ("and", "or"):
        search_query = parse_query(query, operator=operator)
        if search_query is None:
            return empty
        results = queryset.search(search_query, order_by_relevance=(sort != "date"))
        if results.count() or operator == "or":
            break
    terms = _highlight_terms(search_query)
    window = [p.specific for p in results[(page - 1) * per_page : page * per_page]]
    hits = [
        Hit(page=p, score=None, title_html=highlight_text(p.title, terms, whole=True),
            snippet_html=highlight_text(getattr(p, "search_description", "") or "", terms))
        for p in window
    ]
    return SearchPage(query=query, hits=hits, total=results.count(), page=page, per_page=per_page, facets=[], sort=sort)


def _run(backend, compiler, facets, selected, sort, page, per_page) -> SearchPage:
    index = backend.get_index_for_model(Page)
    text_query = compiler.get_query()
    base_filter = compiler.get_filter()
    facet_columns = {facet.key: _facet_columns(facet) for facet in facets}
    facet_filters = []
    for facet in facets:
        values = [v for v in selected.get(facet.key, []) if v]
        columns = facet_columns[facet.key]
        if values and columns:
            facet_filters.append(wq.Or([wq.Term(c, v) for c in columns for v in values]))
    full_filter = wq.And([base_filter, *facet_filters]) if facet_filters else base_filter

    searcher = index.searcher()
    with searcher:
        if text_query is wq.NullQuery or base_filter is wq.NullQuery:
            return SearchPage(query="", hits=[], total=0, page=page, per_page=per_page, facets=[])
        kwargs = {"filter": full_filter, "limit": page * per_page}
        if sort == "date":
            kwargs["sortedby"] = [
                sorting.FieldFacet("first_published_at__n", reverse=True),
                sorting.FieldFacet("pk_sort", reverse=True),
            ]
        results = searcher.search(text_query, **kwargs)
        total = len(results)
        window = list(results[(page - 1) * per_page : page * per_page])
        rows = [(hit["pk"], hit.score, hit.get("doc_title", ""), hit.get("doc_body", "")) for hit in window]

        # Facet counts: each facet counted with the other facets' choices applied,
        # so a visitor can widen a choice as well as narrow it.
        facet_results = []
        for facet in facets:
            columns = facet_columns[facet.key]
            if not columns:
                continue
            others = [
                wq.Or([wq.Term(c, v) for c in facet_columns[other.key] for v in selected.get(other.key, []) if v])
                for other in facets
                if other.key != facet.key and selected.get(other.key) and facet_columns[other.key]
            ]
            facet_filter = wq.And([base_filter, *others]) if others else base_filter
            docs = set(searcher.search(text_query, filter=facet_filter, limit=None, scored=False).docs())
            merged: dict[str | None, int] = {}
            for column in columns:
                for key, count in facet_counts(searcher, docs, column):
                    if key is not None:
                        merged[key] = merged.get(key, 0) + count
            chosen = set(selected.get(facet.key, []))
            if not merged:
                continue
            labels = facet.labels(merged.keys())
            values = [FacetValue(k, labels.get(k, k), c, k in chosen) for k, c in merged.items()]
            if facet.sort == "value":
                values.sort(key=lambda v: v.key, reverse=True)
            else:
                values.sort(key=lambda v: (-v.count, v.label))
            facet_results.append(FacetResult(facet, values[:MAX_FACET_VALUES]))

        suggestion = ""
        if total == 0:
            suggestion = did_you_mean(searcher, compiler)

    terms = _highlight_terms(compiler.query)
    pages = {str(p.pk): p for p in Page.objects.filter(pk__in=[r[0] for r in rows]).specific()}
    hits = []
    for pk, score, _title, body in rows:
        page_obj = pages.get(pk)
        if page_obj is None:
            continue
        hits.append(
            Hit(
                page=page_obj,
                score=score,
                title_html=highlight_text(page_obj.title, terms, whole=True),
                snippet_html=highlight_text(body, terms),
            )
        )
    return SearchPage(
        query="",
        hits=hits,
        total=total,
        page=page,
        per_page=per_page,
        facets=facet_results,
        suggestion=suggestion,
    )


def _query_texts(query) -> list[str]:
    if isinstance(query, (PlainText, Phrase)):
        return [query.query_string]
    out = []
    for sub in getattr(query, "subqueries", []):
        out.extend(_query_texts(sub))
    return out


def _highlight_terms(query) -> set[str]:
    terms = set()
    for text in _query_texts(query):
        terms.update(analysis.analyze(text, stemmed=True))
    return terms


class _MarkFormatter(whighlight.Formatter):
    """``<mark>`` around matched words; everything else escaped."""

    between = " … "

    def format_token(self, text, token, replace=False):
        return "<mark>" + escape(whighlight.get_text(text, token, replace)) + "</mark>"

    def _text(self, text):
        return escape(text)


def highlight_text(text: str, terms: set[str], *, whole: bool = False) -> SafeString:
    """``text`` with the words that match ``terms`` (stemmed, folded) in
    ``<mark>``; the slices come from the tokenizer's character offsets in the
    original text, so vowelled Arabic keeps its marks and its letters joined."""
    text = text or ""
    if not terms or not text:
        return mark_safe(escape(text[:300] if not whole else text))  # noqa: S308
    fragmenter = whighlight.WholeFragmenter() if whole else whighlight.ContextFragmenter(maxchars=240, surround=80)
    try:
        out = whighlight.highlight(
            text, terms, analysis.stem_analyzer(), fragmenter, _MarkFormatter(), top=2, minscore=1
        )
    except Exception:
        logger.exception("Highlighting failed")
        out = ""
    if not out:
        return mark_safe(escape(text[:300] if not whole else text))  # noqa: S308
    return mark_safe(out)  # noqa: S308


def did_you_mean(searcher, compiler) -> str:
    """A corrected query from the index's own vocabulary (the exact fields the
    query searched), or ""."""
    reader = searcher.reader()
    fieldnames = [name + "__x" for name, _ in compiler._text_groups() if name + "__x" in searcher.schema]
    if not fieldnames:
        return ""
    words = []
    changed = False
    for text in _query_texts(compiler.query):
        for word in analysis.analyze(text):
            if any(reader.doc_frequency(name, word) for name in fieldnames):
                words.append(word)
                continue
            candidates = {}
            for name in fieldnames:
                for found in reader.corrector(name).suggest(word, limit=1, maxdist=2):
                    candidates[found] = candidates.get(found, 0) + reader.doc_frequency(name, found)
            if candidates:
                changed = True
                words.append(max(candidates, key=candidates.get))
            else:
                words.append(word)
    return " ".join(words) if changed else ""


def autocomplete(*, query: str, locale, limit: int = 8) -> list[Page]:
    """Live, public pages of ``locale`` whose titles start with the typed words."""
    query = clean_query(query)
    if len(query) < 2 or not analysis.autocomplete_terms(query):
        return []
    queryset = Page.objects.live().public().filter(locale=locale)
    try:
        return list(queryset.autocomplete(query)[:limit])
    except IndexUnavailable:
        return []
