"""modelsearch queries and querysets compiled to Whoosh queries.

A text query searches each search field twice, exact (folded, unstemmed) and
stemmed, exact matches weighing :data:`EXACT_BOOST` times more. Filters
(exact, in, ranges, prefixes, isnull, and/or/not, year lookups, treebeard
paths) and orderings compile to Whoosh queries and sort facets on the fields
of :mod:`.mapping`. The one exception is a filter that goes through a related
model (``Novel.objects.filter(characters__name=...)``): Whoosh has no nested
documents that modelsearch's semantics map onto, so the database answers which
primary keys pass and the index filters on those keys.
"""

from __future__ import annotations

from django.db import DEFAULT_DB_ALIAS
from django.db.models import Subquery
from django.db.models.expressions import Col, F, OrderBy
from django.db.models.sql.constants import MULTI, SINGLE
from django.db.models.sql.query import Query as SqlQuery
from modelsearch.backends.base import BaseSearchQueryCompiler, FilterFieldError, SearchFieldError
from modelsearch.index import RelatedFields, SearchField, get_indexed_models
from modelsearch.query import MATCH_NONE, And, Boost, Fuzzy, MatchAll, Not, Or, Phrase, PlainText
from whoosh import query as wq
from whoosh import sorting

from search import analysis
from search.backends.whoosh.mapping import Mapping
from search.backends.whoosh.schema import boost_name, keyword_value, typed_value

#: How much an exact (unstemmed) match weighs against a stemmed one.
EXACT_BOOST = 2.0


class WhooshSearchQueryCompiler(BaseSearchQueryCompiler):
    DEFAULT_OPERATOR = "or"
    HANDLES_ORDER_BY_EXPRESSIONS = True
    autocomplete = False

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.mapping = Mapping(self.queryset.model)
        self.needs_db_filter = False
        #: Extra filter clauses of narrowed results (``WhooshSearchResults.narrow``).
        self.narrowing: tuple = ()
        #: The number of hits, once a search has counted them (results' clones share the compiler).
        self.whoosh_total: int | None = None
        #: Set when a read answered empty because the index is missing or damaged.
        self.read_failed = False
        #: The stored text of the hits read so far, by primary key (snippets).
        self.stored_bodies: dict[str, str] = {}

    # -- fields to search --

    def text_groups(self) -> list[tuple[str, float]]:
        """(field, boost) pairs a text query searches."""
        if self.fields:
            searchable = {f.field_name: f for f in self.queryset.model.get_searchable_search_fields()}
            out = []
            for name in self.fields:
                field = searchable.get(name)
                if field is not None:
                    out.append(("c_" + self.mapping.column_name(field), float(field.boost or 1)))
            return out
        columns: dict[str, float] = {}
        boosts: set[float] = set()
        for model in get_indexed_models():
            if not issubclass(model, self.queryset.model):
                continue
            mapping = Mapping(model)
            for field in model.get_search_fields():
                if isinstance(field, SearchField):
                    columns.setdefault("c_" + mapping.column_name(field), float(field.boost or 1))
                elif isinstance(field, RelatedFields):
                    self._collect_boosts(field.get_field(model).related_model, field.fields, boosts)
        return list(columns.items()) + [(boost_name(b), b) for b in sorted(boosts)]

    def _collect_boosts(self, model, search_fields, boosts):
        for field in search_fields:
            if isinstance(field, RelatedFields):
                self._collect_boosts(field.get_field(model).related_model, field.fields, boosts)
            elif isinstance(field, SearchField):
                boosts.add(float(field.boost or 1))

    def _autocomplete_fields(self) -> list[str]:
        if self.fields:
            fields = {f.field_name: f for f in self.queryset.model.get_autocomplete_search_fields()}
            shared = self.mapping.shared_autocomplete_column()  # written to ``ac`` only
            columns = [self.mapping.column_name(fields[n]) for n in self.fields if n in fields]
            return ["ac" if column == shared else column + "__ac" for column in columns]
        return ["ac"]

    def check(self):
        if self.autocomplete and self.fields:
            allowed = {f.field_name for f in self.queryset.model.get_autocomplete_search_fields()}
            for name in self.fields:
                if name not in allowed:
                    raise SearchFieldError(
                        f'Cannot autocomplete with field "{name}". Please add index.AutocompleteField("{name}") '
                        f"to {self.queryset.model.__name__}.search_fields.",
                        field_name=name,
                    )
            self._get_filters_from_queryset(check_only=True)
            list(self._get_order_by())
            return
        super().check()

    # -- text query --

    def _term_query(self, groups, exact_term, stem_term, boost):
        clauses = []
        for name, field_boost in groups:
            clauses.append(wq.Term(name + "__x", exact_term, boost=field_boost * boost * EXACT_BOOST))
            clauses.append(wq.Term(name, stem_term, boost=field_boost * boost))
        return wq.Or(clauses)

    def _plaintext(self, text: str, operator: str, boost: float = 1.0):
        if self.autocomplete:
            terms = analysis.autocomplete_terms(text)
            fields = self._autocomplete_fields()
            if not terms or not fields:
                return wq.NullQuery
            per_term = [wq.Or([wq.Term(f, t, boost=boost) for f in fields]) for t in terms]
            return wq.And(per_term) if operator == "and" else wq.Or(per_term)
        groups = self.text_groups()
        exact = analysis.analyze(text)
        stemmed = analysis.analyze(text, stemmed=True)
        if not exact or not groups:
            return wq.NullQuery
        per_term = [self._term_query(groups, e, s, boost) for e, s in zip(exact, stemmed, strict=False)]
        if len(per_term) == 1:
            return per_term[0]
        return wq.And(per_term) if operator == "and" else wq.Or(per_term)

    def _phrase(self, text: str, boost: float = 1.0):
        groups = self.text_groups()
        exact = analysis.analyze(text)
        stemmed = analysis.analyze(text, stemmed=True)
        if not exact or not groups:
            return wq.NullQuery
        if len(exact) == 1:
            return self._term_query(groups, exact[0], stemmed[0], boost)
        # Positions are kept on the exact fields only (smaller stemmed postings).
        return wq.Or([wq.Phrase(name + "__x", exact, boost=field_boost * boost) for name, field_boost in groups])

    def _fuzzy(self, text: str, operator: str):
        groups = self.text_groups()
        stemmed = analysis.analyze(text, stemmed=True)
        if not stemmed:
            return wq.NullQuery
        per_term = [
            wq.Or(
                [
                    wq.FuzzyTerm(name, term, boost=b, maxdist=1 if len(term) < 6 else 2, prefixlength=1)
                    for name, b in groups
                ]
            )
            for term in stemmed
        ]
        return wq.And(per_term) if operator == "and" else wq.Or(per_term)

    def _compile(self, query, boost: float = 1.0):
        if isinstance(query, MatchAll):
            return wq.Every()
        if isinstance(query, PlainText):
            return self._plaintext(query.query_string, query.operator, boost * query.boost)
        if isinstance(query, Phrase):
            return self._phrase(query.query_string, boost)
        if isinstance(query, Fuzzy):
            return self._fuzzy(query.query_string, query.operator)
        if isinstance(query, Boost):
            return self._compile(query.subquery, boost * query.boost)
        if isinstance(query, And):
            return wq.And([self._compile(q, boost) for q in query.subqueries])
        if isinstance(query, Or):
            return wq.Or([self._compile(q, boost) for q in query.subqueries])
        if isinstance(query, Not):
            return wq.AndNot(wq.Every(), self._compile(query.subquery, boost))
        if type(query).__name__ == "MatchNone":
            return wq.NullQuery
        raise NotImplementedError(f"`{query.__class__.__name__}` is not supported by the Whoosh search backend.")

    def get_query(self):
        if self.query is MATCH_NONE:
            return wq.NullQuery
        if isinstance(self.query, str):
            return self._plaintext(self.query, self.DEFAULT_OPERATOR)
        return self._compile(self.query)

    # -- filters --

    def _process_filter(self, column, lookup, value, check_only=False):
        field_path = self._get_filter_field_path_for_column(column)
        if check_only:
            return None
        if len(field_path) > 1:
            # Through a relation: see the module docstring.
            self.needs_db_filter = True
            return None
        return self._process_lookup(field_path, lookup, value)

    def _resolve(self, value, many: bool):
        if isinstance(value, (SqlQuery, Subquery)):
            db_alias = self.queryset._db or DEFAULT_DB_ALIAS
            sql = value.query if isinstance(value, Subquery) else value
            if many:
                rows = sql.get_compiler(db_alias).execute_sql(result_type=MULTI)
                return [row[0] for chunk in rows for row in chunk]
            row = sql.get_compiler(db_alias).execute_sql(result_type=SINGLE)
            return row[0] if row else None
        if isinstance(value, Col):
            raise FilterFieldError("Comparing two fields is not supported in a search filter.")
        return value

    def _process_lookup(self, field_path, lookup, value):
        field = field_path[-1]
        column = self.mapping.column_name(field)
        kind = Mapping.filter_kind(self.queryset.model, field)
        keyword = column + "__f"
        typed = keyword if kind == "str" else column + "__n"  # a string's __n is a sort column only

        if lookup == "exact":
            value = self._resolve(value, many=False)
            if value is None:
                return wq.Term("nulls", column)
            return wq.Term(keyword, keyword_value(value))
        if lookup == "isnull":
            null = wq.Term("nulls", column)
            return null if value else wq.AndNot(wq.Every(), null)
        if lookup in {"startswith", "prefix"}:
            return wq.Prefix(keyword, keyword_value(value))
        if lookup == "in":
            values = self._resolve(value, many=True)
            values = list(values)
            if not values:
                return wq.NullQuery
            return wq.Or([wq.Term(keyword, keyword_value(v)) for v in values])
        if lookup in {"gt", "gte", "lt", "lte", "range"}:
            if lookup == "range":
                low, high = value
                return self._range(kind, typed, low, high, False, False)
            if lookup in {"gt", "gte"}:
                return self._range(kind, typed, value, None, lookup == "gt", False)
            return self._range(kind, typed, None, value, False, lookup == "lt")
        return None

    def _range(self, kind, fieldname, low, high, startexcl, endexcl):
        def bounds(convert):
            # An open end (None) stays open; a given one is converted to the field's type.
            return tuple(None if value is None else convert(value) for value in (low, high))

        if kind in {"int", "float", "bool"}:
            cast = int if kind in {"int", "bool"} else float
            return wq.NumericRange(fieldname, *bounds(cast), startexcl=startexcl, endexcl=endexcl)
        if kind in {"date", "datetime"}:
            return wq.DateRange(
                fieldname, *bounds(lambda value: typed_value(kind, value)), startexcl=startexcl, endexcl=endexcl
            )
        return wq.TermRange(fieldname, *bounds(keyword_value), startexcl=startexcl, endexcl=endexcl)

    def _process_match_none(self):
        return wq.NullQuery

    def _connect_filters(self, filters, connector, negated):
        filters = [f for f in filters if f is not None]
        if not filters:
            return None
        combined = filters[0] if len(filters) == 1 else (wq.And(filters) if connector == "AND" else wq.Or(filters))
        if negated:
            return wq.AndNot(wq.Every(), combined)
        return combined

    def get_filter(self):
        """The whole filter as one Whoosh query (content type, queryset filters)."""
        clauses = [wq.Term("ct", self.mapping.content_type())]
        where = self.queryset.query
        if where.is_empty():
            return wq.NullQuery
        compiled = self._get_filters_from_queryset()
        if compiled is not None:
            clauses.append(compiled)
        if self.needs_db_filter:
            pks = list(self.queryset.values_list("pk", flat=True))
            if not pks:
                return wq.NullQuery
            clauses.append(wq.Or([wq.Term("pk", str(pk)) for pk in pks]))
        return wq.And(clauses) if len(clauses) > 1 else clauses[0]

    # -- ordering --

    def get_sortedby(self):
        if self.order_by_relevance:
            return None
        facets = []
        if self.queryset.ordered:
            for item in self.queryset.query.order_by:
                reverse = False
                name = item
                if isinstance(item, OrderBy):
                    if not isinstance(item.expression, F):
                        continue
                    name = item.expression.name
                    reverse = item.descending
                elif name.startswith("-"):
                    reverse, name = True, name[1:]
                if name == "pk":
                    facets.append(sorting.FieldFacet("pk_sort", reverse=reverse))
                    continue
                field = self._get_filterable_field(name)
                if field is None:
                    continue
                facets.append(sorting.FieldFacet(self.mapping.column_name(field) + "__n", reverse=reverse))
        if not facets:
            facets.append(sorting.FieldFacet("pk_sort", reverse=True))
        return facets if len(facets) > 1 else facets[0]


class WhooshAutocompleteQueryCompiler(WhooshSearchQueryCompiler):
    DEFAULT_OPERATOR = "and"
    autocomplete = True
