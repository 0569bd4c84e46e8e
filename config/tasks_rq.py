"""The Redis (RQ) task backend used past one machine (``TASKS_BACKEND=rq``).

django-tasks-rq puts a job into Redis the moment it is enqueued, even inside a
transaction that has not committed yet, so a worker can pick up a job for a row
it cannot see yet; and RQ workers drop results after 500 seconds. The backend
below defers the enqueue to ``transaction.on_commit`` and the worker class keeps
results for ``RQ_RESULT_TTL`` seconds.
"""

from django.conf import settings
from django.db import transaction
from django_tasks.base import TaskResult
from django_tasks_rq import RQBackend
from rq import Worker


class OnCommitRQBackend(RQBackend):
    """RQ backend that sends jobs to Redis only once the transaction commits."""

    def enqueue(self, task, args, kwargs) -> TaskResult:
        if not transaction.get_connection().in_atomic_block:
            return super().enqueue(task, args, kwargs)
        self.validate_task(task)
        sent: list[TaskResult] = []
        transaction.on_commit(lambda: sent.append(super(OnCommitRQBackend, self).enqueue(task, args, kwargs)))
        return _DeferredResult(sent)


class _DeferredResult:
    """Stands in for the TaskResult until the commit has sent the job."""

    def __init__(self, sent: list[TaskResult]):
        self._sent = sent

    def __getattr__(self, name):
        if not self._sent:
            raise AttributeError(f"{name}: the task is sent to Redis when the transaction commits")
        return getattr(self._sent[0], name)


class ResultKeepingWorker(Worker):
    """RQ worker that keeps task results for RQ_RESULT_TTL seconds (default a week)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("default_result_ttl", getattr(settings, "RQ_RESULT_TTL", 7 * 24 * 3600))
        super().__init__(*args, **kwargs)
