"""The periodic tasks the worker's scheduler enqueues (``flask ipcase worker``; not in web workers).

- :func:`sweep_deadlines`, every minute: the deadline sweep (``ipcase.deadlines.jobs.sweep``) when
  ``SWEEP_INTERVAL`` seconds have passed since the last one any worker ran (kept in the queue's
  storage, so workers on several hosts share it). ``SWEEP_INTERVAL = 0``: the worker never sweeps;
  cron or a systemd timer runs ``flask ipcase sweep``. An interval under a minute sweeps each minute.

Two workers sweeping at once is harmless (the sweep claims its rows, see deadlines/jobs.py).
A failure is retried after a delay, then recorded (``ipcase.tasks.queue.record_failure``)."""

from datetime import datetime, timedelta

from flask import current_app
from huey import crontab

from ipcase.core import clock
from ipcase.deadlines import jobs
from ipcase.tasks.queue import app_periodic_task, huey

#: the queue's storage key holding the instant of the last sweep (ISO 8601)
LAST_SWEEP_KEY = "ipcase:last-sweep"
EVERY_MINUTE = crontab(minute="*")


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
