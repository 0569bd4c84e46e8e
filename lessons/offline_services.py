"""Writes for offline lessons beyond the heartbeat itself: pruning old replay receipts.

A receipt (``offline_models.ReplayReceipt``) only has to outlive the replays of its beat: the
service worker sends what waits as soon as the connection returns, and again a few times when
an answer is lost. Receipts older than ``LESSONS_REPLAY_RECEIPT_DAYS`` (30 by default) are
deleted by a task that queues itself again a day later. A beat replayed after that long would
count its time once more, still bounded by the wall-clock budget of every heartbeat.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from .offline_models import ReplayReceipt

logger = logging.getLogger(__name__)

#: How often the pruning task runs, and the cache key that says a run is queued.
PRUNE_EVERY = timedelta(days=1)
PRUNE_QUEUED_KEY = "lessons:replay-prune-queued"


def receipt_days() -> int:
    """``LESSONS_REPLAY_RECEIPT_DAYS``: how long a replay receipt is kept (at least one day)."""
    return max(1, int(getattr(settings, "LESSONS_REPLAY_RECEIPT_DAYS", 30)))


@transaction.atomic
def replay_receipts_prune(*, now: datetime | None = None) -> int:
    """Delete the replay receipts older than ``receipt_days()``; returns how many went."""
    cutoff = (now or timezone.now()) - timedelta(days=receipt_days())
    deleted, _by_model = ReplayReceipt.objects.filter(created_at__lt=cutoff).delete()
    return deleted


def replay_prune_run(*, now: datetime | None = None) -> int:
    """The pruning task's work: prune, then queue the next run a period later (when the backend
    can defer tasks; otherwise the next lesson stored for offline use asks again). Returns how
    many receipts went."""
    from .tasks import prune_replay_receipts

    deleted = replay_receipts_prune(now=now)
    if prune_replay_receipts.get_backend().supports_defer:
        # The marker that queued this run has just expired (it lives a minute less than the
        # period), so this queues the next one; a second chain, started while the worker was
        # down, finds the marker set by the first and ends.
        replay_prune_schedule(now=now)
    return deleted


def replay_prune_schedule(*, now: datetime | None = None) -> bool:
    """Queue the pruning task unless a run is already queued (a marker in the shared cache that
    lives as long as the period): one chain of runs, however many processes ask.

    On a backend that can defer tasks the run is queued for a day later; on one that cannot
    (the immediate backend of the tests) it runs once now, at most once a period. Returns
    whether a run was queued.
    """
    from .tasks import prune_replay_receipts

    if not cache.add(PRUNE_QUEUED_KEY, True, timeout=int(PRUNE_EVERY.total_seconds()) - 60):
        return False
    if prune_replay_receipts.get_backend().supports_defer:
        run_at = (now or timezone.now()) + PRUNE_EVERY
        transaction.on_commit(lambda: prune_replay_receipts.using(run_after=run_at).enqueue())
    else:
        logger.debug("The task backend cannot defer tasks: replay receipts are pruned now, not daily.")
        transaction.on_commit(prune_replay_receipts.enqueue)
    return True
