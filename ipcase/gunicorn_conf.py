"""Gunicorn settings for the embedded set-up: ``gunicorn -c python:ipcase.gunicorn_conf wsgi:app``.

Each worker starts the deadline sweeper once it has loaded the app. Several workers sweeping is
harmless: the sweep claims rows atomically and notifications are unique (see deadlines/jobs.py).
In production, run ``flask --app wsgi ipcase sweep`` from cron or a systemd timer instead and set
``IPCASE_SWEEP_INTERVAL=0``.

Before forking, the master tells the app how many workers it runs (``IPCASE_WORKERS``): a
production instance with more than one refuses rate limits kept in memory (each worker would
count alone). With ``--preload`` the app is loaded before this hook; set IPCASE_WORKERS yourself."""

import os
from typing import Any


def on_starting(server: Any) -> None:
    os.environ["IPCASE_WORKERS"] = str(server.cfg.workers)


def post_worker_init(worker: Any) -> None:
    from ipcase.deadlines.jobs import start_embedded_sweeper  # noqa: PLC0415  this file is read by gunicorn's master before any app; the sweeper (and the models) load in each worker

    start_embedded_sweeper(worker.wsgi)
