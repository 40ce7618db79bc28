"""The consumer: ``flask --app wsgi ipcase worker [--workers N]`` runs Huey's consumer on the app's
queue (``ipcase.tasks.queue``), threads by default, with the periodic tasks (``ipcase.tasks.periodic``).

Any number of workers may run at once: on the SQLite queue (the embedded default) they share the
instance folder's file on one host; on Redis (``IPCASE_QUEUE_URL`` / ``IPCASE_REDIS_URL``) any host.
Each periodic task is enqueued by every running consumer's scheduler, so the periodic tasks are
written to be safe to run twice at once (the sweep and the outbox claim their rows).

:func:`start_consumer` starts one inside a running process (tests, the bench): no signal handlers,
``stop()`` ends it."""

from typing import Any

from flask import Flask
from huey.consumer import Consumer

from ipcase.core.extensions import db
from ipcase.tasks import batches as _batches  # noqa: F401  registers the batch tasks and the batch starter
from ipcase.tasks import periodic as _periodic  # noqa: F401  registers the periodic tasks with the queue
from ipcase.tasks.queue import huey

#: threads (the default: tasks wait on the database and SMTP) or processes (CPU-bound work: rendering)
WORKER_TYPES = ("thread", "process")


class EmbeddedConsumer(Consumer):
    """A consumer started inside another program: it leaves that program's signal handlers alone."""

    def _set_signal_handlers(self) -> None:
        pass

    def stop(self, graceful: bool = True) -> None:
        super().stop(graceful=graceful)
        huey.bind(None)


def consumer_options(workers: int, worker_type: str, periodic: bool) -> dict[str, Any]:
    return {
        "workers": workers,
        "worker_type": worker_type,
        "periodic": periodic,
        "initial_delay": 0.1,
        "max_delay": 2.0,
        "check_worker_health": True,
    }


def run_worker(app: Flask, workers: int = 1, worker_type: str = "thread", periodic: bool = True) -> None:
    """Run the consumer on ``app``'s queue until SIGINT (graceful) or SIGTERM (now)."""
    huey.bind(app)
    if worker_type == "process":
        with app.app_context():
            for engine in db.engines.values():
                engine.dispose()  # forked workers open their own connections, never the parent's
    try:
        Consumer(huey, **consumer_options(workers, worker_type, periodic)).run()
    finally:
        huey.bind(None)


def start_consumer(app: Flask, workers: int = 1, periodic: bool = False) -> EmbeddedConsumer:
    """A consumer with ``workers`` threads on ``app``'s queue, running in this process until ``stop()``."""
    huey.bind(app)
    consumer = EmbeddedConsumer(huey, **consumer_options(workers, "thread", periodic))
    consumer.start()
    return consumer
