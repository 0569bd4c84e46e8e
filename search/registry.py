"""Facets that content apps register with the search page.

The search app imports no content app: a content app declares a ``FilterField``
on its models (``index.FilterField("theme")``) and registers a facet for it,
usually in its ``AppConfig.ready()``::

    from search.registry import register_facet

    register_facet(
        "theme",
        label=_("Theme"),
        field_name="theme",
        value_labels=lambda keys: dict(Theme.objects.filter(pk__in=keys).values_list("pk", "name")),
    )

Every indexed model with a ``FilterField`` of that name contributes to the facet;
counts are computed in the index.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

ValueLabels = Callable[[list[str]], dict[str, str]]


@dataclass(frozen=True)
class Facet:
    """One facet of the search page."""

    key: str
    label: str
    field_name: str
    value_labels: ValueLabels | None = None
    order: int = 100
    #: Sort values by label (themes) instead of by count (years sort by value).
    sort: str = "count"
    extra: dict = field(default_factory=dict)

    def labels(self, keys: Iterable[str]) -> dict[str, str]:
        keys = [k for k in keys if k is not None]
        labels = {}
        if self.value_labels and keys:
            labels = {str(k): str(v) for k, v in self.value_labels(keys).items()}
        return {k: labels.get(k, k) for k in keys}


_FACETS: dict[str, Facet] = {}


def register_facet(
    key: str,
    *,
    label: str,
    field_name: str,
    value_labels: ValueLabels | None = None,
    order: int = 100,
    sort: str = "count",
) -> Facet:
    """Register (or replace) the facet ``key``, shown as ``?key=value`` on /search/."""
    if not key.isidentifier() or key in {"q", "page", "sort"}:
        raise ValueError(f"Invalid facet key: {key!r}")
    facet = Facet(key=key, label=label, field_name=field_name, value_labels=value_labels, order=order, sort=sort)
    _FACETS[key] = facet
    return facet


def unregister_facet(key: str) -> None:
    """Remove a facet (tests)."""
    _FACETS.pop(key, None)


def registered_facets() -> list[Facet]:
    """The facets in display order."""
    return sorted(_FACETS.values(), key=lambda f: (f.order, f.key))


def _content_type_labels(keys: list[str]) -> dict[str, str]:
    from django.contrib.contenttypes.models import ContentType

    out = {}
    for ct in ContentType.objects.filter(pk__in=[k for k in keys if k.isdigit()]):
        model = ct.model_class()
        out[str(ct.pk)] = str(model._meta.verbose_name_plural if model else ct.model).capitalize()
    return out


def register_builtin_facets() -> None:
    """The content type facet, from Wagtail's ``Page.content_type`` filter field."""
    register_facet(
        "type",
        label=_("Content type"),
        field_name="content_type",
        value_labels=_content_type_labels,
        order=0,
    )
