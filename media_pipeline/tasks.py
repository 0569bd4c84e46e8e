"""Background tasks: thin wrappers that take ids and call a service."""

from django_tasks import task

from . import services
from .storage import delete_names


@task()
def process_asset(asset_id: int) -> None:
    """Encode a queued recording (see services.asset_process)."""
    services.asset_process(asset_id=asset_id)


@task()
def delete_files(names: list[str]) -> None:
    """Delete stored files after the row that owned them is gone."""
    delete_names(names)


@task()
def requeue_stalled() -> list[int]:
    """Watchdog run: queue again the jobs that stopped reporting progress."""
    return services.requeue_stalled()
