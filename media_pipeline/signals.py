"""Signals other apps listen to (the pipeline imports none of them)."""

from django.dispatch import Signal

#: Sent once the transaction that added or replaced a caption track has committed;
#: keyword argument ``asset``. The search app re-indexes the pages that use the recording.
captions_changed = Signal()
