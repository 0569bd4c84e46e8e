"""Business logic of the media pipeline, one module per concern.

- ``upload``: store an original, queue, retry, cancel, list and delete files;
- ``encoding``: the worker's job (probe, ladder, heartbeat, progress), ``publishing``
  what it stores and how the asset switches to a new encode;
- ``captions`` and ``preferences``: caption tracks and the learner's player settings;
- ``watchdog``: jobs whose worker died are queued again.

The public names stay importable from ``media_pipeline.services``.
"""

from .captions import caption_set, srt_to_vtt
from .encoding import PipelineFailure, asset_process
from .preferences import SPEEDS, player_preference_set
from .upload import (
    asset_cancel,
    asset_create,
    asset_delete,
    asset_enqueue,
    asset_files,
    asset_retry,
    asset_usage_count,
    media_type_for,
    safe_filename,
    schedule_file_deletion,
)
from .watchdog import requeue_stalled

__all__ = [
    "SPEEDS",
    "PipelineFailure",
    "asset_cancel",
    "asset_create",
    "asset_delete",
    "asset_enqueue",
    "asset_files",
    "asset_process",
    "asset_retry",
    "asset_usage_count",
    "caption_set",
    "media_type_for",
    "player_preference_set",
    "requeue_stalled",
    "safe_filename",
    "schedule_file_deletion",
    "srt_to_vtt",
]
