"""The search page's questions answered through modelsearch's API, for any backend
other than Whoosh (OpenSearch at scale, modelsearch's database backends).

The Whoosh backend's results answer them in the index
(``search.backends.whoosh.results``); :class:`ModelsearchResults` gives the
same methods on top of ``queryset.search()``, so the search page takes one path.
"""

from __future__ import annotations

import logging

from django.core.exceptions import FieldError
from modelsearch.backends.base import FilterFieldError
from modelsearch.index import FilterField, get_indexed_models
from wagtail.models import Page

logger = logging.getLogger(__name__)


class ModelsearchResults:
    """The search page's questions (those the Whoosh results answer in the index)
    answered through modelsearch's API, for any other backend.

    - ``narrow``: the database filters the pages (for a page model's own field,
      by the ids of the pages that have the value; a property such as the
      archive's ``start_year`` cannot be filtered there and is left out);
    - ``facet_values``: ``results.facet(<attribute>)`` on ``Page`` for Page's own
      fields (the content type) and on each page model that declares the field
      otherwise, where the backend can facet on it (OpenSearch indexes
      properties; the database backends cannot facet on them);
    - no stored text (snippets come from the page's own fields) and no suggestion.
    """

    index_unavailable = False

    def __init__(self, search, search_query, narrowing: dict[str, list[str]] | None = None):
        #: Where the page's results come from: the queryset, the backend's alias,
        #: the order and the scope (``search.selectors``).
        self.search = search
        self.search_query = search_query
        self.narrowing = narrowing or {}
        self.results = self._search(search.queryset, search.order_by_relevance)

    def _search(self, queryset, order_by_relevance: bool):
        for field_name, values in self.narrowing.items():
            models = _facet_models(field_name)
            if values and models:
                queryset = _filter_by_field(queryset, field_name, values, models)
        return queryset.search(self.search_query, order_by_relevance=order_by_relevance, backend=self.search.backend)

    def narrow(self, values_by_field: dict[str, list[str]]) -> ModelsearchResults:
        return ModelsearchResults(self.search, self.search_query, {**self.narrowing, **values_by_field})

    def count(self) -> int:
        return self.results.count()

    def __getitem__(self, key):
        return self.results[key]

    def stored_body(self, obj) -> None:
        return None

    def suggestion(self) -> str:
        return ""

    def facet_values(self, field_name: str) -> dict[str, int]:
        merged: dict[str, int] = {}
        try:
            for model in _facet_models(field_name):
                base = self.search.queryset if model is Page else self.search.scope(model.objects.all())
                # Backends facet by attribute name (content_type_id for a foreign key).
                attname = next(
                    f.get_attname(model) for f in model.get_filterable_search_fields() if f.field_name == field_name
                )
                for key, count in self._search(base, False).facet(attname).items():
                    if key is not None and key != "" and count:
                        merged[str(key)] = merged.get(str(key), 0) + count
        except (FieldError, FilterFieldError, ValueError, TypeError, NotImplementedError) as exc:
            logger.info("Facet %s not available on this backend: %s", field_name, exc)
            return {}
        return merged


def _facet_models(field_name: str) -> list[type[Page]]:
    """Page models that declare the facet's field as a ``FilterField`` (Page itself first)."""
    models = []
    for model in get_indexed_models():
        if not issubclass(model, Page):
            continue
        if any(isinstance(f, FilterField) and f.field_name == field_name for f in model.get_search_fields()):
            models.append(model)
    # A field every page has (content_type) is counted once, on Page.
    if Page in models:
        return [Page]
    # Count each page once: drop models whose parent model already declares the field.
    return [m for m in models if not any(o is not m and issubclass(m, o) for o in models)]


def _filter_by_field(queryset, field_name: str, values: list[str], models: list[type[Page]]):
    """``queryset`` narrowed to pages whose facet field has one of ``values``."""
    if models == [Page]:
        return queryset.filter(**{f"{field_name}__in": values})
    ids: list[int] = []
    for model in models:
        try:
            ids.extend(model.objects.filter(**{f"{field_name}__in": values}).values_list("pk", flat=True))
        except (FieldError, ValueError, TypeError):
            # A property (start_year) is indexed but the database cannot filter on it.
            logger.info("Facet %s cannot filter through the ORM on %s", field_name, model.__name__)
            return queryset
    return queryset.filter(pk__in=ids)
