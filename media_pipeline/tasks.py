"""Background tasks: thin wrappers that take ids and call a service."""

from django_tasks import task

from . import services
from .storage import delete_names


@task(takes_context=True)
def process_asset(context, asset_id: int) -> None:
    """Encode a queued recording (see services.asset_process); the task's id goes on the
    encode so that the watchdog can mark this row failed if the worker dies."""
    services.asset_process(asset_id=asset_id, task_id=str(context.task_result.id))


@task()
def delete_files(names: list[str]) -> None:
    """Delete stored files after the row that owned them is gone."""
    delete_names(names)


@task()
def requeue_stalled() -> list[int]:
    """Watchdog run: queue again the jobs whose worker died."""
    return services.requeue_stalled()
