"""Gunicorn settings: ``gunicorn -c python:ipcase.gunicorn_conf wsgi:app``.

The web workers serve requests only: background work (the deadline sweep, the outbox, batches)
runs in the job queue's worker, ``flask --app wsgi ipcase worker`` (``ipcase.tasks``), which
``bash .ci/setup.sh serve`` starts next to gunicorn; cron may still run ``flask ipcase sweep``.

Before forking, the master tells the app how many workers it runs (``IPCASE_WORKERS``): a
production instance with more than one refuses rate limits kept in memory (each worker would
count alone). With ``--preload`` the app is loaded before this hook; set IPCASE_WORKERS yourself."""

import os
from typing import Any

from prometheus_client import multiprocess


def on_starting(server: Any) -> None:
    os.environ["IPCASE_WORKERS"] = str(server.cfg.workers)


def child_exit(server: Any, worker: Any) -> None:
    """A web worker that ended (restart, crash) leaves its live-gauge files in the metrics folder
    (``PROMETHEUS_MULTIPROC_DIR``, multiprocess mode): remove them, or a scrape keeps reporting
    the dead worker's gauges."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        multiprocess.mark_process_dead(worker.pid)
