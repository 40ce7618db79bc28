"""A real SMTP server on 127.0.0.1 (aiosmtpd, in a thread) for the outbox tests, and an app
pointed at it."""

import email
import email.policy
import socket
import threading
from collections import Counter
from email.message import EmailMessage
from typing import Any

import pytest
from aiosmtpd.controller import Controller


class Recorder:
    """The server's handler: keeps every accepted message; ``refuse_first`` answers 451 to the
    first attempt at each Message-ID, ``refuse_all`` to every attempt (with ``code``)."""

    def __init__(self) -> None:
        self.accepted: list[EmailMessage] = []
        self.attempts: Counter[str] = Counter()
        self.refuse_first = False
        self.refuse_all = False
        self.code = "451 4.3.0 Mailbox busy, try again later"
        self.lock = threading.Lock()

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        msg = email.message_from_bytes(envelope.original_content or envelope.content, policy=email.policy.default)
        mid = msg["Message-ID"]
        with self.lock:
            self.attempts[mid] += 1
            if self.refuse_all or (self.refuse_first and self.attempts[mid] == 1):
                return self.code
            self.accepted.append(msg)
        return "250 2.0.0 OK"

    def ids(self) -> Counter[str]:
        with self.lock:
            return Counter(m["Message-ID"] for m in self.accepted)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def smtp_server() -> Any:
    """(recorder, port) of a running local SMTP server, stopped after the test."""
    recorder = Recorder()
    port = free_port()
    controller = Controller(recorder, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield recorder, port
    finally:
        controller.stop()


@pytest.fixture
def smtp(app, smtp_server, monkeypatch) -> Recorder:
    """The app sends through the local server; returns its recorder."""
    recorder, port = smtp_server
    monkeypatch.setitem(app.config, "SMTP_HOST", "127.0.0.1")
    monkeypatch.setitem(app.config, "SMTP_PORT", port)
    monkeypatch.setitem(app.config, "MAIL_FROM", "ipcase@office.example.cn")
    return recorder
