"""Background tasks of the lessons app: thin wrappers that take ids and call a service."""

from django_tasks import task

from . import offline_services, services


@task()
def probe_video_document(document_id: int) -> None:
    """Read the duration of a stored MP4 document (see services.video_document_probe)."""
    services.video_document_probe(document_id=document_id)


@task()
def prune_replay_receipts() -> None:
    """Delete old replay receipts, then queue itself for the next day (offline_services.replay_prune_run)."""
    offline_services.replay_prune_run()
