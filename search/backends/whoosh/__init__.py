"""A modelsearch (Wagtail search) backend on Whoosh, with Arabic and French analysis.

Select it with ``WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "search.backends.whoosh",
"PATH": ".../search-index"}}`` (modelsearch imports this package's ``SearchBackend``).

The modules, each one concern (``search/README.md`` says how they fit together):

- :mod:`.schema` and :mod:`.mapping`: field types, and how a model's
  ``search_fields`` become a Whoosh document;
- :mod:`.compiler`: modelsearch queries, filters and orderings as Whoosh queries;
- :mod:`.execution`, :mod:`.scoring`, :mod:`.arrays`: running them (vectorised
  BM25F over arrays read from the index, Whoosh's collector for other shapes);
- :mod:`.results`: modelsearch's results, plus the search page's facets,
  snippets and suggestions;
- :mod:`.index`, :mod:`.writing`, :mod:`.segments`, :mod:`.posting_lists`,
  :mod:`.rebuild`, :mod:`.markers`: the index's generations, writes, and rebuilds;
- :mod:`.health`: whether the index reads;
- :mod:`.internals`: every use of whoosh3's internals (the seam);
- :mod:`.backend`: the backend class.
"""

from search.backends.whoosh.backend import SearchBackend, WhooshSearchBackend, deletion_requested
from search.backends.whoosh.index import IndexUnavailable
from search.backends.whoosh.rebuild import RebuildInProgress

__all__ = ["IndexUnavailable", "RebuildInProgress", "SearchBackend", "WhooshSearchBackend", "deletion_requested"]
