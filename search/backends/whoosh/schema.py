"""Whoosh field types for the backend's documents, and the values they hold.

Whoosh pickles field types (and their analyzers) into the index schema: the
classes here keep their import path; moving one means ``manage.py update_index``.
"""

from __future__ import annotations

import datetime
import decimal

from django.db import models
from django.utils import timezone
from whoosh import columns
from whoosh import fields as wf

from search import analysis


def boost_name(boost) -> str:
    return "t_" + str(float(boost or 1)).replace(".", "_").replace("-", "m")


def to_naive_utc(value: datetime.datetime) -> datetime.datetime:
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
        return to_naive_utc(value).isoformat()
    if isinstance(value, (datetime.date, datetime.time)):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, decimal.Decimal):
        return str(value.normalize())
    return str(value)


def pk_sort(pk) -> str:
    if isinstance(pk, int):
        return f"{pk:020d}"
    return str(pk)


def text_of(value) -> str:
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        return "\n".join(text_of(v) for v in value)
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
    import path (``search.backends.whoosh.schema.SortKey``)."""

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
            return to_naive_utc(value)
        return datetime.datetime.combine(value, datetime.time())
    if kind == "date":
        if isinstance(value, datetime.datetime):
            return to_naive_utc(value)
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


def field_for_new_column(name: str):
    if name.endswith("__x"):
        return text_field(exact=True)
    if name.endswith("__ac"):
        return autocomplete_field()
    if name.endswith("__f"):
        return wf.KEYWORD(lowercase=False, commas=False)
    if name.endswith("__n"):
        return wf.ID(sortable=True)
    return text_field()
