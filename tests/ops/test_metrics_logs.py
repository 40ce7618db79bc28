"""Prometheus metrics (issue 15): latency per endpoint, the deadline gauges read at scrape time,
served only with METRICS_TOKEN or from an address in METRICS_ALLOW; several gunicorn workers
share their metrics through PROMETHEUS_MULTIPROC_DIR. Logs: a request id on every record of a
request and in the X-Request-ID header, JSON lines with LOG_FORMAT=json."""

import io
import json
import logging
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from flask import current_app

from ipcase.ops import logs, metrics
from tests.conftest import database_config, drop_database, make_app

ROOT = Path(__file__).resolve().parents[2]


def scrape(client, **kwargs):
    return client.get("/metrics", **kwargs)


def test_metrics_from_the_host_itself(app, client):
    client.get("/login")
    response = scrape(client)
    assert response.status_code == 200
    text = response.get_data(as_text=True)
    assert any(
        line.startswith("ipcase_http_request_duration_seconds_count{") and 'endpoint="auth.login"' in line
        for line in text.splitlines()
    ), text
    assert "ipcase_deadlines_breached " in text
    assert "ipcase_deadlines_open " in text
    for gauge in ("ipcase_outbox_pending", "ipcase_outbox_parked", "ipcase_queue_depth", "ipcase_job_failures"):
        assert f"\n{gauge} " in text, gauge


def test_metrics_refused_from_elsewhere_without_the_token(app, client, monkeypatch):
    monkeypatch.setitem(app.config, "METRICS_TOKEN", "s3cret-token")
    elsewhere = {"REMOTE_ADDR": "203.0.113.9"}
    assert scrape(client, environ_base=elsewhere).status_code == 403
    wrong = {"Authorization": "Bearer nope"}
    assert scrape(client, environ_base=elsewhere, headers=wrong).status_code == 403
    right = {"Authorization": "Bearer s3cret-token"}
    assert scrape(client, environ_base=elsewhere, headers=right).status_code == 200


def test_metrics_allow_takes_networks(app, client, monkeypatch):
    monkeypatch.setitem(app.config, "METRICS_ALLOW", "10.0.0.0/8, 192.0.2.7")
    assert scrape(client, environ_base={"REMOTE_ADDR": "10.1.2.3"}).status_code == 200
    assert scrape(client, environ_base={"REMOTE_ADDR": "192.0.2.7"}).status_code == 200
    assert scrape(client, environ_base={"REMOTE_ADDR": "127.0.0.1"}).status_code == 403
    monkeypatch.setitem(app.config, "METRICS_ALLOW", "")
    assert scrape(client).status_code == 403  # token only, and none is set


def test_deadline_gauges_count_the_database(app, client, create_case, users):
    case = create_case(actor=users["examiner"])
    assert case is not None
    text = scrape(client).get_data(as_text=True)
    line = next(line for line in text.splitlines() if line.startswith("ipcase_deadlines_open "))
    expected = metrics.count_deadlines(metrics.DeadlineState.running, metrics.DeadlineState.suspended)()
    assert float(line.split()[1]) == expected


def test_a_failing_gauge_leaves_the_others(app, client, monkeypatch):
    gauges = dict(app.extensions[metrics._GAUGES_KEY])
    gauges["ipcase_broken"] = ("broken", lambda: 1 / 0)
    monkeypatch.setitem(app.extensions, metrics._GAUGES_KEY, gauges)
    text = scrape(client).get_data(as_text=True)
    assert "ipcase_broken" not in text
    assert "ipcase_deadlines_breached " in text


MULTIPROCESS_SCRIPT = textwrap.dedent(
    """
    import os, sys
    from ipcase import create_app
    app = create_app({"TESTING": True, "SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": sys.argv[1]})
    client = app.test_client()
    if sys.argv[2] == "request":
        for _ in range(3):
            client.get("/login")
    else:
        sys.stdout.write(client.get("/metrics").get_data(as_text=True))
    """
)


def test_multiprocess_mode_adds_up_the_workers(tmp_path):
    """Two processes (two gunicorn workers) time requests; a third scrapes and sees all six."""
    folder = tmp_path / "prom"
    folder.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith("IPCASE_")} | {
        "PROMETHEUS_MULTIPROC_DIR": str(folder),
        "PYTHONPATH": str(ROOT),
    }
    database = f"sqlite:///{tmp_path / 'm.sqlite'}"
    run = [sys.executable, "-c", MULTIPROCESS_SCRIPT, database]
    for _ in range(2):
        subprocess.run([*run, "request"], env=env, check=True, cwd=ROOT, capture_output=True)  # noqa: S603
    out = subprocess.run([*run, "scrape"], env=env, check=True, cwd=ROOT, capture_output=True, text=True)  # noqa: S603
    counts = [line for line in out.stdout.splitlines() if line.startswith("ipcase_http_request_duration_seconds_count")]
    assert any("auth.login" in line and line.rstrip().endswith(" 6.0") for line in counts), out.stdout


@pytest.fixture
def log_stream(app):
    stream = io.StringIO()
    handler = next(h for h in app.logger.handlers if isinstance(h, logs._IpcaseHandler))
    previous = handler.setStream(stream)
    yield stream, handler
    handler.setStream(previous)


def test_request_id_is_echoed(app, client):
    given = client.get("/health", headers={"X-Request-ID": "abc-123.DEF"})
    assert given.headers["X-Request-ID"] == "abc-123.DEF"
    fresh = client.get("/health", headers={"X-Request-ID": "bad id; with <spaces>"})
    assert fresh.headers["X-Request-ID"] != "bad id; with <spaces>"
    assert len(fresh.headers["X-Request-ID"]) == 32
    assert client.get("/health").headers["X-Request-ID"] != fresh.headers["X-Request-ID"]


def test_log_records_carry_the_request_id(app, log_stream):
    stream, _handler = log_stream
    with app.test_request_context("/", headers={"X-Request-ID": "req-42"}):
        app.preprocess_request()
        logging.getLogger("ipcase.documents.render").warning("from a module")
        current_app.logger.warning("from the app")
    current_app.logger.warning("outside")
    lines = stream.getvalue().splitlines()
    assert "[req-42] ipcase.documents.render: from a module" in lines[0]
    assert "[req-42] ipcase: from the app" in lines[1]
    assert "[-] ipcase: outside" in lines[2]


def test_json_format(app, log_stream):
    stream, handler = log_stream
    previous = handler.formatter
    handler.setFormatter(logs.make_formatter("json"))
    try:
        with app.test_request_context("/", headers={"X-Request-ID": "req-7"}):
            app.preprocess_request()
            current_app.logger.error("broken %s", "thing")
    finally:
        handler.setFormatter(previous)
    record = json.loads(stream.getvalue().splitlines()[0])
    assert record["request_id"] == "req-7"
    assert record["message"] == "broken thing"
    assert record["level"] == "ERROR"
    assert record["logger"] == "ipcase"


def test_an_unknown_log_format_is_refused(backend, tmp_path_factory):
    config = database_config(backend, tmp_path_factory, "logfmt")
    try:
        with pytest.raises(RuntimeError, match="LOG_FORMAT"):
            make_app(config, LOG_FORMAT="xml")
    finally:
        drop_database(config)
