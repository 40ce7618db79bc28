"""Queueing: in the caller's transaction, once per key, addresses checked when queued."""

import pytest
import sqlalchemy as sa

from ipcase.core import outbox
from ipcase.core.extensions import db
from ipcase.core.outbox import InvalidAddress, OutboxMessage, OutboxStatus


def rows(key=None):
    query = sa.select(OutboxMessage)
    if key:
        query = query.where(OutboxMessage.key == key)
    return db.session.scalars(query).all()


def test_queue_twice_is_one_row(app):
    assert outbox.queue_email("test:twice", "a@example.org", "Subject", "Body") is True
    assert outbox.queue_email("test:twice", "a@example.org", "Other subject", "Other body") is False
    found = rows("test:twice")
    assert len(found) == 1
    assert (found[0].subject, found[0].status, found[0].attempts) == ("Subject", OutboxStatus.pending, 0)


def test_queueing_does_not_commit(app):
    savepoint = db.session.begin_nested()
    outbox.queue_email("test:rolled-back", "a@example.org", "S", "B")
    savepoint.rollback()
    assert rows("test:rolled-back") == []


def test_many_rows_in_one_call_skip_those_queued(app):
    outbox.queue_email("test:many:1", "a@example.org", "S", "B")
    batch = [outbox.email_row(f"test:many:{i}", "a@example.org", "S", "B") for i in range(1, 1201)]
    assert outbox.queue_rows(batch) == 1199
    assert len(rows()) == 1200


@pytest.mark.parametrize("address", ["not-an-address", "a@", "@example.org", "a b@example.org", "a@example..org"])
def test_a_malformed_address_is_refused_when_queued(app, address):
    with pytest.raises(InvalidAddress):
        outbox.queue_email("test:bad", address, "S", "B")
    assert rows("test:bad") == []


def test_a_malformed_address_in_a_batch_is_parked_with_its_reason(app):
    outbox.queue_rows([outbox.email_row("test:bad-batch", "nobody", "S", "B")])
    (row,) = rows("test:bad-batch")
    assert row.status == OutboxStatus.parked
    assert "not an e-mail address" in row.last_error


def test_sms_numbers_are_checked(app):
    assert outbox.queue_sms("test:sms", "+86 138-0000-0000", "Hello") is True
    with pytest.raises(InvalidAddress):
        outbox.queue_sms("test:sms-bad", "call me", "Hello")
