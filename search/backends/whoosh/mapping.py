"""How a model's ``search_fields`` become the fields of a Whoosh document.

Each document has:

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
"""

from __future__ import annotations

from django.db import models
from modelsearch.backends.base import get_model_root
from modelsearch.index import AutocompleteField, FilterField, Indexed, RelatedFields, SearchField, get_indexed_models
from whoosh import fields as wf

from search.backends.whoosh.schema import (
    autocomplete_field,
    base_schema,
    boost_name,
    keyword_value,
    pk_sort,
    text_field,
    text_of,
    typed_field,
    typed_value,
)

#: Stored body text is cut here: snippets come from the start of long documents.
STORED_BODY_CHARS = 20_000


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
                    group = boost_name(field.boost)
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
            "pk_sort": pk_sort(obj.pk),
            "ct": types,
        }
        parts = _Parts(doc)
        self._fill(obj, self.model, self.model.get_search_fields(), parts, top=True)
        for group, values in parts.texts.items():
            joined = "\n".join(values)
            doc[group] = joined
            doc[group + "__x"] = joined
        if parts.autocomplete:
            doc["ac"] = " ".join(parts.autocomplete)
        if parts.nulls:
            doc["nulls"] = " ".join(parts.nulls)
        title = getattr(obj, "title", None) or getattr(obj, "name", None) or str(obj)
        doc["doc_title"] = str(title)[:1000]
        doc["doc_body"] = "\n".join(parts.body)[:STORED_BODY_CHARS]
        return doc

    def _fill(self, obj, model, search_fields, parts: _Parts, top: bool) -> None:
        shared_ac = self.shared_autocomplete_column() if top else None
        for field in search_fields:
            if isinstance(field, RelatedFields):
                value = field.get_value(obj)
                if value is None:
                    continue
                related = field.get_field(model).related_model
                related_objects = list(value.all()) if isinstance(value, (models.Manager, models.QuerySet)) else [value]
                for related_obj in related_objects:
                    self._fill(related_obj, related, field.fields, parts, top=False)
                continue
            column, kind = self._field_info(model, field)
            if isinstance(field, SearchField):
                parts.add_text(field, column, text_of(field.get_value(obj)), top)
            elif isinstance(field, AutocompleteField):
                text = text_of(field.get_value(obj))
                if text:
                    parts.autocomplete.append(text)
                    if top and column != shared_ac:
                        parts.doc[column + "__ac"] = text
            elif isinstance(field, FilterField) and top:
                parts.add_filter(column, kind, field.get_value(obj))


class _Parts:
    """A document being built: its fields, and the texts joined at the end."""

    __slots__ = ("doc", "texts", "autocomplete", "nulls", "body")

    def __init__(self, doc: dict):
        self.doc = doc
        self.texts: dict[str, list[str]] = {}
        self.autocomplete: list[str] = []
        self.nulls: list[str] = []
        self.body: list[str] = []

    def add_text(self, field, column: str, text: str, top: bool) -> None:
        if not text:
            return
        self.body.append(text)
        # Top-level fields have their own columns (also used by fields=[...]);
        # related ones are grouped by boost.
        if top:
            self.doc["c_" + column] = text
            self.doc["c_" + column + "__x"] = text
        else:
            self.texts.setdefault(boost_name(field.boost), []).append(text)

    def add_filter(self, column: str, kind: str, value) -> None:
        if isinstance(value, (models.Manager, models.QuerySet)):
            value = list(value.values_list("pk", flat=True))
        if value is None or (kind == "multi" and not value):
            self.nulls.append(column)
            return
        if kind == "multi":
            self.doc[column + "__f"] = " ".join(keyword_value(v) for v in value)
            return
        self.doc[column + "__f"] = keyword_value(value)
        typed = typed_value(kind, value)
        if typed is not None:
            self.doc[column + "__n"] = typed


def full_schema() -> wf.Schema:
    """The schema for every indexed model of the project."""
    schema = base_schema()
    for model in get_indexed_models():
        for name, field in Mapping(model).schema_fields().items():
            if name not in schema:
                schema.add(name, field)
    return schema


def facet_value_converter(model, field):
    """Turns a facet's keyword back into the field's Python value."""
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
