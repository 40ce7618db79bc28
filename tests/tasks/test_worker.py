"""The worker: periodic tasks registered (the sweep when SWEEP_INTERVAL has passed), the web workers
start no sweeper, and ``flask ipcase worker`` runs a real consumer process that stops on Ctrl-C."""

import os
import signal
import subprocess
import time
from datetime import datetime, timedelta

import pytest

from ipcase import ROOT, gunicorn_conf
from ipcase.core import outbox
from ipcase.core.extensions import db
from ipcase.deadlines import jobs
from ipcase.tasks import periodic
from ipcase.tasks.queue import bound, enqueue, huey
from tests.conftest import make_app
from tests.outbox.conftest import smtp, smtp_server  # noqa: F401  (the local SMTP server fixtures)

#: how long the worker command may take to start, run a task and stop
TIMEOUT = 60


def test_the_periodic_tasks_are_registered_and_run_every_minute():
    names = {t.name for t in huey._registry.periodic_tasks}
    assert "sweep_deadlines" in names
    task = periodic.sweep_deadlines.s()
    for minute in (0, 1, 17, 59):
        assert task.validate_datetime(datetime(2026, 12, 4, 9, minute))


def test_the_sweep_runs_when_the_interval_has_passed(app, monkeypatch, frozen_now, instant):
    sweeps = []
    monkeypatch.setattr(jobs, "sweep", lambda now: sweeps.append(now) or {"breached": 0})
    monkeypatch.setitem(app.config, "SWEEP_INTERVAL", 300)
    huey.delete(periodic.LAST_SWEEP_KEY)
    try:
        enqueue(periodic.sweep_deadlines)  # inline (immediate mode): the first sweep
        frozen_now(instant + timedelta(seconds=60))
        assert periodic.sweep_deadlines.call_local() is None  # a minute later: not due
        frozen_now(instant + timedelta(seconds=300))
        assert periodic.sweep_deadlines.call_local() == {"breached": 0}
    finally:
        huey.delete(periodic.LAST_SWEEP_KEY)
    assert sweeps == [instant, instant + timedelta(seconds=300)]


def test_no_sweep_from_the_worker_when_the_interval_is_zero(app, monkeypatch):
    monkeypatch.setattr(jobs, "sweep", lambda now: pytest.fail("swept"))
    monkeypatch.setitem(app.config, "SWEEP_INTERVAL", 0)
    assert periodic.sweep_deadlines.call_local() is None


def test_the_periodic_sweep_sweeps_the_database(app, monkeypatch):
    monkeypatch.setitem(app.config, "SWEEP_INTERVAL", 300)
    huey.delete(periodic.LAST_SWEEP_KEY)
    try:
        counts = periodic.sweep_deadlines.call_local()
    finally:
        huey.delete(periodic.LAST_SWEEP_KEY)
    assert counts is not None and {"breached", "reminded", "emailed"} <= set(counts)


def test_gunicorn_workers_start_no_sweeper_thread():
    assert not hasattr(gunicorn_conf, "post_worker_init")
    assert "ipcase worker" in gunicorn_conf.__doc__


@pytest.mark.parametrize("worker_type", ["thread", "process"])  # serve and the systemd unit: processes
def test_the_worker_command_runs_a_consumer_process_and_stops_on_ctrl_c(tmp_path, worker_type):
    queue_file = tmp_path / "queue.sqlite"
    env = {
        **os.environ,
        "IPCASE_QUEUE_URL": f"sqlite:///{queue_file}",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'ipcase.sqlite'}",
        "IPCASE_SWEEP_INTERVAL": "0",
        "IPCASE_SECRET_KEY": "worker-test-secret-key-0123456789abcdef",
        "IPCASE_PRODUCTION": "false",
    }
    # a task waiting before the worker starts: the worker process takes it
    app = make_app(
        {"SQLALCHEMY_DATABASE_URI": env["DATABASE_URL"]}, QUEUE_IMMEDIATE=False, QUEUE_URL=env["IPCASE_QUEUE_URL"]
    )
    with bound(app):
        enqueue(periodic.sweep_deadlines)
        assert huey.pending_count() == 1
    flask = str(ROOT / ".venv" / "bin" / "flask") if (ROOT / ".venv" / "bin" / "flask").exists() else "flask"
    proc = subprocess.Popen(  # noqa: S603  (the venv's flask, our arguments)
        [flask, "--app", "wsgi", "ipcase", "worker", "--workers", "2", "--worker-type", worker_type],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        deadline = time.monotonic() + TIMEOUT
        with bound(app):
            while huey.pending_count() and time.monotonic() < deadline and proc.poll() is None:
                time.sleep(0.1)
            assert huey.pending_count() == 0, "the worker did not take the task"
        assert proc.poll() is None, "the worker stopped by itself"
        proc.send_signal(signal.SIGINT)
        output, _ = proc.communicate(timeout=TIMEOUT)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
        huey.bind(None)
    assert proc.returncode == 0, output
    assert f"Huey consumer started with 2 {worker_type}" in output
    assert "ipcase.tasks.periodic.sweep_deadlines" in output
    assert "executed in" in output


def test_the_outbox_is_drained_batch_after_batch(monkeypatch):
    claimed = [100, 100, 7]
    calls = []

    def deliver_due(limit):
        calls.append(limit)
        n = claimed.pop(0)
        return {"claimed": n, "sent": n, "retried": 0, "parked": 0, "lost": 0}

    monkeypatch.setattr(outbox, "deliver_due", deliver_due)
    assert periodic.drain_outbox(batch=100) == {"claimed": 207, "sent": 207, "retried": 0, "parked": 0, "lost": 0}
    assert calls == [100, 100, 100]


def test_the_periodic_outbox_task_sends_a_queued_message_to_the_smtp_server(app, smtp):  # noqa: F811
    assert "deliver_outbox" in {t.name for t in huey._registry.periodic_tasks}
    outbox.queue_email("test:periodic-outbox", "party@example.cn", "Receipt", "Received.")
    db.session.commit()
    counts = periodic.deliver_outbox.call_local()
    assert counts["sent"] == 1
    assert [m["Subject"] for m in smtp.accepted] == ["Receipt"]
    enqueue(periodic.deliver_outbox_now)  # inline: nothing left to send
    assert len(smtp.accepted) == 1
