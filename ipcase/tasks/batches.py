"""Document batches in the background: the tasks that issue a batch's notices in chunks on the
queue's workers and then build its combined PDF (``ipcase.documents.operations``: the batch part).

- :func:`start` (registered as the documents' batch starter): a committed queued batch is split
  into chunks of :data:`CHUNK_SIZE` cases, one :func:`issue_chunk` task each, so several workers
  render at once.
- :func:`issue_chunk`: renders its notices (reading only), then writes them in one transaction; a
  chunk run again (a retry, a second delivery) skips the cases already issued. The chunk whose
  count brings ``done`` to the total (``UPDATE … SET done = done + k RETURNING done``) enqueues
  :func:`combine`; so does a chunk run again once all are done (combining twice changes nothing).
- :func:`combine`: the combined PDF, status complete.

A task that still fails after its retries marks the batch failed with its error (shown on the
batch's page), besides the queue's own record in ``job_failures``. In immediate mode (tests) there
is no consumer to run a retry, so the first failure is final.
"""

import logging
from typing import Any

from flask import has_app_context
from huey.signals import SIGNAL_ERROR

from ipcase.core.extensions import db
from ipcase.documents import operations as ops
from ipcase.documents.models import DocumentBatch
from ipcase.tasks.queue import app_task, enqueue, huey

log = logging.getLogger(__name__)

#: notices per task: small enough that two workers share a batch of 100 evenly
CHUNK_SIZE = 10
RETRIES = 2
RETRY_DELAY = 5


@app_task(retries=RETRIES, retry_delay=RETRY_DELAY)
def issue_chunk(batch_id: int, case_ids: list[int]) -> int:
    """Issue the chunk's notices not issued yet, commit; enqueue :func:`combine` when all are done."""
    try:
        rendered = ops.render_batch_chunk(batch_id, case_ids)
        if rendered is None:
            return -1
        # the rendering read in a transaction of its own, ended here: a write after reads fails at
        # once on SQLite when another worker wrote in between; the writes then take the lock first
        db.session.commit()
        done = ops.store_batch_chunk(batch_id, rendered)
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    if done == db.session.get(DocumentBatch, batch_id).count:
        enqueue(combine, batch_id)
    return done


@app_task(retries=RETRIES, retry_delay=RETRY_DELAY)
def combine(batch_id: int) -> None:
    """The batch's combined PDF; the batch complete."""
    try:
        ops.complete_batch(batch_id)
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise


def start(batch: DocumentBatch) -> None:
    """Enqueue the chunks of a committed batch."""
    batch_id = batch.id
    for chunk in ops.batch_chunks(batch, CHUNK_SIZE):
        enqueue(issue_chunk, batch_id, chunk)


ops.register_batch_starter(start)

#: the tasks whose failure for good fails their batch (first argument: the batch id)
BATCH_TASKS = (issue_chunk, combine)


def _mark_failed(batch_id: int, error: str) -> None:
    try:
        if ops.fail_batch(batch_id, error):
            db.session.commit()
    except Exception:
        db.session.rollback()
        log.exception("could not mark batch %s failed", batch_id)


@huey.signal(SIGNAL_ERROR)
def fail_batch_for_good(_signal: str, task: Any, exc: BaseException | None = None) -> None:
    """A batch task failed and no retry is left (or none will run: immediate mode): its batch failed."""
    if not any(isinstance(task, wrapper.task_class) for wrapper in BATCH_TASKS):
        return
    if task.retries and not huey._immediate:
        return
    batch_id = task.args[0]
    error = f"{type(exc).__name__}: {exc}" if exc is not None else "failed"
    log.error("batch %s failed: %s", batch_id, error)
    if has_app_context():
        _mark_failed(batch_id, error)
    else:
        with huey.app().app_context():
            try:
                _mark_failed(batch_id, error)
            finally:
                db.session.remove()
