"""The app as the README's production section deploys it: gunicorn with several workers on a
migrated database, limits kept in Redis (the tests' database, ``IPCASE_TEST_REDIS_URL``)."""

import http.client
import os
import re
import secrets
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest
import redis

from tests.conftest import REDIS_URL, claim_redis_database

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
#: gunicorn's access log, one line a request: the worker's pid and the status it answered
ACCESS_LOG_FORMAT = "%(p)s %(s)s %(U)s"
BOOTED = re.compile(r"Booting worker with pid: (\d+)")

SEED = """
from flask_migrate import upgrade
from ipcase import create_app
from ipcase.core.extensions import db
from tests import factories

app = create_app({"TESTING": True, "SECRET_KEY": "seed", "SWEEP_INTERVAL": 0, "RATELIMIT_ENABLED": False})
with app.app_context():
    upgrade()
    factories.seed_base()
    db.session.commit()
"""


def redis_reachable() -> bool:
    try:
        return bool(redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping())
    except Exception:
        return False


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class Server:
    """A running gunicorn: its port, and every (worker pid, status) its access log has shown."""

    port: int
    process: subprocess.Popen[str]
    workers: set[int] = field(default_factory=set)
    served: list[tuple[int, int, str]] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    readers: list[threading.Thread] = field(default_factory=list)
    _changed: threading.Condition = field(default_factory=threading.Condition)

    def post(self, path: str, data: dict[str, str]) -> int:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        try:
            body = urlencode(data)
            conn.request("POST", path, body, {"Content-Type": "application/x-www-form-urlencoded"})
            response = conn.getresponse()
            response.read()
            return response.status
        finally:
            conn.close()

    def get(self, path: str) -> int:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        try:
            conn.request("GET", path)
            response = conn.getresponse()
            response.read()
            return response.status
        finally:
            conn.close()

    def wait_for(self, predicate: Any, timeout: float = 60) -> bool:
        with self._changed:
            return self._changed.wait_for(lambda: predicate(self) or self.process.poll() is not None, timeout)

    def _read(self, stream: Any, access: bool) -> None:
        for line in stream:
            with self._changed:
                if access:
                    pid, status, path = line.split(maxsplit=2)  # pid as "<1234>"
                    self.served.append((int(pid.strip("<>")), int(status), path.strip()))
                else:
                    self.errors.append(line)
                    if booted := BOOTED.search(line):
                        self.workers.add(int(booted.group(1)))
                self._changed.notify_all()


def start_server(tmp_path: Path, settings: dict[str, str], workers: int = 2) -> Server:
    """Migrate and seed a fresh SQLite database, then serve it with ``workers`` gunicorn workers
    configured only through the environment, as in production."""
    database = f"sqlite:///{tmp_path / 'scale.sqlite'}"
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("IPCASE_") and k != "DATABASE_URL"},
        "DATABASE_URL": database,
        "IPCASE_SECRET_KEY": secrets.token_hex(32),
        "IPCASE_SWEEP_INTERVAL": "0",
        "IPCASE_REDIS_URL": REDIS_URL,
        **settings,
    }
    subprocess.run(  # noqa: S603  (our own interpreter and script)
        [sys.executable, "-c", SEED], cwd=ROOT, env=env, check=True, capture_output=True, timeout=300
    )
    port = _free_port()
    command = [
        str(BIN / "gunicorn"),
        "-c",
        "python:ipcase.gunicorn_conf",
        "--workers",
        str(workers),
        "--bind",
        f"127.0.0.1:{port}",
        "--no-control-socket",  # runs side by side must not share one
        "--access-logfile",
        "-",
        "--access-logformat",
        ACCESS_LOG_FORMAT,
        "wsgi:app",
    ]
    process = subprocess.Popen(  # noqa: S603  (the venv's gunicorn, our arguments)
        command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, bufsize=1
    )
    server = Server(port=port, process=process)
    for stream, access in ((process.stdout, True), (process.stderr, False)):
        reader = threading.Thread(target=server._read, args=(stream, access), daemon=True)
        reader.start()
        server.readers.append(reader)
    server.wait_for(lambda s: len(s.workers) == workers and any("Listening" in line for line in s.errors))
    if process.poll() is not None or len(server.workers) < workers:
        stop_server(server)
        pytest.fail("gunicorn did not start:\n" + "".join(server.errors[-40:]))
    return server


def stop_server(server: Server) -> None:
    server.process.terminate()
    try:
        server.process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        server.process.kill()
        server.process.wait()
    for reader in server.readers:
        reader.join(timeout=10)
    for stream in (server.process.stdout, server.process.stderr):
        if stream is not None:
            stream.close()


@pytest.fixture
def clean_redis() -> Iterator[None]:
    """The tests' Redis database, empty before and after (the limits of one run only)."""
    if not redis_reachable():
        pytest.skip("Redis not reachable")

    claim_redis_database()
    client = redis.Redis.from_url(REDIS_URL)
    client.flushdb()
    yield
    client.flushdb()
