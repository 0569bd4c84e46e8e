"""Background tasks of the editorial layer: thin, they call a service."""

from django_tasks import task

from . import services


@task()
def publish_scheduled_pages() -> None:
    """Publish the pages whose go-live has come, unpublish the expired ones, then queue
    itself again for the next scheduled time (services.publish_scheduled): the task worker
    runs scheduled publishing, no cron is needed."""
    services.publish_scheduled()
