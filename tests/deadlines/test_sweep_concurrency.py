"""Two sweeps at the same moment queue and send each reminder exactly once (PostgreSQL row locks,
unique keys, the outbox's SKIP LOCKED claim)."""

import threading
from collections import Counter
from datetime import datetime, timedelta

import pytest
import sqlalchemy as sa
from flask_migrate import upgrade

from ipcase.cases.enums import AssignmentRole, Channel
from ipcase.cases.operations import assign_staff
from ipcase.core import clock, outbox
from ipcase.core.delivery import Mailer
from ipcase.core.extensions import db
from ipcase.core.outbox import OutboxMessage, OutboxStatus
from ipcase.deadlines import jobs
from ipcase.deadlines.calendar import Unit
from ipcase.deadlines.models import Deadline, DeadlineState, Notification
from tests import factories
from tests.conftest import at_once, database_config, drop_database, make_app

CASES = 40


@pytest.fixture
def committed_app(backend, tmp_path_factory):
    if backend != "postgresql":
        pytest.skip("the race needs concurrent writers: PostgreSQL")
    config = database_config(backend, tmp_path_factory, "sweep")
    app = make_app(config, SMTP_HOST="smtp.invalid", REMINDER_WORKING_DAYS=2)
    with app.app_context():
        upgrade()
        factories.seed_base()
        users = factories.base_users()
        now = clock.now()
        for i in range(CASES):
            case = factories.create_case(Channel.adjudication, requester=f"请求人{i}", actor=users["examiner"])
            assign_staff(case, users["examiner2"], AssignmentRole.panel_member, actor=users["director"])
            db.session.add(
                Deadline(
                    case_id=case.id,
                    rule_id="adj.serve_request",
                    rule_version=datetime(2025, 2, 1).date(),
                    title="送达请求书副本期限",
                    basis="第二十二条",
                    tag="V",
                    unit=Unit.working_days,
                    length=5,
                    started_at=now - timedelta(days=6),
                    due_on=(now + timedelta(hours=2)).date(),
                    due_at=now + timedelta(hours=2),
                    state=DeadlineState.running,
                    extended_by=0,
                )
            )
        for u in users.values():
            u.email = f"{u.username}@example.org"  # an address the outbox sends to (.test is reserved)
        db.session.commit()
        db.session.remove()
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()
    drop_database(config)


def test_concurrent_sweeps_send_each_reminder_once(committed_app, monkeypatch):
    lock = threading.Lock()

    sent: list[str] = []

    def fake_send(mailer, msg):  # the SMTP server accepts every message
        with lock:
            sent.append(msg["Message-ID"])

    monkeypatch.setattr(Mailer, "send", fake_send)
    results = at_once(committed_app, jobs.sweep)
    with committed_app.app_context():
        deadlines = db.session.scalar(
            sa.select(sa.func.count())
            .select_from(Deadline)
            .where(Deadline.rule_id == "adj.serve_request", Deadline.reminder_sent_at.is_not(None))
        )
        all_reminded = db.session.scalar(
            sa.select(sa.func.count()).select_from(Deadline).where(Deadline.reminder_sent_at.is_not(None))
        )
        notes = db.session.execute(sa.select(Notification.user_id, Notification.key)).all()
        queued = db.session.scalars(sa.select(OutboxMessage.key).where(OutboxMessage.key.like("notification:%"))).all()
        while outbox.deliver_due()["claimed"]:  # what the two sweeps' deliveries left (100 each)
            pass
        unsent = db.session.scalar(
            sa.select(sa.func.count()).select_from(OutboxMessage).where(OutboxMessage.status != OutboxStatus.sent)
        )
    # each claimed deadline was claimed by exactly one of the two sweeps
    assert sum(r["reminded"] for r in results) == all_reminded
    assert deadlines == CASES
    # one notification per (recipient, deadline): examiner, examiner2 and the director
    per_key = Counter(key for _, key in notes if key.startswith("due:"))
    assert all(n == 3 for n in per_key.values())
    # one e-mail queued per notification, and each went out once
    assert len(queued) == len(set(queued)) == len(notes)
    assert unsent == 0
    assert len(sent) == len(set(sent)) == len(notes)
