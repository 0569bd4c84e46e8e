"""Index writes that must not happen in a web request."""

from django_tasks import task


@task()
def delete_document_task(path: str, index_name: str, key: str) -> None:
    """Remove one document (``<model>:<pk>``) from the Whoosh index at ``path``."""
    from search.services import index_delete_key

    index_delete_key(path=path, index_name=index_name, key=key)
