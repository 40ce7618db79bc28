"""The periodic tasks the worker's scheduler enqueues (``flask ipcase worker``; not in web workers).

- :func:`sweep_deadlines`, every minute: the deadline sweep (``ipcase.deadlines.jobs.sweep``) when
  ``SWEEP_INTERVAL`` seconds have passed since the last one any worker ran (kept in the queue's
  storage, so workers on several hosts share it). ``SWEEP_INTERVAL = 0``: the worker never sweeps;
  cron or a systemd timer runs ``flask ipcase sweep``. An interval under a minute sweeps each minute.
- :func:`deliver_outbox`, every minute: the outbox's due messages (``ipcase.core.outbox.deliver_due``,
  which retries with backoff and parks what keeps failing), batch after batch for up to
  ``OUTBOX_RUN_SECONDS``. :func:`deliver_outbox_now` is the same as a task to enqueue after
  committing messages that should not wait for the next minute.

Two workers sweeping or delivering at once is harmless (the sweep and the outbox claim their rows).
A failure is retried after a delay, then recorded (``ipcase.tasks.queue.record_failure``)."""

import time
from datetime import datetime, timedelta

from flask import current_app
from huey import crontab

from ipcase.core import clock, outbox
from ipcase.deadlines import jobs
from ipcase.tasks.queue import app_periodic_task, app_task, huey

#: the queue's storage key holding the instant of the last sweep (ISO 8601)
LAST_SWEEP_KEY = "ipcase:last-sweep"
EVERY_MINUTE = crontab(minute="*")
#: messages one outbox batch claims, and how long one run keeps taking batches (seconds)
OUTBOX_BATCH = 100
OUTBOX_RUN_SECONDS = 50


def sweep_due(now: datetime) -> bool:
    """Whether SWEEP_INTERVAL seconds have passed since the last sweep (never when it is 0)."""
    interval = current_app.config.get("SWEEP_INTERVAL") or 0
    if not interval:
        return False
    last = huey.get(LAST_SWEEP_KEY, peek=True)
    if last is None:
        return True
    # a minute's tick lands a little after or before the interval: half a second's slack
    return now - datetime.fromisoformat(last) >= timedelta(seconds=float(interval) - 0.5)


@app_periodic_task(EVERY_MINUTE, retries=2, retry_delay=20)
def sweep_deadlines() -> dict[str, int] | None:
    """The deadline sweep, when due; its counts (None: not due)."""
    now = clock.now()
    if not sweep_due(now):
        return None
    huey.put(LAST_SWEEP_KEY, now.isoformat())
    counts = jobs.sweep(now)
    current_app.logger.info("sweep: %s", counts)
    return counts


def drain_outbox(batch: int = OUTBOX_BATCH, run_seconds: float = OUTBOX_RUN_SECONDS) -> dict[str, int]:
    """Deliver due outbox messages, batch after batch while full ones come, for up to ``run_seconds``."""
    totals: dict[str, int] = {}
    started = time.monotonic()
    while True:
        counts = outbox.deliver_due(limit=batch)
        for name, value in counts.items():
            totals[name] = totals.get(name, 0) + value
        if counts["claimed"] < batch or time.monotonic() - started >= run_seconds:
            return totals


@app_periodic_task(EVERY_MINUTE, retries=2, retry_delay=10)
def deliver_outbox() -> dict[str, int]:
    """The outbox's due messages, every minute."""
    return drain_outbox()


@app_task(retries=2, retry_delay=10)
def deliver_outbox_now() -> dict[str, int]:
    """The outbox's due messages, now (enqueue it after committing new ones)."""
    return drain_outbox()
