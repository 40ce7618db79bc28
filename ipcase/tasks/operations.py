"""The job queue seen by operations: ``/ready`` checks its storage, ``/metrics`` shows its depth
and the failed tasks. :func:`register_operations` is called once per app by the app factory
(``ipcase.web``), after ``ipcase.ops`` is configured."""

from flask import Flask

from ipcase.ops.metrics import register_gauge
from ipcase.ops.readiness import register_check
from ipcase.tasks.models import failure_count
from ipcase.tasks.queue import huey, queue_depth


def check_queue() -> bool:
    """The queue's storage answers (the SQLite file opens, Redis replies); immediate mode: always."""
    if huey.immediate:
        return True
    huey.storage.queue_size()
    return True


def register_operations(app: Flask) -> None:
    register_check(app, "queue", check_queue)
    register_gauge(app, "ipcase_queue_depth", "Tasks waiting in the job queue", queue_depth)
    register_gauge(app, "ipcase_job_failures", "Tasks the job queue gave up on (job_failures rows)", failure_count)
