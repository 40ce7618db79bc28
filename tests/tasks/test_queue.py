"""The job queue (ipcase.tasks.queue): the storage follows the configuration, a task enqueued runs in a
real consumer on a SQLite queue file and on Redis, and a task that keeps failing is retried, then
recorded, never dropped."""

import logging
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis
import sqlalchemy as sa
from flask import Flask, current_app

from ipcase.core.extensions import db
from ipcase.tasks.models import JobFailure, failure_count, recent_failures
from ipcase.tasks.queue import app_task, bound, enqueue, huey, queue_settings
from ipcase.tasks.worker import start_consumer
from tests.conftest import REDIS_URL, claim_redis_database, make_app

#: how long a test waits for a consumer to run a task
TIMEOUT = 20

#: what the tasks below saw, per key: (app name, argument) or the attempt count
SEEN: dict[str, list] = {}


@app_task()
def remember(key: str, value: int) -> int:
    SEEN.setdefault(key, []).append((current_app.import_name, current_app.config["QUEUE_MARK"], value))
    return value * 2


@app_task(retries=2, retry_delay=0)
def always_fails(key: str) -> None:
    SEEN.setdefault(key, []).append("attempt")
    raise RuntimeError(f"boom {key}")


def plain_app(tmp_path: Path, **config) -> Flask:
    app = Flask("queue-test", instance_path=str(tmp_path / "instance"))
    app.config.update(config)
    return app


@pytest.mark.parametrize(
    ("config", "expected"),
    [
        ({"TESTING": True}, ("memory", "")),
        ({"TESTING": True, "REDIS_URL": "redis://cache:6379/2"}, ("memory", "")),
        ({}, ("sqlite", "INSTANCE/queue.sqlite")),
        ({"REDIS_URL": "redis://cache:6379/2"}, ("redis", "redis://cache:6379/2")),
        ({"REDIS_URL": "redis://cache/2", "QUEUE_URL": "rediss://q:6380/0"}, ("redis", "rediss://q:6380/0")),
        ({"QUEUE_URL": "sqlite:////var/lib/ipcase/q.sqlite"}, ("sqlite", "/var/lib/ipcase/q.sqlite")),
        ({"TESTING": True, "QUEUE_IMMEDIATE": False}, ("sqlite", "INSTANCE/queue.sqlite")),
        ({"QUEUE_IMMEDIATE": True, "QUEUE_URL": "redis://q/1"}, ("memory", "")),
    ],
)
def test_the_storage_follows_the_configuration(tmp_path, config, expected):
    app = plain_app(tmp_path, **config)
    kind, where = expected
    assert queue_settings(app) == (kind, where.replace("INSTANCE", app.instance_path))


def test_an_unknown_queue_url_is_refused(tmp_path):
    with pytest.raises(ValueError, match="QUEUE_URL"):
        queue_settings(plain_app(tmp_path, QUEUE_URL="amqp://rabbit/"))


def test_the_queue_object_uses_the_bound_then_the_current_app(tmp_path):
    sqlite_app = plain_app(tmp_path, QUEUE_URL=f"sqlite:///{tmp_path}/q.sqlite")
    memory_app = plain_app(tmp_path, TESTING=True)
    with memory_app.app_context():
        assert huey.immediate
        assert type(huey.storage).__name__ == "MemoryStorage"
        with bound(sqlite_app):
            assert not huey.immediate
            assert type(huey.storage).__name__ == "SqliteStorage"
            assert huey.storage.filename == f"{tmp_path}/q.sqlite"
        assert huey.immediate


def test_in_immediate_mode_a_task_runs_inline_in_the_callers_app(tmp_path):
    app = plain_app(tmp_path, TESTING=True, QUEUE_MARK="inline")
    with app.app_context():
        result = enqueue(remember, "inline", 21)
        assert result() == 42
    assert SEEN.pop("inline") == [("queue-test", "inline", 21)]


@pytest.fixture
def consumer_app(tmp_path) -> Iterator[Flask]:
    """An app whose queue is a SQLite file (not immediate), its consumer stopped afterwards."""
    app = plain_app(tmp_path, QUEUE_IMMEDIATE=False, QUEUE_URL=f"sqlite:///{tmp_path}/queue.sqlite")
    yield app
    huey.bind(None)


def wait_for(condition, timeout: float = TIMEOUT) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return False


def run_in_consumer(app: Flask, key: str, count: int = 3) -> list:
    """Enqueue ``count`` tasks from this thread, run them in a consumer of two worker threads."""
    app.config["QUEUE_MARK"] = key
    with app.app_context():
        results = [enqueue(remember, key, n) for n in range(count)]
        assert huey.pending_count() == count  # stored, not run inline
    consumer = start_consumer(app, workers=2)
    try:
        assert wait_for(lambda: len(SEEN.get(key, [])) == count), f"the consumer ran {SEEN.get(key)}"
        with app.app_context():
            values = sorted(r.get(blocking=True, timeout=TIMEOUT) for r in results)
    finally:
        consumer.stop(graceful=True)
    assert values == [n * 2 for n in range(count)]
    assert threading.current_thread() is threading.main_thread()
    return SEEN.pop(key)


def test_a_task_enqueued_runs_in_a_real_consumer_on_the_sqlite_file(consumer_app, tmp_path):
    seen = run_in_consumer(consumer_app, "sqlite")
    # each ran inside the bound app's context, in a worker thread
    assert sorted(seen) == [("queue-test", "sqlite", n) for n in range(3)]
    assert (tmp_path / "queue.sqlite").exists()


def test_a_task_enqueued_runs_in_a_real_consumer_on_redis(tmp_path):
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except redis.exceptions.ConnectionError:
        pytest.skip(f"Redis not reachable at {REDIS_URL}")
    claim_redis_database()
    app = plain_app(tmp_path, QUEUE_IMMEDIATE=False, QUEUE_URL=REDIS_URL)
    try:
        with app.app_context():
            huey.flush()
        seen = run_in_consumer(app, "redis")
        assert sorted(seen) == [("queue-test", "redis", n) for n in range(3)]
    finally:
        with app.app_context():
            huey.flush()
        huey.bind(None)


@pytest.fixture
def db_consumer_app(tmp_path) -> Iterator[Flask]:
    """An app on its own SQLite database (schema created) and queue file, for a consumer's tasks."""
    app = make_app(
        {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/ipcase.sqlite"},
        QUEUE_IMMEDIATE=False,
        QUEUE_URL=f"sqlite:///{tmp_path}/queue.sqlite",
    )
    with app.app_context():
        db.create_all()
    yield app
    huey.bind(None)
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def test_a_task_that_raises_is_retried_then_recorded_as_failed(db_consumer_app, caplog):
    app = db_consumer_app
    with app.app_context():
        result = enqueue(always_fails, "fails")
    consumer = start_consumer(app, workers=1)
    try:
        with caplog.at_level(logging.ERROR, logger="ipcase.tasks.queue"):
            assert wait_for(lambda: "failed for good" in caplog.text)
        with app.app_context(), pytest.raises(Exception, match="boom fails"):
            result.get(blocking=True, timeout=TIMEOUT)
    finally:
        consumer.stop(graceful=True)
    assert SEEN.pop("fails") == ["attempt"] * 3  # the first run and two retries
    assert caplog.text.count("failed for good") == 1
    assert "RuntimeError('boom fails')" in caplog.text
    with app.app_context():
        (failure,) = db.session.scalars(sa.select(JobFailure)).all()
        assert failure.task_name == "tests.tasks.test_queue.always_fails"
        assert failure.error == "RuntimeError: boom fails"
        assert "raise RuntimeError" in failure.traceback
        assert failure.arguments == "(('fails',), {})"
        assert failure.attempts == 3
        assert failure_count() == 1


def test_inline_a_task_that_keeps_failing_is_recorded_in_the_callers_transaction(app):
    result = enqueue(always_fails, "inline-fails")
    assert SEEN.pop("inline-fails") == ["attempt"] * 3
    with pytest.raises(Exception, match="boom inline-fails"):
        result.get()
    (failure,) = recent_failures()
    assert failure.task_name == "tests.tasks.test_queue.always_fails"
    assert failure.error == "RuntimeError: boom inline-fails"
