"""The job queue: one Huey instance, ``huey``, whose storage follows the app's configuration.

Storage, chosen each time the queue is used from the Flask app in use (a request's, a command's,
or the one a consumer is bound to):

- ``QUEUE_URL`` (``IPCASE_QUEUE_URL``), else ``REDIS_URL`` (``IPCASE_REDIS_URL``): ``redis://``,
  ``rediss://`` or ``unix://`` is a Redis queue, which any number of workers on any number of
  hosts share; ``sqlite:///PATH`` a SQLite queue file at PATH.
- neither: the SQLite file ``queue.sqlite`` in the instance folder (the embedded set-up: no other
  server; the web server and ``flask ipcase worker`` on one host share the file).
- ``QUEUE_IMMEDIATE`` (default: ``TESTING``): tasks run inline, in the caller's app context, and
  nothing is stored (Huey's immediate mode on its in-memory storage). A test that starts a real
  consumer binds the queue to an app with ``QUEUE_IMMEDIATE=False`` (:func:`bound`).

Writing a task::

    from ipcase.tasks.queue import app_task, enqueue

    @app_task(retries=3, retry_delay=30)
    def render_batch(batch_id: int) -> None:
        ...                      # runs inside an app context, db.session ready

    render_batch(batch.id)       # enqueue (Huey's own call), returns a Result
    enqueue(render_batch, batch.id)           # the same, spelled out
    enqueue_in(60, render_batch, batch.id)    # not before 60 seconds from now

An ``app_task`` runs inside the current app context when there is one (immediate mode), else inside
the context of the app the consumer is bound to: ``flask --app wsgi ipcase worker`` binds the app
``create_app()`` built once for the worker process (its forked workers, with ``--worker-type
process``, inherit it). A task must be defined in a module the app imports, so the worker knows it.
Its session is rolled back and removed after it when it pushed the context itself. When it raises
and no retry is left, the failure is logged and recorded in ``job_failures`` with its arguments,
error and traceback (:func:`record_failure`, ``ipcase.tasks.models``) before Huey stores the error
result: a task is never dropped silently. ``task.call_local(...)`` runs one now, in this thread,
without the queue (its exception reaches the caller; nothing is recorded).
``@app_periodic_task(crontab(...))`` is the same for periodic tasks (see ``ipcase.tasks.periodic``).
"""

import functools
import logging
import threading
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from flask import Flask, current_app, has_app_context
from huey import Huey
from huey.api import Result, TaskWrapper
from huey.storage import MemoryStorage, RedisStorage, SqliteStorage

from ipcase.core.extensions import db
from ipcase.tasks.models import TEXT_MAX, JobFailure

log = logging.getLogger(__name__)

#: the queue file of the embedded set-up, in the instance folder
SQLITE_FILENAME = "queue.sqlite"
REDIS_SCHEMES = ("redis", "rediss", "unix")


def queue_settings(app: Flask) -> tuple[str, str]:
    """``(kind, where)`` of the app's queue: ``("memory", "")``, ``("redis", url)`` or ``("sqlite", path)``."""
    cfg = app.config
    immediate = cfg.get("QUEUE_IMMEDIATE")
    if immediate is None:
        immediate = bool(cfg.get("TESTING"))
    if immediate:
        return "memory", ""
    url = cfg.get("QUEUE_URL") or cfg.get("REDIS_URL")
    if not url:
        return "sqlite", str(Path(app.instance_path) / SQLITE_FILENAME)
    scheme = urlsplit(url).scheme
    if scheme in REDIS_SCHEMES:
        return "redis", url
    if scheme == "sqlite":
        return "sqlite", url.removeprefix("sqlite:///")
    raise ValueError(f"QUEUE_URL {url!r}: expected redis://, rediss://, unix:// or sqlite:///PATH")


class AppHuey(Huey):
    """Huey whose storage (and immediate mode) is the app's in use, one storage object per setting.

    Huey reads ``storage`` and ``_immediate`` as attributes; here they are properties resolved from
    the bound app (a consumer's, :meth:`bind`), else the current app."""

    def __init__(self, name: str) -> None:
        self._storages: dict[tuple[str, str], Any] = {}
        self._storage_lock = threading.Lock()
        self._bound: Flask | None = None
        super().__init__(name, utc=True)

    # Huey's __init__ assigns both; the value is always derived instead.
    @property
    def storage(self) -> Any:  # type: ignore[override]
        return self.storage_for(self.app())

    @storage.setter
    def storage(self, _value: Any) -> None:
        pass

    @property
    def _immediate(self) -> bool:  # type: ignore[override]
        return self.settings()[0] == "memory"

    @_immediate.setter
    def _immediate(self, _value: bool) -> None:
        pass

    def create_storage(self) -> None:  # called by Huey's __init__; storage is resolved per use
        return None

    def app(self) -> Flask:
        """The app whose settings the queue follows now."""
        if self._bound is not None:
            return self._bound
        if has_app_context():
            return current_app._get_current_object()  # type: ignore[attr-defined]
        raise NoApp("the job queue follows an app: use it inside an app context, or bind one (bound(app))")

    def settings(self) -> tuple[str, str]:
        return queue_settings(self.app())

    def storage_for(self, app: Flask) -> Any:
        key = queue_settings(app)
        storage = self._storages.get(key)
        if storage is None:
            with self._storage_lock:
                storage = self._storages.get(key)
                if storage is None:
                    storage = self._storages[key] = _make_storage(self.name, *key)
        return storage

    def bind(self, app: Flask | None) -> None:
        """Follow ``app``'s settings from any thread (a consumer's), or stop (None)."""
        self._bound = app


def _make_storage(name: str, kind: str, where: str) -> Any:
    if kind == "memory":
        return MemoryStorage(name)
    if kind == "redis":
        return RedisStorage(name, url=where)
    Path(where).parent.mkdir(parents=True, exist_ok=True)
    return SqliteStorage(name, filename=where)


huey = AppHuey("ipcase")


class NoApp(RuntimeError):
    """The queue used outside any app context with no app bound."""


@contextmanager
def bound(app: Flask) -> Iterator[AppHuey]:
    """The queue bound to ``app`` for the block (a consumer, a test), then as it was."""
    previous = huey._bound
    huey.bind(app)
    try:
        yield huey
    finally:
        huey.bind(previous)


def record_failure(task: Any, exc: BaseException, *, own_transaction: bool) -> None:
    """A task that failed for good (no retry left): logged, and a ``job_failures`` row
    (``ipcase.tasks.models``). In the task's own context the row is committed; inline in a caller's
    context (immediate mode) it is written in a savepoint of the caller's transaction. Called
    inside the ``except`` block (the traceback is the current one); never raises."""
    name = huey._registry.task_to_string(type(task))  # module.function, as the queue knows it
    log.error("task %s (%s) failed for good, args %r: %r", name, task.id, task.data, exc)
    row = JobFailure(
        task_name=name[:200],
        task_id=str(task.id)[:64],
        arguments=repr(task.data)[:TEXT_MAX],
        error=f"{type(exc).__name__}: {exc}"[:TEXT_MAX],
        traceback=traceback.format_exc()[-TEXT_MAX:],
        attempts=(getattr(task, "default_retries", 0) or 0) + 1,
    )
    try:
        if own_transaction:
            db.session.add(row)
            db.session.commit()
        else:
            with db.session.begin_nested():
                db.session.add(row)
    except Exception:
        if own_transaction:
            db.session.rollback()
        log.exception("could not record the failure of task %s (%s)", name, task.id)


def _run_in_app(fn: Callable[..., Any], task: Any | None, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
    if has_app_context():
        try:
            return fn(*args, **kwargs)
        except Exception as exc:
            if task is not None and not task.retries:
                record_failure(task, exc, own_transaction=False)
            raise
    with huey.app().app_context():
        try:
            return fn(*args, **kwargs)
        except Exception as exc:
            db.session.rollback()
            if task is not None and not task.retries:
                record_failure(task, exc, own_transaction=True)
            raise
        finally:
            db.session.remove()


def _app_wrapper(fn: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(fn)
    def run(*args: Any, task: Any = None, **kwargs: Any) -> Any:
        return _run_in_app(fn, task, args, kwargs)

    return run


def app_task(**task_options: Any) -> Callable[[Callable[..., Any]], TaskWrapper]:
    """``@huey.task(**task_options)`` run inside an app context, failures recorded (module docstring)."""

    def decorate(fn: Callable[..., Any]) -> TaskWrapper:
        return huey.task(context=True, **task_options)(_app_wrapper(fn))

    return decorate


def app_periodic_task(validate_datetime: Callable[..., bool], **task_options: Any) -> Callable[..., TaskWrapper]:
    """``@huey.periodic_task(...)`` run inside an app context, failures recorded."""

    def decorate(fn: Callable[..., Any]) -> TaskWrapper:
        return huey.periodic_task(validate_datetime, context=True, **task_options)(_app_wrapper(fn))

    return decorate


def enqueue(task: TaskWrapper, *args: Any, **kwargs: Any) -> Result | None:
    """Put ``task(*args, **kwargs)`` on the queue (inline in immediate mode); its Result."""
    return task(*args, **kwargs)


def enqueue_in(delay: float | timedelta, task: TaskWrapper, *args: Any, **kwargs: Any) -> Result | None:
    """Put ``task(*args, **kwargs)`` on the queue to run not before ``delay`` (seconds) from now."""
    seconds = delay.total_seconds() if isinstance(delay, timedelta) else delay
    return task.schedule(args=args, kwargs=kwargs, delay=seconds)


def queue_depth() -> int:
    """Tasks waiting in the app's queue (not counting scheduled retries)."""
    return huey.pending_count()
