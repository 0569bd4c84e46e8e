"""modelsearch's own name for ``update_index``, which its conformance suite calls."""

from modelsearch.management.commands.rebuild_modelsearch_index import Command  # noqa: F401
