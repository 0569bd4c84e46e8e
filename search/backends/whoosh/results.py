"""Search results: modelsearch's ``SearchResults`` on a Whoosh index, plus what the search page needs.

Besides modelsearch's API (slices, ``count()``, ``facet()``, ``annotate_score()``),
the results answer the search page's questions in the index:

- :meth:`WhooshSearchResults.narrow`: only documents whose filter field has one of
  the chosen values, over every model of the searched tree that declares the
  field (a facet on the archive's ``theme`` narrows a search over all pages);
- :meth:`WhooshSearchResults.facet_values`: each value's count among the hits,
  over the same models;
- :meth:`WhooshSearchResults.stored_body`: the stored text of a hit (snippets);
- :meth:`WhooshSearchResults.suggestion`: "did you mean", from the index's words;
- :attr:`WhooshSearchResults.index_unavailable`: whether a read answered empty
  because the index is missing or damaged.

A read that cannot open or read the index answers empty and logs why: a search
never fails because of the index (the admin sees it through :mod:`.health`).
"""

from __future__ import annotations

import copy
import logging
from collections import OrderedDict

import numpy as np
from modelsearch.backends.base import BaseSearchResults, FilterFieldError
from modelsearch.index import FilterField, get_indexed_models
from whoosh import query as wq

from search import analysis
from search.backends.whoosh import scoring
from search.backends.whoosh.execution import query_hits, query_mask
from search.backends.whoosh.health import looks_like_damage
from search.backends.whoosh.index import IndexUnavailable, WhooshIndex
from search.backends.whoosh.mapping import Mapping, facet_value_converter

logger = logging.getLogger(__name__)


class WhooshSearchResults(BaseSearchResults):
    supports_facet = True

    def _index(self) -> WhooshIndex:
        return self.backend.get_index_for_model(self.query_compiler.queryset.model)

    def _queries(self):
        """(text query, filter query), or ``None`` when nothing can match."""
        compiler = self.query_compiler
        query = compiler.get_query()
        filter_query = compiler.get_filter()
        if query is wq.NullQuery or filter_query is wq.NullQuery:
            return None
        if compiler.narrowing:
            filter_query = wq.And([filter_query, *compiler.narrowing])
        return query, filter_query

    def _with_searcher(self, fn, empty):
        try:
            with self._index().reading() as searcher:
                return fn(searcher)
        except IndexUnavailable as exc:
            logger.error("Search answered empty: %s", exc)
        except (FilterFieldError, NotImplementedError):
            raise
        except Exception as exc:
            if isinstance(exc, (ValueError, TypeError)) and not looks_like_damage(exc):
                raise
            logger.exception("Search index read failed")
        self.query_compiler.read_failed = True
        return empty

    # -- modelsearch's API --

    def _do_search(self):
        limit = self.stop if self.stop is not None else None
        if limit is not None and limit <= self.start:
            # An empty slice (Django's paginator asks for [0:0] on empty pages).
            return []

        def run(searcher):
            queries = self._queries()
            if queries is None:
                return []
            hits, total = query_hits(
                searcher,
                self._index(),
                *queries,
                start=self.start,
                stop=limit,
                sortedby=self.query_compiler.get_sortedby(),
            )
            # Clones share the compiler: count() after a slice costs nothing.
            self.query_compiler.whoosh_total = total
            rows = []
            for doc, score in hits:
                stored = searcher.stored_fields(doc)
                rows.append((stored["pk"], score, stored.get("doc_body", "")))
            return rows

        rows = self._with_searcher(run, [])
        self.query_compiler.stored_bodies.update((pk, body) for pk, _, body in rows)
        if not rows:
            return []
        objects = {str(obj.pk): obj for obj in self.query_compiler.queryset.filter(pk__in=[r[0] for r in rows])}
        out = []
        for pk, score, _ in rows:
            obj = objects.get(pk)
            if obj is None:
                continue
            if self._score_field:
                setattr(obj, self._score_field, float(score) if score is not None else 0.0)
            out.append(obj)
        return out

    def _do_count(self):
        def run(searcher):
            queries = self._queries()
            if queries is None:
                return 0
            return int(np.count_nonzero(query_mask(searcher, self._index(), *queries)))

        total = self.query_compiler.whoosh_total
        if total is None:
            total = self._with_searcher(run, 0)
        total = max(total - self.start, 0)
        if self.stop is not None:
            total = min(total, self.stop - self.start)
        return total

    def facet(self, field_name):
        field = self.query_compiler._get_filterable_field(field_name)
        if field is None:
            raise FilterFieldError(
                f'Cannot facet search results with field "{field_name}". Please add index.FilterField("{field_name}") '
                f"to {self.query_compiler.queryset.model.__name__}.search_fields.",
                field_name=field_name,
            )
        column = self.query_compiler.mapping.column_name(field)
        convert = facet_value_converter(self.query_compiler.queryset.model, field)

        def run(searcher):
            counts = self._keyword_counts(searcher, [column + "__f"])
            return OrderedDict((None if key is None else convert(key), count) for key, count in counts)

        return self._with_searcher(run, OrderedDict())

    # -- the search page's API --

    @property
    def index_unavailable(self) -> bool:
        """True once a read of these results answered empty because the index is
        missing or cannot be read."""
        return self.query_compiler.read_failed

    def narrow(self, values_by_field: dict[str, list[str]]) -> WhooshSearchResults:
        """These results limited, for each filter field named, to the documents
        whose value is one of the given keywords (an empty list: no limit)."""
        clauses = []
        for field_name, values in values_by_field.items():
            columns = self._keyword_columns(field_name)
            if values and columns:
                clauses.append(wq.Or([wq.Term(c, v) for c in columns for v in values]))
        compiler = copy.copy(self.query_compiler)
        compiler.narrowing = (*compiler.narrowing, *clauses)
        compiler.whoosh_total = None
        compiler.read_failed = False
        compiler.stored_bodies = {}
        narrowed = self.__class__(self.backend, compiler, prefetch_related=self.prefetch_related)
        narrowed.start, narrowed.stop, narrowed._score_field = self.start, self.stop, self._score_field
        return narrowed

    def facet_values(self, field_name: str) -> dict[str, int]:
        """How many hits have each value (as its keyword) of the filter field
        ``field_name``, over every model of the searched tree that declares it;
        hits without a value are not counted."""

        def run(searcher):
            merged: dict[str, int] = {}
            for key, count in self._keyword_counts(searcher, self._keyword_columns(field_name)):
                if key is not None:
                    merged[key] = merged.get(key, 0) + count
            return merged

        return self._with_searcher(run, {})

    def stored_body(self, obj) -> str | None:
        """The stored text of a hit once a slice of these results has been read
        (for snippets), else None."""
        return self.query_compiler.stored_bodies.get(str(obj.pk))

    def suggestion(self) -> str:
        """A corrected query from the index's own vocabulary (the exact fields the
        query searched), or ""."""
        return self._with_searcher(self._did_you_mean, "")

    # -- helpers --

    def _keyword_counts(self, searcher, columns: list[str]) -> list[tuple[str | None, int]]:
        queries = self._queries()
        if queries is None:
            return []
        mask = query_mask(searcher, self._index(), *queries)
        counts = []
        for column in columns:
            counts.extend(scoring.facet_counts(searcher, mask, column))
        return counts

    def _keyword_columns(self, field_name: str) -> list[str]:
        """The ``__f`` keyword columns that hold a filter field, over the models of the tree."""
        root = self.query_compiler.queryset.model
        columns = []
        for model in get_indexed_models():
            if not issubclass(model, root):
                continue
            mapping = Mapping(model)
            for search_field in model.get_search_fields():
                if isinstance(search_field, FilterField) and search_field.field_name == field_name:
                    column = mapping.column_name(search_field) + "__f"
                    if column not in columns:
                        columns.append(column)
        return columns

    def _did_you_mean(self, searcher) -> str:
        reader = searcher.reader()
        groups = self.query_compiler.text_groups()
        fieldnames = [name + "__x" for name, _ in groups if name + "__x" in searcher.schema]
        if not fieldnames:
            return ""
        words = []
        changed = False
        for text in analysis.query_texts(self.query_compiler.query):
            for word in analysis.analyze(text):
                found = self._correction(reader, fieldnames, word)
                changed = changed or found is not None
                words.append(word if found is None else found)
        return " ".join(words) if changed else ""

    @staticmethod
    def _correction(reader, fieldnames: list[str], word: str) -> str | None:
        """None if the index has ``word``, else its most frequent close spelling (None if none)."""
        if any(reader.doc_frequency(name, word) for name in fieldnames):
            return None
        candidates: dict[str, int] = {}
        for name in fieldnames:
            for found in reader.corrector(name).suggest(word, limit=1, maxdist=2):
                candidates[found] = candidates.get(found, 0) + reader.doc_frequency(name, found)
        return max(candidates, key=candidates.get) if candidates else None
