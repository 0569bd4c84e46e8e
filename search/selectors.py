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
from typing import NamedTuple

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldError
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from modelsearch.backends import get_search_backend
from modelsearch.backends.base import FilterFieldError
from modelsearch.index import FilterField, SearchField, get_indexed_models
from modelsearch.query import And, Or, Phrase, PlainText
from wagtail.documents import get_document_model
from wagtail.models import Page, ReferenceIndex
from whoosh import highlight as whighlight
from whoosh import query as wq
from whoosh import sorting

from search import analysis
from search.attachments import ATTACHMENT_FIELD, split_body
from search.backends.scoring import facet_counts
from search.backends.whoosh import (
    IndexUnavailable,
    Mapping,
    WhooshSearchBackend,
    _mark_unhealthy,
    query_hits,
    query_mask,
)
from search.models import DocumentText
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
        scope = _scope(locale, base_queryset)
        return _generic_search(
            query, queryset, empty, sort, page, per_page, facets=facets, selected=selected, scope=scope
        )

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


def _scope(locale, base_queryset):
    """The filter that makes any page model's queryset match the search's pages."""
    if base_queryset is not None:
        return lambda qs: qs.filter(pk__in=list(base_queryset.values_list("pk", flat=True)))
    return lambda qs: qs.live().public().filter(locale=locale)


def _facet_models(facet: Facet) -> list[type[Page]]:
    """Page models that declare the facet's field as a ``FilterField`` (Page itself first)."""
    models = []
    for model in get_indexed_models():
        if not issubclass(model, Page):
            continue
        if any(isinstance(f, FilterField) and f.field_name == facet.field_name for f in model.get_search_fields()):
            models.append(model)
    # A field every page has (content_type) is counted once, on Page.
    if Page in models:
        return [Page]
    # Count each page once: drop models whose parent model already declares the field.
    return [m for m in models if not any(o is not m and issubclass(m, o) for o in models)]


def _generic_filter(queryset, facet: Facet, values: list[str], models: list[type[Page]]):
    """``queryset`` narrowed to pages whose facet field has one of ``values``."""
    if models == [Page]:
        return queryset.filter(**{f"{facet.field_name}__in": values})
    ids: list[int] = []
    for model in models:
        try:
            ids.extend(model.objects.filter(**{f"{facet.field_name}__in": values}).values_list("pk", flat=True))
        except (FieldError, ValueError, TypeError):
            # A property (start_year) is indexed but the database cannot filter on it.
            logger.info("Facet %s cannot filter through the ORM on %s", facet.key, model.__name__)
            return queryset
    return queryset.filter(pk__in=ids)


def _generic_search(
    query, queryset, empty, sort, page, per_page, *, facets=(), selected=None, scope=None, backend="default"
) -> SearchPage:
    """Any other modelsearch backend (OpenSearch at scale): results, counts, sort,
    facets (``results.facet()``) and highlighted titles and snippets through modelsearch's API.

    A facet whose field is a property (no database column) is counted where the
    backend indexes it (OpenSearch) and left out where it cannot be (database backends).
    """
    selected = selected or {}
    facet_models = {facet.key: _facet_models(facet) for facet in facets}

    def narrowed(qs, skip=None):
        for facet in facets:
            values = [v for v in selected.get(facet.key, []) if v]
            if facet.key != skip and values and facet_models[facet.key]:
                qs = _generic_filter(qs, facet, values, facet_models[facet.key])
        return qs

    filtered = narrowed(queryset)
    if sort == "date":
        filtered = filtered.order_by("-first_published_at")
    results = None
    search_query = None
    for operator in ("and", "or"):
        search_query = parse_query(query, operator=operator)
        if search_query is None:
            return empty
        results = filtered.search(search_query, order_by_relevance=(sort != "date"), backend=backend)
        if results.count() or operator == "or":
            break
    total = results.count()
    terms = _highlight_terms(search_query)
    window = [p.specific for p in results[(page - 1) * per_page : page * per_page]]
    hits = [
        Hit(
            page=p,
            score=None,
            title_html=highlight_text(p.title, terms, whole=True),
            snippet_html=highlight_text(_page_own_text(p), terms),
        )
        for p in window
    ]
    _attachment_snippets_from_database(hits, terms)

    facet_results = []
    scope = scope or (lambda qs: qs.live().public())
    for facet in facets:
        models = facet_models[facet.key]
        if not models or not total:
            continue
        merged: dict[str, int] = {}
        try:
            for model in models:
                base = queryset if model is Page else scope(model.objects.all())
                facet_qs = narrowed(base, skip=facet.key)
                # Backends facet by attribute name (content_type_id for a foreign key).
                attname = next(
                    f.get_attname(model)
                    for f in model.get_filterable_search_fields()
                    if f.field_name == facet.field_name
                )
                counts = facet_qs.search(search_query, order_by_relevance=False, backend=backend).facet(attname)
                for key, count in counts.items():
                    if key is not None and key != "" and count:
                        merged[str(key)] = merged.get(str(key), 0) + count
        except (FieldError, FilterFieldError, ValueError, TypeError, NotImplementedError) as exc:
            logger.info("Facet %s not available on this backend: %s", facet.key, exc)
            continue
        if merged:
            facet_results.append(_facet_result(facet, merged, selected))
    return SearchPage(
        query=query, hits=hits, total=total, page=page, per_page=per_page, facets=facet_results, sort=sort
    )


def _facet_result(facet: Facet, merged: dict[str, int], selected: dict[str, list[str]]) -> FacetResult:
    chosen = set(selected.get(facet.key, []))
    labels = facet.labels(merged.keys())
    values = [FacetValue(k, labels.get(k, k), c, k in chosen) for k, c in merged.items()]
    if facet.sort == "value":
        values.sort(key=lambda v: v.key, reverse=True)
    else:
        values.sort(key=lambda v: (-v.count, v.label))
    return FacetResult(facet, values[:MAX_FACET_VALUES])


def _page_own_text(page) -> str:
    """The page's own searchable text (not its attachments), for snippets when the
    backend keeps no stored body (OpenSearch, database backends)."""
    texts = []
    for search_field in page.get_search_fields():
        if not isinstance(search_field, SearchField) or search_field.field_name == ATTACHMENT_FIELD:
            continue
        try:
            value = search_field.get_value(page)
        except Exception:  # noqa: BLE001 - a snippet is never worth an error page
            logger.exception("Reading %s of page %s for a snippet failed", search_field.field_name, page.pk)
            continue
        if isinstance(value, (list, tuple)):
            value = "\n".join(str(v) for v in value if v)
        if value:
            texts.append(str(value))
    return "\n".join(texts)


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


def _has_mark(html: str) -> bool:
    return "<mark>" in html


#: Characters of one document read for a snippet (the index holds up to 200,000).
SNIPPET_SCAN_CHARS = 100_000


def _attachment_snippets_from_database(hits: list[Hit], terms: set[str]) -> None:
    """For hits whose snippet shows no match, a labelled passage of an attached
    document's text, read from the database for all these hits at once (two queries:
    the reference index, then the documents' text)."""
    missing = [hit for hit in hits if terms and not _has_mark(hit.snippet_html)]
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
            if _has_mark(passage):
                hit.snippet_html, hit.snippet_label = passage, attached.title
                break


def _stored_snippet(body: str, terms: set[str]) -> tuple[SafeString, str]:
    """Snippet and label from a hit's stored body: the page's own text first, then
    its attachments in order; ("", "") labels the page's own text."""
    own, parts = split_body(body)
    snippet = highlight_text(own, terms)
    if not terms or _has_mark(snippet):
        return snippet, ""
    for label, text in parts:
        passage = highlight_text(text, terms)
        if _has_mark(passage):
            return passage, label
    return snippet, ""


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

    with index.reading() as searcher:
        if text_query is wq.NullQuery or base_filter is wq.NullQuery:
            return SearchPage(query="", hits=[], total=0, page=page, per_page=per_page, facets=[])
        sortedby = None
        if sort == "date":
            sortedby = [
                sorting.FieldFacet("first_published_at__n", reverse=True),
                sorting.FieldFacet("pk_sort", reverse=True),
            ]
        window, total = query_hits(
            searcher,
            index,
            text_query,
            full_filter,
            start=(page - 1) * per_page,
            stop=page * per_page,
            sortedby=sortedby,
        )
        rows = []
        for doc, score in window:
            stored = searcher.stored_fields(doc)
            rows.append((stored["pk"], score, stored.get("doc_title", ""), stored.get("doc_body", "")))

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
            mask = query_mask(searcher, index, text_query, facet_filter)
            merged: dict[str | None, int] = {}
            for column in columns:
                for key, count in facet_counts(searcher, mask, column):
                    if key is not None:
                        merged[key] = merged.get(key, 0) + count
            if merged:
                facet_results.append(_facet_result(facet, merged, selected))

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
        snippet, label = _stored_snippet(body, terms)
        hits.append(
            Hit(
                page=page_obj,
                score=score,
                title_html=highlight_text(page_obj.title, terms, whole=True),
                snippet_html=snippet,
                snippet_label=label,
            )
        )
    # Attachments past the stored body's 20,000 characters: from the database.
    _attachment_snippets_from_database(hits, terms)
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


def highlight_text(text: str, terms: set[str], *, whole: bool = False, charlimit: int = 2**15) -> SafeString:
    """``text`` with the words that match ``terms`` (stemmed, folded) in
    ``<mark>``; the slices come from the tokenizer's character offsets in the
    original text, so vowelled Arabic keeps its marks and its letters joined.
    Only the first ``charlimit`` characters are looked at (Whoosh's default)."""
    text = text or ""
    if not terms or not text:
        return mark_safe(escape(text[:300] if not whole else text))  # noqa: S308
    fragmenter = (
        whighlight.WholeFragmenter()
        if whole
        else whighlight.ContextFragmenter(maxchars=240, surround=80, charlimit=charlimit)
    )
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
