"""A modelsearch (Wagtail search) backend on Whoosh, with Arabic and French analysis.

Select it with ``WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "search.backends.whoosh",
"PATH": ".../search-index"}}``.

One Whoosh index (a directory) holds every indexed model. Each document has:

- ``key`` (``<root model>:<pk>``), ``pk``, and ``pk_sort`` (a sort column, not
  indexed); ``ct``: the content types of the object and its indexed ancestors, so a
  search on ``Book`` finds novels;
- text by boost group: ``t_<boost>`` (stemmed) and ``t_<boost>__x`` (exact, ranked
  higher), plus the same per search field (``c_<column>`` / ``c_<column>__x``) for
  searches restricted with ``fields=[...]``; ``ac`` and ``<column>__ac``: edge
  n-grams for autocomplete (``<column>__ac`` only where it would differ from ``ac``,
  see :meth:`Mapping.shared_autocomplete_column`);
- per filter field: ``<column>__f`` (the value as a keyword: exact lookups, ``in``,
  prefixes, facets, and ranges on strings) and ``<column>__n`` (typed and sortable:
  ranges on numbers and dates, and ordering; for strings a sort column only);
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

A rebuild (``update_index``) fills a new generation with one writer held for the
whole rebuild (:class:`BatchWriter`); live writes made meanwhile go to the live
generation and to the rebuild's :class:`Journal`, replayed before the swap. A
rebuild that died leaves a stale :class:`RebuildMarker`, which live writes ignore
and the next rebuild cleans up. Texts are analysed once per document for their
exact and stemmed fields (:class:`PreAnalysis`), and every writer is a
:class:`search.backends.segments.PostingListWriter`, which gathers postings per
term and writes the segment Whoosh's own writer would.
"""

from __future__ import annotations

import datetime
import decimal
import fcntl
import json
import logging
import os
import pickle
import shutil
import socket
import threading
import time
import uuid
from collections import OrderedDict
from contextlib import contextmanager
from pathlib import Path

import numpy as np
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
from whoosh import columns, sorting
from whoosh import fields as wf
from whoosh import index as windex
from whoosh import query as wq
from whoosh.filedb.filestore import FileStorage

from search import analysis
from search.backends import scoring
from search.backends.segments import PostingListWriter

logger = logging.getLogger(__name__)

#: How much an exact (unstemmed) match weighs against a stemmed one.
EXACT_BOOST = 2.0
#: Stored body text is cut here: snippets come from the start of long documents.
STORED_BODY_CHARS = 20_000
CURRENT = "current"
BUILDING = "building"
#: A rebuild marker older than this (seconds) is stale whoever owns it
#: (``SEARCH_REBUILD_MAX_AGE`` in settings): its owner may run on another host,
#: whose processes this one cannot see.
REBUILD_MAX_AGE = 6 * 3600


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
        self._shared_ac: tuple[str | None] | None = None
        # Per (model, field): the field (kept alive, its id is the key), its column
        # and filter kind; search fields are class attributes, read per document.
        self._fields: dict[tuple[type, int], tuple] = {}
        self._types: tuple[str, str] | None = None

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

    def autocomplete_sources(self) -> list[str | None]:
        """The model's autocomplete texts, in ``search_fields`` order: the column of
        each top-level ``AutocompleteField``, None for each one under ``RelatedFields``."""
        sources: list[str | None] = []

        def walk(search_fields, top):
            for field in search_fields:
                if isinstance(field, RelatedFields):
                    walk(field.fields, False)
                elif isinstance(field, AutocompleteField):
                    sources.append(self.column_name(field) if top else None)

        walk(self.model.get_search_fields(), True)
        return sources

    def shared_autocomplete_column(self) -> str | None:
        """The column whose ``<column>__ac`` field would repeat ``ac`` in every
        document of this model's tree (the root model and its indexed subclasses),
        or None.

        ``ac`` holds all of a document's autocomplete texts; ``<column>__ac`` one
        field's, for ``autocomplete(fields=[...])``. When every model of the tree
        has that one top-level autocomplete field and no other (Wagtail pages:
        ``title``), both would hold the same grams for every document, so only
        ``ac`` is written and the query compiler searches ``ac`` for that field:
        the same documents match, with a third fewer postings to write."""
        if self._shared_ac is None:
            root = get_model_root(self.model)
            columns = set()
            shared = True
            for model in get_indexed_models():
                if not issubclass(model, root):
                    continue
                sources = Mapping(model).autocomplete_sources()
                if len(sources) > 1 or None in sources:
                    shared = False
                    break
                columns.update(sources)
            self._shared_ac = (columns.pop() if shared and len(columns) == 1 else None,)
        return self._shared_ac[0]

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
                if top and column != self.shared_autocomplete_column():
                    out[column + "__ac"] = autocomplete_field()
            elif isinstance(field, FilterField) and top:
                kind = self.filter_kind(model, field)
                out[column + "__f"] = wf.KEYWORD(lowercase=False, commas=False) if kind == "multi" else wf.ID()
                typed = typed_field(kind)
                if typed is not None:
                    out[column + "__n"] = typed

    # -- documents --

    def _field_info(self, model, field) -> tuple[str, str | None]:
        """(column, filter kind) of a field of ``model``, computed once per mapping."""
        key = (model, id(field))
        found = self._fields.get(key)
        if found is None:
            mapping = self if model is self.model else Mapping(model)
            kind = self.filter_kind(model, field) if isinstance(field, FilterField) else None
            found = self._fields[key] = (field, mapping.column_name(field), kind)
        return found[1], found[2]

    def document(self, obj) -> dict:
        if self._types is None:
            self._types = (self.content_type(get_model_root(self.model)), " ".join(self.all_content_types()))
        root_type, types = self._types
        doc = {
            "key": f"{root_type}:{obj.pk}",
            "pk": str(obj.pk),
            "pk_sort": _pk_sort(obj.pk),
            "ct": types,
        }
        texts: dict[str, list[str]] = {}
        autocomplete: list[str] = []
        nulls: list[str] = []
        body: list[str] = []
        self._fill(
            obj, self.model, self.model.get_search_fields(), doc, texts, autocomplete, nulls, top=True, body=body
        )
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
        shared_ac = self.shared_autocomplete_column() if top else None
        for field in search_fields:
            if isinstance(field, RelatedFields):
                value = field.get_value(obj)
                if value is None:
                    continue
                related = field.get_field(model).related_model
                related_objects = list(value.all()) if isinstance(value, (models.Manager, models.QuerySet)) else [value]
                for related_obj in related_objects:
                    self._fill(
                        related_obj, related, field.fields, doc, texts, autocomplete, nulls, top=False, body=body
                    )
                continue
            column, kind = self._field_info(model, field)
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
                    if top and column != shared_ac:
                        doc[column + "__ac"] = text
            elif isinstance(field, FilterField) and top:
                value = field.get_value(obj)
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


class SortKey(wf.COLUMN):
    """A string kept only as a sortable column, not indexed: ``pk_sort`` and the
    ``<column>__n`` of string filter fields, which are only sorted on (a range on a
    string field reads the same terms from ``<column>__f``). The column holds what
    ``ID(sortable=True)`` held (UTF-8 bytes), so sorting is unchanged; not
    indexing it saves a term, a posting list and a block per document.

    Whoosh pickles field types into the index schema: this class must keep its
    import path (``search.backends.whoosh.SortKey``)."""

    def __init__(self):
        super().__init__(columns.VarBytesColumn())

    def to_column_value(self, value):
        return value.encode("utf-8")

    def from_column_value(self, value):
        return value.decode("utf-8")


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
        return SortKey()
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
        pk_sort=SortKey(),
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
        self._batch: BatchWriter | None = None

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
        marker = read_marker(self.root)
        return marker.generation if marker else ""

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
        """A new searcher on the live index; the caller closes it."""
        try:
            return self.open().searcher()
        except IndexUnavailable:
            raise
        except Exception as exc:
            raise IndexUnavailable(f"The search index {self.name!r} cannot be read: {exc}") from exc

    @contextmanager
    def reading(self):
        """A searcher on the live index, kept open by this thread between uses.

        Opening a searcher reads the table of contents and opens every segment's
        files (about 10 ms, more than a whole query on a warm index). The kept
        searcher is reused while the index is unchanged and replaced after a
        commit or a rebuild's swap."""
        path = self._generation_dir()
        slot = (str(self.root), str(path))
        kept = getattr(_thread_searchers, "by_root", None)
        if kept is None:
            kept = _thread_searchers.by_root = {}
        entry = kept.pop(str(self.root), None)
        searcher = None
        if entry is not None:
            old_slot, old = entry
            if old_slot == slot and not old.is_closed:
                try:
                    # Not Whoosh's refresh(): the segment readers it reuses keep
                    # their old deleted-documents set, so updated documents
                    # would match twice.
                    if old.up_to_date():
                        searcher = old
                except Exception:
                    searcher = None
            if searcher is None:
                _close_quietly(old)
        if searcher is None:
            searcher = self.searcher()
        try:
            yield searcher
        except BaseException:
            # A read that failed may have met a damaged file: do not keep it.
            _close_quietly(searcher)
            raise
        kept[str(self.root)] = (slot, searcher)

    # -- writing (task worker or management command only) --

    def _writable(self) -> windex.Index:
        if not self.exists():
            if self.generation:
                raise IndexUnavailable(f"Generation {self.generation} vanished.")
            self._swap(self._create_generation())
        return self.open()

    def _writer(self, ix, limitmb: int = 128):
        return PostingListWriter(
            ix, timeout=getattr(settings, "SEARCH_WRITER_TIMEOUT", 60.0), delay=0.05, limitmb=limitmb
        )

    def add_model(self, model):
        if self._batch is not None:
            self._batch.commit()  # the schema change needs the write lock
        ix = self._writable()
        schema = ix.schema  # each read of ix.schema reads the table of contents from disk
        missing = {n: f for n, f in Mapping(model).schema_fields().items() if n not in schema}
        if missing:
            writer = self._writer(ix)
            for name, field in missing.items():
                writer.add_field(name, field)
            writer.commit()
            self._forget(ix)

    @classmethod
    def forget_open(cls) -> None:
        """Drop the indexes and this thread's searchers kept open, as in a freshly
        started process (tests that damage index files in place)."""
        with cls._open_lock:
            cls._open.clear()
        _thread_searchers.by_root = {}

    def _forget(self, ix):
        with self._open_lock:
            for key, cached in list(self._open.items()):
                if cached is ix:
                    del self._open[key]

    def _building(self) -> WhooshIndex | None:
        """The generation a live rebuild is filling, if any: live writes go there
        too, so a page saved during a rebuild is not lost at the swap. A marker left
        by a rebuild that died is ignored (see :class:`RebuildMarker`)."""
        if self.generation:
            return None
        marker = read_marker(self.root)
        if marker is None or marker.is_stale():
            return None
        generation = marker.generation
        if not generation or not (self.root / generation).exists():
            return None
        return WhooshIndex(self.backend, self.name, generation=generation)

    def clean_stale_rebuild(self) -> bool:
        """Delete a dead rebuild's marker and half-built generation; True if there was one."""
        marker = read_marker(self.root)
        if marker is None or not marker.is_stale():
            return False
        logger.warning("Removing the search index rebuild left by %s", marker.describe())
        current = self._generation_dir()
        if marker.generation and (current is None or current.name != marker.generation):
            shutil.rmtree(self.root / marker.generation, ignore_errors=True)
            Journal(self.root, marker.generation).remove()
        marker.remove(self.root)
        return True

    def add_items(self, model, items):
        items = list(items)
        if not items:
            return
        mappings: dict[type, Mapping] = {}
        documents = []
        for item in items:
            mapping = mappings.get(type(item))
            if mapping is None:
                mapping = mappings[type(item)] = Mapping(type(item))
            documents.append(mapping.document(item))
        building = self._building()
        if building is not None:
            building.receive_live(("add", documents))
        # After the rebuild's share: if the rebuild swapped meanwhile, ``current``
        # is the new generation and this write lands there.
        self._write_documents(documents)

    def receive_live(self, entry) -> None:
        """A live write for the generation a rebuild is filling: kept in the
        rebuild's journal (replayed before the swap, so the rebuild's writer need
        not be waited for), or written directly when there is no journal."""
        journal = Journal(self.root, self.generation)
        if journal.append(entry):
            return
        if not journal.exists() and self.exists():
            # A rebuild started by an older version of this code: no journal.
            apply_entry(self, entry)

    def _write_documents(self, documents: list[dict]) -> None:
        if self._batch is not None:
            self._batch.write(documents)
            return
        ix = self._writable()
        writer = self._writer(ix)
        try:
            _add_documents(writer, documents)
        except Exception:
            writer.cancel()
            raise
        writer.commit()

    # -- batch writing (a rebuild's new generation) --

    def start_batch(self) -> None:
        """Hold one writer across :meth:`add_items` calls (see :class:`BatchWriter`)."""
        self._batch = BatchWriter(self)

    def finish_batch(self) -> None:
        """Commit what the batch writer holds (one segment) and return to a writer per call."""
        batch, self._batch = self._batch, None
        if batch is not None:
            batch.finish()

    def delete_item(self, item):
        self.delete_key(Mapping(type(item)).document_key(item))

    def delete_key(self, key: str) -> None:
        building = self._building()
        if building is not None:
            building.receive_live(("delete", key))
        if self.exists():
            ix = self.open()
            writer = self._writer(ix)
            writer.delete_by_term("key", key)
            writer.commit()

    def refresh(self):
        # Whoosh makes a commit visible to the next searcher; nothing to do.
        pass

    def reset(self):
        self._swap(self._create_generation())


_thread_searchers = threading.local()


def _close_quietly(searcher) -> None:
    try:
        searcher.close()
    except Exception:
        logger.debug("Closing a kept searcher failed", exc_info=True)


def _add_documents(writer, documents: list[dict]) -> None:
    analyzed = PreAnalysis(writer.schema)
    for doc in documents:
        for name in doc:
            if name not in writer.schema:
                # A model or field added since the last rebuild.
                writer.add_field(name, _field_for_new_column(name))
        writer.update_document(**analyzed.document(doc))


class BatchWriter:
    """The writer of a rebuild's new generation, held for the whole rebuild.

    A commit per chunk of 1,000 writes a segment per chunk, and Whoosh's merge
    policy then rewrites small segments again and again (merging is the slowest
    path in whoosh3: it looks up each posting's field length through a file-exists
    check). One writer held open gathers its postings per term (spilling sorted
    runs to disk past ``SEARCH_REBUILD_LIMITMB``, see
    :class:`search.backends.segments.PostingLists`) and writes one segment, which
    is also the fastest layout to search. Live writes meanwhile go to the
    rebuild's :class:`Journal` instead of waiting for this writer's lock.

    (Whoosh's multiprocessing writer was measured too: on this 2-core machine its
    sub-processes plus the merge of their segments made a rebuild slower.)"""

    def __init__(self, index: WhooshIndex):
        self.index = index
        self.limitmb = int(getattr(settings, "SEARCH_REBUILD_LIMITMB", 256))
        self.writer = None

    def write(self, documents: list[dict]) -> None:
        if self.writer is None:
            ix = self.index._writable()
            self.writer = self.index._writer(ix, limitmb=self.limitmb)
        try:
            _add_documents(self.writer, documents)
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

    def finish(self) -> None:
        self.commit()


class Journal:
    """Live writes made while a rebuild fills a generation: one pickled entry per
    write (``("add", documents)`` or ``("delete", key)``) in ``.journal-<generation>/``,
    replayed by the rebuild before it swaps the generation in. A file lock orders
    appends against the replay: once the rebuild has swapped, the journal is closed
    and live writes go to ``current``, which is then the new generation."""

    def __init__(self, root: Path, generation: str):
        self.dir = root / f".journal-{generation}"
        self.lockfile = root / f".journal-{generation}.lock"

    def exists(self) -> bool:
        return self.dir.is_dir()

    def create(self) -> None:
        self.dir.mkdir(parents=True, exist_ok=True)

    @contextmanager
    def locked(self):
        with open(self.lockfile, "a") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def append(self, entry) -> bool:
        """Keep one live write; False if the journal is closed or absent."""
        if not self.exists():
            return False
        with self.locked():
            if not self.exists() or (self.dir / "closed").exists():
                return False
            name = f"{time.time_ns():020d}-{uuid.uuid4().hex[:8]}.pickle"
            tmp = self.dir / f".{name}"
            tmp.write_bytes(pickle.dumps(entry, protocol=pickle.HIGHEST_PROTOCOL))
            os.replace(tmp, self.dir / name)
        return True

    def entries(self) -> list:
        # Written by this application only, beside the index Whoosh itself pickles.
        return [pickle.loads(path.read_bytes()) for path in sorted(self.dir.glob("*.pickle"))]  # noqa: S301

    def close(self) -> None:
        (self.dir / "closed").touch()

    def remove(self) -> None:
        shutil.rmtree(self.dir, ignore_errors=True)
        self.lockfile.unlink(missing_ok=True)


def apply_entry(index: WhooshIndex, entry) -> None:
    """Write one journal entry to a generation."""
    action, payload = entry
    if action == "add":
        index._write_documents(payload)
    elif action == "delete":
        ix = index.open()
        writer = index._writer(ix)
        writer.delete_by_term("key", payload)
        writer.commit()


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


def _process_start(pid: int) -> str:
    """The kernel's start time of a process (Linux ``/proc``), or "" if unknown:
    with the pid it names one process, even after the pid is reused."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return ""
    # Field 22, counted after the command name (which may hold spaces) closes.
    return stat.rpartition(")")[2].split()[19]


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # exists, owned by another user
    except OSError:
        return False
    return True


class RebuildMarker:
    """The ``building`` file: which generation a rebuild is filling and who runs it
    (pid, host, the process's start time, when the rebuild started).

    The marker is stale, and live writes ignore it, when its owner is gone: on this
    host, no process has that pid (or the pid now belongs to a process started
    later); on any host, it is older than ``SEARCH_REBUILD_MAX_AGE`` seconds. A
    marker from before owners were recorded (a bare generation name) counts by age."""

    def __init__(
        self,
        generation: str,
        pid: int | None = None,
        host: str = "",
        process_start: str = "",
        started: float | None = None,
    ):
        self.generation = generation
        self.pid = pid
        self.host = host
        self.process_start = process_start
        self.started = time.time() if started is None else started

    @classmethod
    def for_this_process(cls, generation: str) -> RebuildMarker:
        pid = os.getpid()
        return cls(generation, pid=pid, host=socket.gethostname(), process_start=_process_start(pid))

    def to_json(self) -> str:
        return json.dumps(
            {
                "generation": self.generation,
                "pid": self.pid,
                "host": self.host,
                "process_start": self.process_start,
                "started": self.started,
            }
        )

    @classmethod
    def parse(cls, text: str, mtime: float) -> RebuildMarker | None:
        text = text.strip()
        if not text:
            return None
        try:
            data = json.loads(text)
        except ValueError:
            data = None
        if not isinstance(data, dict):
            return cls(text, started=mtime)  # the old format: the generation alone
        return cls(
            str(data.get("generation") or ""),
            pid=int(data["pid"]) if data.get("pid") is not None else None,
            host=str(data.get("host") or ""),
            process_start=str(data.get("process_start") or ""),
            started=float(data.get("started") or mtime),
        )

    def owned_by_this_process(self) -> bool:
        return self.pid == os.getpid() and self.host == socket.gethostname()

    def is_stale(self, now: float | None = None) -> bool:
        max_age = float(getattr(settings, "SEARCH_REBUILD_MAX_AGE", REBUILD_MAX_AGE))
        now = time.time() if now is None else now
        if now - self.started > max_age:
            return True
        if self.pid is None or self.host != socket.gethostname():
            return False  # cannot see the owner: only the age decides
        if not _pid_alive(self.pid):
            return True
        current_start = _process_start(self.pid)
        return bool(self.process_start and current_start and current_start != self.process_start)

    def describe(self) -> str:
        started = datetime.datetime.fromtimestamp(self.started, tz=datetime.UTC).isoformat(timespec="seconds")
        return f"generation {self.generation} (pid {self.pid} on {self.host or '?'}, started {started})"

    def write(self, root: Path) -> None:
        tmp = root / f".{BUILDING}-{self.generation}"
        tmp.write_text(self.to_json())
        os.replace(tmp, root / BUILDING)

    def remove(self, root: Path) -> None:
        """Remove the marker if it is still this one (another rebuild may have replaced it)."""
        current = read_marker(root)
        if current is not None and current.generation == self.generation:
            (root / BUILDING).unlink(missing_ok=True)


def read_marker(root: Path) -> RebuildMarker | None:
    """The rebuild marker in an index folder, or None."""
    path = root / BUILDING
    try:
        text = path.read_text()
        mtime = path.stat().st_mtime
    except OSError:
        return None
    return RebuildMarker.parse(text, mtime)


class RebuildInProgress(RuntimeError):
    """Another live process is rebuilding this index."""


class WhooshIndexRebuilder:
    """Builds a new generation aside, then swaps it in: searches keep answering
    from the old generation until the new one is complete.

    ``start()`` first removes what a dead rebuild left (its marker and half-built
    generation) and refuses to start beside a rebuild that is still running."""

    def __init__(self, index: WhooshIndex):
        self.index = index
        self.new_index = None
        self.marker = None

    def start(self):
        self.index.root.mkdir(parents=True, exist_ok=True)
        self.index.clean_stale_rebuild()
        running = read_marker(self.index.root)
        if running is not None and not running.owned_by_this_process():
            raise RebuildInProgress(f"The search index {self.index.name!r} is being rebuilt: {running.describe()}.")
        generation = self.index._create_generation()
        self.new_index = WhooshIndex(self.index.backend, self.index.name, generation=generation)
        self.new_index.start_batch()
        self.journal = Journal(self.index.root, generation)
        self.journal.create()
        self.marker = RebuildMarker.for_this_process(generation)
        self.marker.write(self.index.root)
        return self.new_index

    def finish(self):
        self.new_index.finish_batch()
        # Replay the live writes made during the rebuild (they are newer than the
        # chunks it read), then swap, all under the journal's lock so no live
        # write falls between the replay and the swap.
        with self.journal.locked():
            for entry in self.journal.entries():
                apply_entry(self.new_index, entry)
            self.index._swap(self.new_index.generation)
            self.journal.close()
            self.marker.remove(self.index.root)
        self.journal.remove()
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
            shared = self.mapping.shared_autocomplete_column()  # written to ``ac`` only
            columns = [self.mapping.column_name(fields[n]) for n in self.fields if n in fields]
            return ["ac" if column == shared else column + "__ac" for column in columns]
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

    def _queries(self):
        """(text query, filter query), or ``None`` when nothing can match."""
        compiler = self.query_compiler
        query = compiler.get_query()
        filter_query = compiler.get_filter()
        if query is wq.NullQuery or filter_query is wq.NullQuery:
            return None
        return query, filter_query

    def _with_searcher(self, fn, empty):
        try:
            with self._index().reading() as searcher:
                return fn(searcher)
        except IndexUnavailable as exc:
            logger.error("Search answered empty: %s", exc)
            _mark_unhealthy(exc)
            return empty
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
            return [(searcher.stored_fields(doc)["pk"], score) for doc, score in hits]

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
            queries = self._queries()
            if queries is None:
                return 0
            return int(np.count_nonzero(query_mask(searcher, self._index(), *queries)))

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
            queries = self._queries()
            if queries is None:
                return OrderedDict()
            mask = query_mask(searcher, self._index(), *queries)
            counts = scoring.facet_counts(searcher, mask, column + "__f")
            return OrderedDict((None if key is None else convert(key), count) for key, count in counts)

        return self._with_searcher(run, OrderedDict())


def query_hits(
    searcher, index: WhooshIndex, query, filter_query, *, start: int = 0, stop: int | None = None, sortedby=None
):
    """Hits ``start:stop`` of ``query`` among the documents ``filter_query`` allows,
    as (document number, score) pairs, and the total number of hits.

    Queries of the shapes :mod:`search.backends.scoring` evaluates run there
    (arrays over the whole index), ordered by relevance or by sortable columns;
    phrases and fuzzy terms run through Whoosh's collector."""
    order = _column_order(searcher, sortedby)
    vector = _vectorised(searcher, index, query, filter_query) if order is not None else None
    if vector is not None:
        if vector is _NO_MATCH:
            return [], 0
        docs, scores, total = scoring.rank(*vector, start, stop, order)
        return list(zip(docs.tolist(), scores.tolist(), strict=True)), total
    kwargs = {"filter": filter_docs(searcher, index, filter_query), "limit": stop}
    if sortedby is not None:
        kwargs["sortedby"] = sortedby
    results = searcher.search(query, **kwargs)
    return [(hit.docnum, hit.score) for hit in results[start:stop]], len(results)


_NO_MATCH = object()


def _vectorised(searcher, index: WhooshIndex, query, filter_query):
    """(evaluated query, allowed-documents mask) from :mod:`search.backends.scoring`;
    ``_NO_MATCH`` when nothing can match; ``None`` when Whoosh's collector must run."""
    plan = scoring.compile_plan(query)
    if plan is None:
        return None
    if plan is scoring.NOTHING or filter_query is wq.NullQuery:
        return _NO_MATCH
    return scoring.evaluate_cached(searcher, plan), filter_mask(searcher, index, filter_query)


def _column_order(searcher, sortedby) -> list | None:
    """``sortedby`` as (column ranks, reverse) pairs for the vectorised scorer:
    ``[]`` for relevance, ``None`` when a facet is not a plain sortable column."""
    if sortedby is None:
        return []
    facets = sortedby if isinstance(sortedby, (list, tuple)) else [sortedby]
    order = []
    for facet in facets:
        if type(facet) is not sorting.FieldFacet or getattr(facet, "allow_overlap", False):
            return None
        ranks = scoring.column_ranks(searcher, facet.fieldname)
        if ranks is None:
            return None
        order.append((ranks, bool(facet.reverse)))
    return order


def query_mask(searcher, index: WhooshIndex, query, filter_query) -> np.ndarray:
    """Every document matching ``query`` that ``filter_query`` allows, as a
    boolean array over the index's document numbers (counts and facets)."""
    vector = _vectorised(searcher, index, query, filter_query)
    if vector is _NO_MATCH:
        return np.zeros(searcher.doc_count_all(), dtype=bool)
    if vector is not None:
        scored, allowed = vector
        return scored.matched & allowed
    hits = searcher.search(query, filter=filter_docs(searcher, index, filter_query), limit=None, scored=False)
    return scoring.docs_mask(hits.docs(), searcher.doc_count_all())


_filter_lock = threading.Lock()
_filter_cache: OrderedDict = OrderedDict()
#: Filter document sets kept per process (a few KB each: one bit per document).
FILTER_CACHE_SIZE = 64


def _filter_key(searcher, index: WhooshIndex, filter_query):
    """The cache key of a filter for what this searcher sees, or ``None``."""
    try:
        generation = searcher.reader().generation()
        key = (str(index._generation_dir()), generation, repr(filter_query))
    except Exception:
        return None
    if generation is None or generation < 0:
        return None  # an unversioned reader: nothing safe to key on
    return key


def _filter_cached(key, make):
    if key is None:
        return make()
    with _filter_lock:
        found = _filter_cache.get(key)
        if found is not None:
            _filter_cache.move_to_end(key)
            return found
    found = make()
    with _filter_lock:
        _filter_cache[key] = found
        while len(_filter_cache) > FILTER_CACHE_SIZE:
            _filter_cache.popitem(last=False)
    return found


def filter_docs(searcher, index: WhooshIndex, filter_query):
    """The documents a filter allows, as a bit set cached per index state.

    Whoosh turns a filter query into a set of document numbers on every search,
    walking its postings: the content-type filter alone lists every document of
    the model (all 100,000 in the benchmark). Document numbers only change with a
    commit, so the set is kept per (generation folder, commit generation, filter)."""
    key = _filter_key(searcher, index, filter_query)
    if key is None:
        return filter_query
    return _filter_cached(key, lambda: searcher._filter_to_comb(filter_query))


def filter_mask(searcher, index: WhooshIndex, filter_query):
    """The documents a filter allows, as a boolean array (for the vectorised
    scorer), cached like :func:`filter_docs`."""
    key = _filter_key(searcher, index, filter_query)

    def make():
        return scoring.docs_mask(searcher._filter_to_comb(filter_query), searcher.doc_count_all())

    return _filter_cached(None if key is None else key + ("mask",), make)


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
