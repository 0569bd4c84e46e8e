"""The demo content for tests, with its search index written in one batch.

``load_demo`` saves some five hundred pages, snippets and records; with tasks run inline each
save commits its own Whoosh segment and merges the small ones, which was about 70 % of the
command's time in the tests (profiled 2026-12-04: 254 of 365 s in ``WhooshIndex.add_items``).
Here the per-save index updates are off (modelsearch's ``AUTO_UPDATE``) while the demo loads,
then ``update_index`` writes the same documents through the rebuild's batch writer.
"""

import os

from django.core.management import call_command
from django.test import override_settings


def load_demo_batched() -> None:
    """Run ``load_demo``, then index what it made in one batch (same documents, one commit).

    Tests that check what ``load_demo`` itself does to the index must call the command instead.
    """
    from django.conf import settings

    def without_auto_update(backends: dict) -> dict:
        return {alias: {**params, "AUTO_UPDATE": False} for alias, params in backends.items()}

    with override_settings(
        WAGTAILSEARCH_BACKENDS=without_auto_update(settings.WAGTAILSEARCH_BACKENDS),
        MODELSEARCH_BACKENDS=without_auto_update(settings.MODELSEARCH_BACKENDS),
    ):
        call_command("load_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    call_command("update_index", verbosity=0)
