"""A modelsearch (Wagtail search) backend on Whoosh, with Arabic and French analysis.

Select it with ``WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "search.backends.whoosh",
"PATH": ".../search-index"}}``.

One Whoosh index (a directory) holds every indexed model. Each document has:

- ``key`` (``<root model>:<pk>``), ``pk`` and ``pk_sort``; ``ct``: the content types
  of the object and its indexed ancestors, so a search on ``Book`` finds novels;
- text by boost group: ``t_<boost>`` (stemmed) and ``t_<boost>__x`` (exact, ranked
  higher), plus the same per search field (``c_<column>`` / ``c_<column>__x``) for
  searches restricted with ``fields=[...]``; ``ac`` and ``<column>__ac``: edge
  n-grams for autocomplete;
- per filter field: ``<column>__f`` (the value as a keyword: exact lookups, ``in``,
  prefixes, facets) and ``<column>__n`` (typed and sortable: ranges and ordering);
  ``nulls`` lists the filter fields that are empty;
- ``doc_title`` and ``doc_body`` stored, for highlighted snippets.

Filters, ordering, counts and facets run in the index. The one exception is a
filter that goes through a related model (``Novel.objects.filter(characters__name=...)``):
Whoosh has no nested documents that modelsearch's semantics map onto, so the
database answers which primary keys pass and the index filters on those keys.

Only one process may write to a Whoosh index. Saves reach :meth:`WhooshIndex.add_items`
through modelsearch's own task (run by the task worker); deletions, which
modelsearch performs inside the web request, are queued as a task here
(:func:`search.tasks.delete_document_task`). Writers wait for the lock rather than fail.
"""

from __future__ import annotations

import datetime
import decimal
import logging
import os
import shutil
import threading
import uuid
from collections import OrderedDict
from pathlib import Path

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, models, transaction
from django.db.models import Subquery
from django.db.models.expressions import Col, F, OrderBy
from django.db.models.sql.constants import MULTI, SINGLE
from django.db.models.sql.query import Query as SqlQuery
from django.utils import timezone
from modelsearch.backends.base import (
    BaseIndex,
    BaseSearchBackend,
    BaseSearchQueryCompiler,
    BaseSearchResults,
    FilterFieldError,
    get_model_root,
)
from modelsearch.index import AutocompleteField, FilterField, Indexed, RelatedFields, SearchField, get_indexed_models
from modelsearch.query import And, Boost, Fuzzy, MatchAll, Not, Or, Phrase, PlainText
from whoosh import fields as wf
from whoosh import index as windex
from whoosh import query as wq
from whoosh import sorting
from whoosh.filedb.filestore import FileStorage

from search import analysis

logger = logging.getLogger(__name__)

#: How much an exact (unstemmed) match weighs against a stemmed one.
EXACT_BOOST = 2.0
#: Stored body text is cut here: snippets come from the start of long documents.
STORED_BODY_CHARS = 20_000
CURRENT = "current"
BUILDING = "building"


class IndexUnavailable(Exception):
    """The index is missing or cannot be read; searches answer empty meanwhile."""


# --- Index health (read by the admin panel and the search page) --------------------

_health_lock = threading.Lock()
_health = {"ok": True, "error": ""}


def _mark_unhealthy(error: Exception | str) -> None:
    with _health_lock:
        _health.update(ok=False, error=str(error)[:500])


def _mark_healthy() -> None:
    with _health_lock:
        _health.update(ok=True, error="")


def index_health() -> dict:
    """``{"ok": bool, "error": str}`` for the last read of any Whoosh index."""
    with _health_lock:
        return dict(_health)


# --- Mapping: model instances to Whoosh documents -----------------------------------


def _boost_name(boost) -> str:
    return "t_" + str(float(boost or 1)).replace(".", "_").replace("-", "m")


def _to_naive_utc(value: datetime.datetime) -> datetime.datetime:
    if timezone.is_aware(value):
        value = value.astimezone(datetime.UTC).replace(tzinfo=None)
    return value


def keyword_value(value) -> str:
    """The canonical string of a filter value (the ``__f`` keyword)."""
    if isinstance(value, models.Model):
        value = value.pk
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime.datetime):
        return _to_naive_utc(value).isoformat()
    if isinstance(value, (datetime.date, datetime.time)):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, decimal.Decimal):
        return str(value.normalize())
    return str(value)


class Mapping:
    """How one model's ``search_fields`` become fields of a Whoosh document."""

    def __init__(self, model):
        self.model = model

    def column_name(self, field) -> str:
        root_model = get_model_root(self.model)
        definition_model = field.get_definition_model(self.model)
        prefix = ""
        if definition_model is not None and definition_model != root_model:
            prefix = f"{definition_model._meta.app_label.lower()}_{definition_model.__name__.lower()}__"
        if isinstance(field, RelatedFields):
            return prefix + field.field_name
        return prefix + field.get_attname(self.model)

    def content_type(self, model=None) -> str:
        model = model or self.model
        return f"{model._meta.app_label}.{model.__name__}".lower()

    def all_content_types(self) -> list[str]:
        types = []
        for klass in self.model.__mro__:
            if (
                issubclass(klass, Indexed)
                and issubclass(klass, models.Model)
                and not klass._meta.abstract
                and not klass._meta.proxy
            ):
                types.append(self.content_type(klass))
        return types or [self.content_type()]

    def document_key(self, obj) -> str:
        return f"{self.content_type(get_model_root(self.model))}:{obj.pk}"

    @staticmethod
    def filter_kind(model, field) -> str:
        """``int``, ``float``, ``date``, ``datetime``, ``bool``, ``multi`` or ``str``."""
        try:
            django_field = field.get_field(model)
        except Exception:
            return "str"
        if django_field.many_to_many or django_field.one_to_many:
            return "multi"
        if django_field.is_relation:
            django_field = django_field.target_field
        internal = django_field.get_internal_type()
        if internal in {"BooleanField", "NullBooleanField"}:
            return "bool"
        if internal in {"DateTimeField"}:
            return "datetime"
        if internal in {"DateField"}:
            return "date"
        if internal in {"FloatField", "DecimalField"}:
            return "float"
        if internal.endswith("IntegerField") or internal.endswith("AutoField"):
            return "int"
        return "str"

    # -- schema --

    def schema_fields(self) -> dict[str, wf.FieldType]:
        """The Whoosh fields this model's documents need."""
        out = {}
        self._schema_for(self.model, self.model.get_search_fields(), out, top=True)
        return out

    def _schema_for(self, model, search_fields, out, top):
        mapping = Mapping(model)
        for field in search_fields:
            if isinstance(field, RelatedFields):
                related = field.get_field(model).related_model
                self._schema_for(related, field.fields, out, top=False)
                continue
            column = mapping.column_name(field)
            if isinstance(field, SearchField):
                if top:
                    out["c_" + column] = text_field()
                    out["c_" + column + "__x"] = text_field(exact=True)
                else:
                    group = _boost_name(field.boost)
                    out[group] = text_field()
                    out[group + "__x"] = text_field(exact=True)
            elif isinstance(field, AutocompleteField):
                if top:
                    out[column + "__ac"] = autocomplete_field()
            elif isinstance(field, FilterField) and top:
                kind = self.filter_kind(model, field)
                out[column + "__f"] = wf.KEYWORD(lowercase=False, commas=False) if kind == "multi" else wf.ID()
                typed = typed_field(kind)
                if typed is not None:
                    out[column + "__n"] = typed

    # -- documents --

    def document(self, obj) -> dict:
        doc = {
            "key": self.document_key(obj),
            "pk": str(obj.pk),
            "pk_sort": _pk_sort(obj.pk),
            "ct": " ".join(self.all_content_types()),
        }
        texts: dict[str, list[str]] = {}
        autocomplete: list[str] = []
        nulls: list[str] = []
        body: list[str] = []
        self._fill(obj, self.model, self.model.get_search_fields(), doc, texts, autocomplete, nulls, top=True, body=body)
        for group, values in texts.items():
            joined = "\n".join(values)
            doc[group] = joined
            doc[group + "__x"] = joined
        if autocomplete:
            doc["ac"] = " ".join(autocomplete)
        if nulls:
            doc["nulls"] = " ".join(nulls)
        title = getattr(obj, "title", None) or getattr(obj, "name", None) or str(obj)
        doc["doc_title"] = str(title)[:1000]
        doc["doc_body"] = "\n".join(body)[:STORED_BODY_CHARS]
        return doc

    def _fill(self, obj, model, search_fields, doc, texts, autocomplete, nulls, top, body):
        mapping = Mapping(model)
        for field in search_fields:
            if isinstance(field, RelatedFields):
                value = field.get_value(obj)
                if value is None:
                    continue
                related = field.get_field(model).related_model
                related_objects = list(value.all()) if isinstance(value, (models.Manager, models.QuerySet)) else [value]
                for related_obj in related_objects:
                    self._fill(related_obj, related, field.fields, doc, texts, autocomplete, nulls, top=False, body=body)
                continue
            column = mapping.column_name(field)
            if isinstance(field, SearchField):
                value = field.get_value(obj)
                text = _text(value)
                if text:
                    body.append(text)
                    # Top-level fields have their own columns (also used by
                    # fields=[...]); related ones are grouped by boost.
                    if top:
                        doc["c_" + column] = text
                        doc["c_" + column + "__x"] = text
                    else:
                        texts.setdefault(_boost_name(field.boost), []).append(text)
            elif isinstance(field, AutocompleteField):
                text = _text(field.get_value(obj))
                if text:
                    autocomplete.append(text)
                    if top:
                        doc[column + "__ac"] = text
            elif isinstance(field, FilterField) and top:
                value = field.get_value(obj)
                kind = self.filter_kind(model, field)
                if isinstance(value, (models.Manager, models.QuerySet)):
                    value = list(value.values_list("pk", flat=True))
                if value is None or (kind == "multi" and not value):
                    nulls.append(column)
                    continue
                if kind == "multi":
                    doc[column + "__f"] = " ".join(keyword_value(v) for v in value)
                    continue
                doc[column + "__f"] = keyword_value(value)
                typed = typed_value(kind, value)
                if typed is not None:
                    doc[column + "__n"] = typed


def _pk_sort(pk) -> str:
    if isinstance(pk, int):
        return f"{pk:020d}"
    return str(pk)


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        return "\n".join(_text(v) for v in value)
    if isinstance(value, (datetime.time, datetime.date)):
        return value.isoformat()
    return str(value)


def text_field(exact: bool = False) -> wf.TEXT:
    if exact:
        return wf.TEXT(analyzer=analysis.exact_analyzer(), phrase=True)
    return wf.TEXT(analyzer=analysis.stem_analyzer(), phrase=False)


def autocomplete_field() -> wf.TEXT:
    return wf.TEXT(analyzer=analysis.autocomplete_analyzer(), phrase=False)


def typed_field(kind: str):
    if kind == "int":
        return wf.NUMERIC(numtype=int, bits=64, signed=True, sortable=True)
    if kind == "float":
        return wf.NUMERIC(numtype=float, sortable=True)
    if kind in {"date", "datetime"}:
        return wf.DATETIME(sortable=True)
    if kind == "bool":
        return wf.NUMERIC(numtype=int, bits=8, sortable=True)
    if kind == "str":
        return wf.ID(sortable=True)
    return None


def typed_value(kind: str, value):
    if value is None:
        return None
    if kind == "int":
        return int(value.pk if isinstance(value, models.Model) else value)
    if kind == "float":
        return float(value)
    if kind == "datetime":
        if isinstance(value, datetime.datetime):
            return _to_naive_utc(value)
        return datetime.datetime.combine(value, datetime.time())
    if kind == "date":
        if isinstance(value, datetime.datetime):
            return _to_naive_utc(value)
        return datetime.datetime.combine(value, datetime.time())
    if kind == "bool":
        return int(bool(value))
    if kind == "str":
        return keyword_value(value)
    return None


def base_schema() -> wf.Schema:
    """Fields every document has, before the models' own."""
    return wf.Schema(
        key=wf.ID(stored=True, unique=True),
        pk=wf.ID(stored=True),
        pk_sort=wf.ID(sortable=True),
        ct=wf.KEYWORD(lowercase=False, commas=False),
        nulls=wf.KEYWORD(lowercase=False, commas=False),
        ac=autocomplete_field(),
        doc_title=wf.STORED(),
        doc_body=wf.STORED(),
    )


def full_schema() -> wf.Schema:
    """The schema for every indexed model of the project."""
    schema = base_schema()
    for model in get_indexed_models():
        for name, field in Mapping(model).schema_fields().items():
            if name not in schema:
                schema.add(name, field)
    return schema


# --- Index: a directory with generations and a ``current`` symlink -------------------


class WhooshIndex(BaseIndex):
    """One Whoosh index. ``current`` points at the live generation; a rebuild
    writes a new generation beside it and swaps the link (atomic on POSIX)."""

    _open_lock = threading.Lock()
    _open: dict[str, windex.Index] = {}

    def __init__(self, backend, name: str, generation: str | None = None):
        super().__init__(backend)
        self.name = name
        self.root = Path(backend.path) / name
        self.generation = generation

    def get_key(self):
        return self.name

    def __str__(self):
        return self.name

    # -- locations --

    def _link(self) -> Path:
        return self.root / CURRENT

    def _generation_dir(self) -> Path | None:
        if self.generation:
            return self.root / self.generation
        link = self._link()
        if not link.is_symlink() and not link.exists():
            return None
        return self.root / os.readlink(link) if link.is_symlink() else link

    def exists(self) -> bool:
        path = self._generation_dir()
        return bool(path and path.exists() and windex.exists_in(str(path)))

    def _create_generation(self) -> str:
        self.root.mkdir(parents=True, exist_ok=True)
        generation = "gen-" + timezone.now().strftime("%Y%m%d%H%M%S") + "-" + uuid.uuid4().hex[:8]
        path = self.root / generation
        path.mkdir()
        FileStorage(str(path)).create_index(full_schema())
        return generation

    def _swap(self, generation: str) -> None:
        tmp_link = self.root / f".{CURRENT}-{uuid.uuid4().hex[:8]}"
        os.symlink(generation, tmp_link)
        os.replace(tmp_link, self._link())
        for entry in self.root.iterdir():
            if entry.name.startswith("gen-") and entry.name not in {generation, self._building_name()}:
                shutil.rmtree(entry, ignore_errors=True)

    def _building_name(self) -> str:
        try:
            return (self.root / BUILDING).read_text().strip()
        except OSError:
            return ""

    # -- reading --

    def open(self) -> windex.Index:
        """The live index (cached per process, reopened after a swap)."""
        path = self._generation_dir()
        if path is None or not path.exists():
            raise IndexUnavailable(f"The search index {self.name!r} does not exist at {self.root}.")
        key = str(path)
        with self._open_lock:
            ix = self._open.get(key)
            if ix is None:
                try:
                    ix = FileStorage(key).open_index()
                except Exception as exc:
                    raise IndexUnavailable(f"The search index {self.name!r} cannot be opened: {exc}") from exc
                self._open[key] = ix
        return ix

    def searcher(self):
        try:
            return self.open().searcher()
        except IndexUnavailable:
            raise
        except Exception as exc:
            raise IndexUnavailable(f"The search index {self.name!r} cannot be read: {exc}") from exc

    # -- writing (task worker or management command only) --

    def _writable(self) -> windex.Index:
        if not self.exists():
            if self.generation:
                raise IndexUnavailable(f"Generation {self.generation} vanished.")
            self._swap(self._create_generation())
        return self.open()

    def _writer(self, ix):
        return ix.writer(timeout=getattr(settings, "SEARCH_WRITER_TIMEOUT", 60.0), delay=0.05, limitmb=128)

    def add_model(self, model):
        ix = self._writable()
        missing = {n: f for n, f in Mapping(model).schema_fields().items() if n not in ix.schema}
        if missing:
            writer = self._writer(ix)
            for name, field in missing.items():
                writer.add_field(name, field)
            writer.commit()
            self._forget(ix)

    def _forget(self, ix):
        with self._open_lock:
            for key, cached in list(self._open.items()):
                if cached is ix:
                    del self._open[key]

    def _building(self) -> WhooshIndex | None:
        """The generation a rebuild is filling, if any: live writes go there too,
        so a page saved during a rebuild is not lost at the swap."""
        if self.generation:
            return None
        try:
            generation = (self.root / BUILDING).read_text().strip()
        except OSError:
            return None
        if not generation or not (self.root / generation).exists():
            return None
        return WhooshIndex(self.backend, self.name, generation=generation)

    def add_items(self, model, items):
        items = list(items)
        if not items:
            return
        building = self._building()
        if building is not None:
            building.add_items(model, items)
        ix = self._writable()
        documents = []
        for item in items:
            mapping = Mapping(type(item))
            documents.append(mapping.document(item))
        writer = self._writer(ix)
        try:
            for doc in documents:
                for name in doc:
                    if name not in writer.schema:
                        # A model or field added since the last rebuild.
                        writer.add_field(name, _field_for_new_column(name))
                writer.update_document(**doc)
        except Exception:
            writer.cancel()
            raise
        writer.commit()

    def delete_item(self, item):
        self.delete_key(Mapping(type(item)).document_key(item))

    def delete_key(self, key: str) -> None:
        building = self._building()
        if building is not None:
            building.delete_key(key)
        if not self.exists():
            return
        ix = self.open()
        writer = self._writer(ix)
        writer.delete_by_term("key", key)
        writer.commit()

    def refresh(self):
        # Whoosh makes a commit visible to the next searcher; nothing to do.
        pass

    def reset(self):
        self._swap(self._create_generation())


def _field_for_new_column(name: str):
    if name.endswith("__x"):
        return text_field(exact=True)
    if name.endswith("__ac"):
        return autocomplete_field()
    if name.endswith("__f"):
        return wf.KEYWORD(lowercase=False, commas=False)
    if name.endswith("__n"):
        return wf.ID(sortable=True)
    return text_field()


class WhooshIndexRebuilder:
    """Builds a new generation aside, then swaps it in: searches keep answering
    from the old generation until the new one is complete."""

    def __init__(self, index: WhooshIndex):
        self.index = index
        self.new_index = None

    def start(self):
        generation = self.index._create_generation()
        self.new_index = WhooshIndex(self.index.backend, self.index.name, generation=generation)
        marker = self.index.root / BUILDING
        marker_tmp = self.index.root / f".{BUILDING}-{generation}"
        marker_tmp.write_text(generation)
        os.replace(marker_tmp, marker)
        return self.new_index

    def finish(self):
        self.index._swap(self.new_index.generation)
        (self.index.root / BUILDING).unlink(missing_ok=True)
        _mark_healthy()


# --- Query compiler ------------------------------------------------------------------


class WhooshSearchQueryCompiler(BaseSearchQueryCompiler):
    DEFAULT_OPERATOR = "or"
    HANDLES_ORDER_BY_EXPRESSIONS = True
    autocomplete = False

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.mapping = Mapping(self.queryset.model)
        self.needs_db_filter = False

    # -- fields to search --

    def _text_groups(self) -> list[tuple[str, float]]:
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
        return list(columns.items()) + [(_boost_name(b), b) for b in sorted(boosts)]

    def _collect_boosts(self, model, search_fields, boosts):
        for field in search_fields:
            if isinstance(field, RelatedFields):
                self._collect_boosts(field.get_field(model).related_model, field.fields, boosts)
            elif isinstance(field, SearchField):
                boosts.add(float(field.boost or 1))

    def _autocomplete_fields(self) -> list[str]:
        if self.fields:
            fields = {f.field_name: f for f in self.queryset.model.get_autocomplete_search_fields()}
            return [self.mapping.column_name(fields[n]) + "__ac" for n in self.fields if n in fields]
        return ["ac"]

    def check(self):
        if self.autocomplete and self.fields:
            allowed = {f.field_name for f in self.queryset.model.get_autocomplete_search_fields()}
            from modelsearch.backends.base import SearchFieldError

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
        groups = self._text_groups()
        exact = analysis.analyze(text)
        stemmed = analysis.analyze(text, stemmed=True)
        if not exact or not groups:
            return wq.NullQuery
        per_term = [self._term_query(groups, e, s, boost) for e, s in zip(exact, stemmed, strict=False)]
        if len(per_term) == 1:
            return per_term[0]
        return wq.And(per_term) if operator == "and" else wq.Or(per_term)

    def _phrase(self, text: str, boost: float = 1.0):
        groups = self._text_groups()
        exact = analysis.analyze(text)
        stemmed = analysis.analyze(text, stemmed=True)
        if not exact or not groups:
            return wq.NullQuery
        if len(exact) == 1:
            return self._term_query(groups, exact[0], stemmed[0], boost)
        # Positions are kept on the exact fields only (smaller stemmed postings).
        return wq.Or([wq.Phrase(name + "__x", exact, boost=field_boost * boost) for name, field_boost in groups])

    def _fuzzy(self, text: str, operator: str):
        groups = self._text_groups()
        stemmed = analysis.analyze(text, stemmed=True)
        if not stemmed:
            return wq.NullQuery
        per_term = [
            wq.Or([wq.FuzzyTerm(name, term, boost=b, maxdist=1 if len(term) < 6 else 2, prefixlength=1) for name, b in groups])
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
        from modelsearch.query import MATCH_NONE

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
        typed = column + "__n"

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
        if kind in {"int", "float", "bool"}:
            cast = int if kind in {"int", "bool"} else float
            return wq.NumericRange(
                fieldname,
                None if low is None else cast(low),
                None if high is None else cast(high),
                startexcl=startexcl,
                endexcl=endexcl,
            )
        if kind in {"date", "datetime"}:
            low = None if low is None else typed_value(kind, low)
            high = None if high is None else typed_value(kind, high)
            return wq.DateRange(fieldname, low, high, startexcl=startexcl, endexcl=endexcl)
        return wq.TermRange(
            fieldname,
            None if low is None else keyword_value(low),
            None if high is None else keyword_value(high),
            startexcl=startexcl,
            endexcl=endexcl,
        )

    def _process_match_none(self):
        return wq.NullQuery

    def _connect_filters(self, filters, connector, negated):
        filters = [f for f in filters if f is not None]
        if not filters:
            if negated:
                return None
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

    def _get_order_by(self):
        # Expressions on a filterable field are accepted (see get_sortedby); others
        # are skipped, like modelsearch's other backends that handle expressions.
        yield from super()._get_order_by()


class WhooshAutocompleteQueryCompiler(WhooshSearchQueryCompiler):
    DEFAULT_OPERATOR = "and"
    autocomplete = True


# --- Results -------------------------------------------------------------------------


class WhooshSearchResults(BaseSearchResults):
    supports_facet = True

    def _index(self) -> WhooshIndex:
        return self.backend.get_index_for_model(self.query_compiler.queryset.model)

    def _run(self, searcher, limit, for_count=False):
        compiler = self.query_compiler
        query = compiler.get_query()
        filter_query = compiler.get_filter()
        if query is wq.NullQuery or filter_query is wq.NullQuery:
            return None
        kwargs = {"filter": filter_query, "limit": limit}
        if not for_count:
            sortedby = compiler.get_sortedby()
            if sortedby is not None:
                kwargs["sortedby"] = sortedby
        else:
            kwargs["scored"] = False
        return searcher.search(query, **kwargs)

    def _with_searcher(self, fn, empty):
        try:
            searcher = self._index().searcher()
        except IndexUnavailable as exc:
            logger.error("Search answered empty: %s", exc)
            _mark_unhealthy(exc)
            return empty
        try:
            with searcher:
                return fn(searcher)
        except (FilterFieldError, NotImplementedError):
            raise
        except Exception as exc:
            if isinstance(exc, (ValueError, TypeError)) and not _looks_like_damage(exc):
                raise
            logger.exception("Search index read failed")
            _mark_unhealthy(exc)
            return empty

    def _do_search(self):
        limit = self.stop if self.stop is not None else None
        if limit is not None and limit <= self.start:
            # An empty slice (Django's paginator asks for [0:0] on empty pages).
            return []

        def run(searcher):
            hits = self._run(searcher, limit)
            if hits is None:
                return []
            if hits.has_exact_length():
                # Clones share the compiler: count() after a slice costs nothing.
                self.query_compiler.whoosh_total = len(hits)
            return [(hit["pk"], hit.score) for hit in hits[self.start : limit]]

        pairs = self._with_searcher(run, [])
        if not pairs:
            return []
        pks = [pk for pk, _ in pairs]
        objects = {str(obj.pk): obj for obj in self.query_compiler.queryset.filter(pk__in=pks)}
        out = []
        for pk, score in pairs:
            obj = objects.get(pk)
            if obj is None:
                continue
            if self._score_field:
                setattr(obj, self._score_field, float(score) if score is not None else 0.0)
            out.append(obj)
        return out

    def _do_count(self):
        def run(searcher):
            hits = self._run(searcher, 1, for_count=True)
            return 0 if hits is None else len(hits)

        total = getattr(self.query_compiler, "whoosh_total", None)
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
        convert = _facet_converter(self.query_compiler.queryset.model, field)

        def run(searcher):
            hits = self._run(searcher, None, for_count=True)
            if hits is None:
                return OrderedDict()
            counts = facet_counts(searcher, hits.docs(), column + "__f")
            return OrderedDict((None if key is None else convert(key), count) for key, count in counts)

        return self._with_searcher(run, OrderedDict())


def facet_counts(searcher, docs, fieldname: str) -> list[tuple[str | None, int]]:
    """Counts of each keyword of ``fieldname`` among ``docs``, most frequent first;
    ``None`` counts the documents with no value. Runs on the postings, so the cost
    grows with the number of distinct values, not of documents."""
    docs = set(docs)
    reader = searcher.reader()
    counts = []
    seen = set()
    if fieldname in searcher.schema:
        for term in reader.lexicon(fieldname):
            postings = set(reader.postings(fieldname, term).all_ids())
            matched = postings & docs
            if matched:
                seen |= matched
                counts.append((term.decode("utf-8"), len(matched)))
    missing = len(docs - seen)
    if missing:
        counts.append((None, missing))
    counts.sort(key=lambda item: (-item[1], "" if item[0] is None else item[0]))
    return counts


def _facet_converter(model, field):
    kind = Mapping.filter_kind(model, field)
    if kind == "multi":
        related = field.get_field(model).related_model
        return related._meta.pk.to_python
    try:
        django_field = field.get_field(model)
        if django_field.is_relation:
            django_field = django_field.target_field
        return django_field.to_python
    except Exception:
        return lambda value: value


def _looks_like_damage(exc) -> bool:
    text = str(exc).lower()
    return any(word in text for word in ("toc", "segment", "pickle", "codec", "struct", "corrupt"))


# --- Backend -------------------------------------------------------------------------


class WhooshSearchBackend(BaseSearchBackend):
    query_compiler_class = WhooshSearchQueryCompiler
    autocomplete_query_compiler_class = WhooshAutocompleteQueryCompiler
    results_class = WhooshSearchResults
    rebuilder_class = WhooshIndexRebuilder
    index_class = WhooshIndex
    catch_indexing_errors = True

    def __init__(self, params):
        super().__init__(params)
        self.path = params.get("PATH") or getattr(settings, "SEARCH_INDEX_DIR", None)
        if not self.path:
            self.path = str(Path(settings.BASE_DIR) / "var" / "search-index")
        self.index_name = params.get("INDEX", "default")

    def get_index_for_model(self, model):
        return WhooshIndex(self, self.index_name)

    def delete(self, obj):
        """Queue the deletion: modelsearch calls this inside the request that
        deleted the object, and only the task worker writes to the index."""
        from search.tasks import delete_document_task

        key = Mapping(obj._meta.model).document_key(obj)
        transaction.on_commit(lambda: delete_document_task.enqueue(self.path, self.index_name, key))


SearchBackend = WhooshSearchBackend
