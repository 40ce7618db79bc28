"""Gunicorn settings: ``gunicorn -c python:ipcase.gunicorn_conf wsgi:app``.

The web workers serve requests only: background work (the deadline sweep, the outbox, batches)
runs in the job queue's worker, ``flask --app wsgi ipcase worker`` (``ipcase.tasks``), which
``bash .ci/setup.sh serve`` starts next to gunicorn; cron may still run ``flask ipcase sweep``.

Before forking, the master tells the app how many workers it runs (``IPCASE_WORKERS``): a
production instance with more than one refuses rate limits kept in memory (each worker would
count alone). With ``--preload`` the app is loaded before this hook; set IPCASE_WORKERS yourself."""

import os
from typing import Any


def on_starting(server: Any) -> None:
    os.environ["IPCASE_WORKERS"] = str(server.cfg.workers)
