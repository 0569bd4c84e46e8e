"""Background work runs through a real queue: the database queue with its worker, and Redis (RQ)."""

import pytest
import redis
from django.core import mail
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from django_tasks import default_task_backend
from django_tasks.base import TaskResultStatus

from accounts.tasks import send_welcome_email
from tests.factories import UserFactory

DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
RQ_TASKS = {"default": {"BACKEND": "config.tasks_rq.OnCommitRQBackend", "QUEUES": ["default"]}}


@pytest.mark.django_db(transaction=True)
@override_settings(TASKS=DB_TASKS)
def test_database_queue_runs_the_task_in_the_worker():
    """A task enqueued on the database queue waits until `db_worker` runs it, then succeeds."""
    user = UserFactory(email="worker@example.ma")
    result = send_welcome_email.enqueue(user_id=user.pk)
    assert result.status == TaskResultStatus.READY
    assert mail.outbox == []

    call_command("db_worker", batch=True, startup_delay=False, verbosity=0)

    result.refresh()
    assert result.status == TaskResultStatus.SUCCESSFUL
    assert result.return_value == "worker@example.ma"
    assert [m.to for m in mail.outbox] == [["worker@example.ma"]]


@pytest.fixture
def redis_queue():
    connection = redis.Redis.from_url("redis://127.0.0.1:6379/0")
    connection.ping()
    import django_rq

    queue = django_rq.get_queue("default")
    queue.empty()
    yield queue
    queue.empty()


@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
@override_settings(TASKS=RQ_TASKS)
def test_rq_backend_enqueues_only_after_commit_and_keeps_results(redis_queue):
    """Inside a transaction nothing reaches Redis until commit; the worker then runs the task."""
    import django_rq
    from django_tasks_rq import Job as RQJob
    from rq import SimpleWorker

    from config.tasks_rq import ResultKeepingWorker

    class InlineWorker(ResultKeepingWorker, SimpleWorker):
        """Runs jobs in this process so the test can read the sent mail."""

    user = UserFactory(email="rq@example.ma")
    with transaction.atomic():
        send_welcome_email.enqueue(user_id=user.pk)
        assert redis_queue.count == 0
    assert redis_queue.count == 1

    job_id = redis_queue.job_ids[0]
    worker = InlineWorker([redis_queue], connection=django_rq.get_connection(), job_class=RQJob)
    assert worker.default_result_ttl > 500
    worker.work(burst=True)

    result = default_task_backend.get_result(job_id)
    assert result.status == TaskResultStatus.SUCCESSFUL
    assert result.return_value == "rq@example.ma"
