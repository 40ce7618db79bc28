"""Two delivery runs at once, each with its own connection, against a server that refuses every
message's first attempt: each message still arrives exactly once (PostgreSQL: the claim picks
rows FOR UPDATE SKIP LOCKED; SQLite: the claim is one statement under the write lock)."""

from datetime import timedelta

import pytest
import sqlalchemy as sa
from flask_migrate import upgrade

from ipcase.core import clock, outbox
from ipcase.core.extensions import db
from ipcase.core.outbox import OutboxMessage, OutboxStatus
from tests.conftest import at_once, database_config, drop_database, make_app

MESSAGES = 60


@pytest.fixture
def committed_app(backend, tmp_path_factory, smtp_server):
    _, port = smtp_server
    config = database_config(backend, tmp_path_factory, "outbox")
    app = make_app(config, SMTP_HOST="127.0.0.1", SMTP_PORT=port, MAIL_FROM="ipcase@office.example.cn")
    with app.app_context():
        upgrade()
        for i in range(MESSAGES):
            outbox.queue_email(f"race:{i}", f"party{i}@example.org", f"Message {i}", "Body")
        db.session.commit()
        db.session.remove()
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()
    drop_database(config)


def _race(app, at, limit):
    return at_once(app, lambda: outbox.deliver_due(at, limit=limit))


def test_two_delivery_runs_at_once_send_each_message_once(committed_app, smtp_server):
    recorder, _ = smtp_server
    recorder.refuse_first = True
    now = clock.now()
    first = _race(committed_app, now, MESSAGES)
    assert sum(r["claimed"] for r in first) == MESSAGES  # each row claimed by one run only
    assert sum(r["retried"] for r in first) == MESSAGES
    assert recorder.accepted == []
    # the retry, again two at once, in small batches so both take part
    at = now + timedelta(seconds=61)
    second = []
    while True:
        results = _race(committed_app, at, 7)
        second += results
        if not any(r["claimed"] for r in results):
            break
    assert sum(r["sent"] for r in second) == MESSAGES
    ids = recorder.ids()
    assert len(ids) == MESSAGES and set(ids.values()) == {1}
    assert set(recorder.attempts.values()) == {2}  # refused once, accepted once, never a third time
    with committed_app.app_context():
        statuses = db.session.scalars(sa.select(OutboxMessage.status)).all()
        attempts = db.session.scalars(sa.select(OutboxMessage.attempts)).all()
    assert set(statuses) == {OutboxStatus.sent} and set(attempts) == {2}
