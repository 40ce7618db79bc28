"""Outbox throughput (issue 15): messages per second delivered to a local SMTP server.

    python bench/outbox.py [--messages 2000] [--batch 100] [--backend sqlite|postgresql|both]

Per backend: queues ``--messages`` e-mails in one transaction (as a sweep does), then calls
``ipcase.core.outbox.deliver_due`` — the function the queue's periodic task runs — until every
message is sent, against an aiosmtpd server on 127.0.0.1 (a real TCP connection, one per batch,
each message acknowledged by the server and marked sent in its own commit, as deployed). Prints
the queueing time, the delivery time and messages per second, and checks each message arrived
exactly once.
"""

import argparse
import socket
import sys
import threading
import time
from collections import Counter
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from aiosmtpd.controller import Controller
from flask_migrate import upgrade

from bench.scratch import build, drop
from ipcase import create_app
from ipcase.core import outbox
from ipcase.core.extensions import db


class Counting:
    """The SMTP server's handler: counts the Message-IDs it accepted."""

    def __init__(self) -> None:
        self.ids: Counter[str] = Counter()
        self.lock = threading.Lock()

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        for line in envelope.content.splitlines():
            if line.lower().startswith(b"message-id:"):
                with self.lock:
                    self.ids[line.split(b":", 1)[1].strip().decode()] += 1
                break
        return "250 2.0.0 OK"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def run(backend: str, n: int, batch: int) -> None:
    handler = Counting()
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    config, schema = build(backend, "outbox")
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "bench",
            "SWEEP_INTERVAL": 0,
            "SMTP_HOST": "127.0.0.1",
            "SMTP_PORT": port,
            "MAIL_FROM": "ipcase@office.example.cn",
            **config,
        }
    )
    try:
        with app.app_context():
            upgrade()
            t0 = time.perf_counter()
            rows = [
                outbox.email_row(f"bench:{i}", f"party{i}@example.org", f"提醒 {i}", "期限即将届满。\n" * 10)
                for i in range(n)
            ]
            outbox.queue_rows(rows)
            db.session.commit()
            queued = time.perf_counter() - t0
            t1, c1 = time.perf_counter(), time.process_time()
            sent = 0
            while True:
                counts = outbox.deliver_due(limit=batch)
                if not counts["claimed"]:
                    break
                sent += counts["sent"]
            wall, cpu = time.perf_counter() - t1, time.process_time() - c1
            print(f"[{backend}] queued {n:,} messages in {queued:.2f} s")
            rate = sent / wall
            print(f"[{backend}] delivered {sent:,} in {wall:.2f} s wall, {cpu:.2f} s CPU: {rate:,.0f} messages/s")
            once = len(handler.ids) == n and set(handler.ids.values()) == {1}
            print(f"[{backend}] each message arrived exactly once: {'yes' if once else 'NO'}")
            db.session.remove()
            db.engine.dispose()
    finally:
        controller.stop()
        drop(schema)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--messages", type=int, default=2000)
    parser.add_argument("--batch", type=int, default=100, help="messages claimed per deliver_due call")
    parser.add_argument("--backend", choices=["sqlite", "postgresql", "both"], default="both")
    args = parser.parse_args()
    for backend in ["sqlite", "postgresql"] if args.backend == "both" else [args.backend]:
        run(backend, args.messages, args.batch)


if __name__ == "__main__":
    main()
