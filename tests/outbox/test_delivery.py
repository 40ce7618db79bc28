"""Delivery to a real local SMTP server (aiosmtpd): a message is marked sent only once the server
accepted it, a refusal is tried again with backoff, and each message arrives exactly once."""

import logging
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa

from ipcase.cases.enums import Channel
from ipcase.core import clock, outbox
from ipcase.core.delivery import message_id
from ipcase.core.extensions import db
from ipcase.core.outbox import OutboxMessage, OutboxStatus
from ipcase.deadlines import jobs
from ipcase.deadlines.models import Notification
from ipcase.deadlines.service import sync_calendar
from tests.cases.helpers import make_client_as
from tests.portal.helpers import submit, walk_steps

CN = timedelta(hours=8)


def message(key: str) -> OutboxMessage:
    db.session.expire_all()
    return db.session.scalars(sa.select(OutboxMessage).where(OutboxMessage.key == key)).one()


def later(seconds: float) -> datetime:
    return clock.now() + timedelta(seconds=seconds)


def test_a_refused_message_is_sent_once_after_the_retry(app, smtp):
    smtp.refuse_first = True
    outbox.queue_email("test:once", "party@example.org", "Hello", "Body text")
    db.session.commit()
    first = outbox.deliver_due()
    assert first["claimed"] == 1 and first["retried"] == 1 and first["sent"] == 0
    row = message("test:once")
    assert row.status == OutboxStatus.pending and row.attempts == 1
    assert "451" in row.last_error
    assert row.next_attempt_at == clock.now() + timedelta(seconds=app.config["OUTBOX_RETRY_SECONDS"])
    assert outbox.deliver_due()["claimed"] == 0  # not due yet
    second = outbox.deliver_due(later(60))
    assert second["sent"] == 1
    assert outbox.deliver_due(later(3600))["claimed"] == 0
    assert len(smtp.accepted) == 1
    msg = smtp.accepted[0]
    assert (msg["To"], msg["Subject"], msg["From"]) == ("party@example.org", "Hello", "ipcase@office.example.cn")
    assert msg["Message-ID"] == message_id("test:once", "ipcase@office.example.cn")
    row = message("test:once")
    assert row.status == OutboxStatus.sent and row.sent_at is not None and row.last_error == ""


def test_backoff_doubles(app, smtp):
    smtp.refuse_all = True
    outbox.queue_email("test:backoff", "party@example.org", "S", "B")
    db.session.commit()
    at = clock.now()
    waits = []
    for _ in range(4):
        outbox.deliver_due(at)
        row = message("test:backoff")
        waits.append((row.next_attempt_at - at).total_seconds())
        at = row.next_attempt_at
    assert waits == [60, 120, 240, 480]


def test_the_same_message_id_when_sent_again_after_a_crash(app, smtp):
    """A worker that stopped after the server accepted, before marking: the next worker sends the
    same message (same Message-ID), which the recipient's side recognises as one."""
    outbox.queue_email("test:crash", "party@example.org", "S", "B")
    db.session.commit()
    outbox._claim(clock.now(), 10)  # claimed, then the worker "died" before sending
    assert outbox.deliver_due()["claimed"] == 0  # leased to the dead worker
    lease = app.config["OUTBOX_LEASE_SECONDS"]
    assert outbox.deliver_due(later(lease + 1))["sent"] == 1
    assert message("test:crash").attempts == 2
    assert list(smtp.ids().values()) == [1]


def test_a_permanent_refusal_parks_at_once(app, smtp):
    smtp.refuse_all = True
    smtp.code = "550 5.1.1 No such user"
    outbox.queue_email("test:550", "nobody@example.org", "S", "B")
    db.session.commit()
    assert outbox.deliver_due()["parked"] == 1
    row = message("test:550")
    assert row.status == OutboxStatus.parked and "550" in row.last_error


def test_no_smtp_server_is_a_failure_that_is_retried(app, smtp_server, monkeypatch):
    _, port = smtp_server
    monkeypatch.setitem(app.config, "SMTP_HOST", "127.0.0.1")
    monkeypatch.setitem(app.config, "SMTP_PORT", port + 1 if port < 65535 else port - 1)
    outbox.queue_email("test:down", "party@example.org", "S", "B")
    db.session.commit()
    assert outbox.deliver_due()["retried"] == 1
    assert message("test:down").status == OutboxStatus.pending


def test_sms_goes_to_the_log_by_default(app, caplog):
    outbox.queue_sms("test:sms", "+8613800000000", "Your 24-hour period ends at 10:00")
    db.session.commit()
    with caplog.at_level(logging.INFO, logger="ipcase.core.delivery"):
        assert outbox.deliver_due()["sent"] == 1
    assert "SMS to +8613800000000: Your 24-hour period ends at 10:00" in caplog.text
    assert message("test:sms").status == OutboxStatus.sent


class FlakySms:
    sent: list[tuple[str, str]] = []
    fail = True

    def send(self, to, body):
        if FlakySms.fail:
            FlakySms.fail = False
            raise RuntimeError("gateway timeout")
        FlakySms.sent.append((to, body))


def test_a_real_sms_provider_is_a_setting(app, monkeypatch):
    monkeypatch.setitem(app.config, "SMS_PROVIDER", f"{__name__}:FlakySms")
    monkeypatch.setattr(FlakySms, "sent", [])
    monkeypatch.setattr(FlakySms, "fail", True)
    outbox.queue_sms("test:sms-real", "+8613800000000", "Alert")
    db.session.commit()
    assert outbox.deliver_due()["retried"] == 1
    assert "RuntimeError: gateway timeout" in message("test:sms-real").last_error
    assert outbox.deliver_due(later(60))["sent"] == 1
    assert FlakySms.sent == [("+8613800000000", "Alert")]


def test_the_reminder_arrives_once_after_a_refusal(app, smtp, users, create_case, frozen_now):
    """The sweep queues the reminder in its transaction and delivers after its commit; the server
    refuses the first attempt; the next delivery sends it; nothing arrives twice."""
    smtp.refuse_first = True
    sync_calendar()
    frozen_now(datetime(2026, 11, 24, 10, tzinfo=UTC) - CN)
    users["examiner"].email = "examiner@office.example.cn"
    create_case(Channel.adjudication, received_at=datetime(2026, 11, 18, 10, tzinfo=UTC) - CN, actor=users["examiner"])
    db.session.commit()
    counts = jobs.sweep()
    assert counts["reminder_notifications"] >= 1 and counts["emailed"] >= 1 and counts["delivered"] == 0
    note = db.session.scalars(
        sa.select(Notification).where(Notification.user_id == users["examiner"].id, Notification.kind == "due_soon")
    ).one()
    assert note.emailed_at is not None  # queued for e-mail, not yet sent
    row = message(f"notification:{note.id}")
    assert (row.status, row.recipient) == (OutboxStatus.pending, "examiner@office.example.cn")
    assert row.user_id == note.user_id
    assert smtp.accepted == []
    assert jobs.sweep()["emailed"] == 0  # a second sweep queues nothing again
    frozen_now(later(61))
    assert jobs.sweep()["delivered"] == counts["emailed"]
    outbox.deliver_due(later(24 * 3600))
    ids = smtp.ids()
    assert set(ids.values()) == {1}
    assert len(ids) == counts["emailed"]
    mine = [m for m in smtp.accepted if m["To"] == "examiner@office.example.cn"]
    assert len(mine) == 1 and mine[0]["Message-ID"] == message_id(row.key, "ipcase@office.example.cn")


def test_the_receipt_is_queued_with_the_filing_and_arrives_once(app, smtp):
    smtp.refuse_first = True
    client = make_client_as(app, None, "en")
    walk_steps(client)
    page = submit(client, email="filer@example.org").get_data(as_text=True)
    assert "filer@example.org" in page
    assert smtp.attempts == {}  # no SMTP inside the request
    receipt = db.session.scalars(sa.select(OutboxMessage).where(OutboxMessage.key.like("receipt:%"))).one()
    assert receipt.case_id is not None and receipt.recipient == "filer@example.org"
    assert outbox.deliver_due()["retried"] == 1
    assert outbox.deliver_due(later(60))["sent"] == 1
    assert outbox.deliver_due(later(3600))["claimed"] == 0
    (msg,) = smtp.accepted
    code = page.split('id="access-code">')[1].split("<")[0]
    body = msg.get_content()
    assert msg["To"] == "filer@example.org" and "Your filing has been received." in body
    assert code not in body and code.replace("-", "") not in body


def test_the_filing_stands_when_the_smtp_server_is_down(app, smtp_server, monkeypatch):
    monkeypatch.setitem(app.config, "SMTP_HOST", "127.0.0.1")
    monkeypatch.setitem(app.config, "SMTP_PORT", 1)
    client = make_client_as(app, None, "en")
    walk_steps(client)
    response = submit(client, email="filer@example.org")
    assert response.status_code == 200
    receipt = db.session.scalars(sa.select(OutboxMessage).where(OutboxMessage.key.like("receipt:%"))).one()
    assert receipt.status == OutboxStatus.pending
