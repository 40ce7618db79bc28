"""The outbox: every e-mail and SMS the system sends, written in the transaction of the change that
causes it, delivered afterwards by :func:`deliver_due` with retries, never lost and never sent twice.

- **Queueing** (:func:`queue_email`, :func:`queue_sms`) inserts a row in the caller's transaction
  and does not commit: the message exists exactly when the change that causes it does. Each message
  has an idempotency ``key`` (``receipt:<case id>``, ``notification:<id>`` …), unique, inserted with
  ``ON CONFLICT (key) DO NOTHING``: queueing the same message twice leaves one row.
- **Delivery** (:func:`deliver_due`, called by the job queue's periodic task and, until then, after
  the sweep) claims the due rows with one UPDATE (``pending`` and due, or ``sending`` with an expired
  lease; on PostgreSQL the rows are picked ``FOR UPDATE SKIP LOCKED``, so two workers never take
  the same row), commits the claim, sends, and marks a message ``sent`` only after the server
  accepted it. A failure is tried again after ``OUTBOX_RETRY_SECONDS``, doubling up to
  ``OUTBOX_MAX_RETRY_SECONDS``; after ``OUTBOX_MAX_ATTEMPTS`` attempts, or at once when the server
  refuses for good (5xx), the message is ``parked`` with its error for an administrator, who can
  :func:`retry` it. A worker that dies while sending leaves its rows ``sending``: once their lease
  (``OUTBOX_LEASE_SECONDS``) is over another worker takes them again; if the first had already
  handed a message over, the second sends it with the same ``Message-ID`` (see
  ``ipcase.core.delivery``), so the recipient sees one message.
"""

import logging
from collections.abc import Iterable
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

import sqlalchemy as sa
from email_validator import EmailNotValidError, validate_email
from flask import current_app
from sqlalchemy.orm import Mapped, mapped_column

from ipcase.core import clock
from ipcase.core.db import UTCDateTime, conflict_insert, enum_type
from ipcase.core.delivery import Mailer, build_email, is_permanent, sms_provider
from ipcase.core.extensions import db

log = logging.getLogger(__name__)

#: rows per INSERT when many messages are queued at once
CHUNK = 500
#: how much of an error message is kept
ERROR_MAX = 2000


class OutboxChannel(StrEnum):
    email = "email"
    sms = "sms"


class OutboxStatus(StrEnum):
    pending = "pending"
    sending = "sending"
    sent = "sent"
    parked = "parked"


class OutboxMessage(db.Model):
    """One message to send, and what became of it."""

    __tablename__ = "outbox_messages"
    __table_args__ = (
        sa.CheckConstraint("attempts >= 0", name="attempts_not_negative"),
        sa.Index("ix_outbox_messages_due", "status", "next_attempt_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(sa.String(200), unique=True)
    channel: Mapped[OutboxChannel] = mapped_column(enum_type(OutboxChannel))
    recipient: Mapped[str] = mapped_column(sa.String(254))
    subject: Mapped[str] = mapped_column(sa.String(300), default="")
    body: Mapped[str] = mapped_column(sa.Text)
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"), index=True)
    case_id: Mapped[int | None] = mapped_column(sa.ForeignKey("cases.id", ondelete="SET NULL"), index=True)
    status: Mapped[OutboxStatus] = mapped_column(enum_type(OutboxStatus), default=OutboxStatus.pending)
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    leased_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_error: Mapped[str] = mapped_column(sa.Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    def __repr__(self) -> str:
        return f"<OutboxMessage {self.id} {self.key} {self.status}>"


class InvalidAddress(ValueError):
    """A recipient that is not an e-mail address (or phone number) a message could reach."""


def check_email(address: str) -> str:
    """The address as given, or InvalidAddress (syntax only: no DNS look-up)."""
    try:
        validate_email(address, check_deliverability=False)
    except EmailNotValidError as exc:
        raise InvalidAddress(f"not an e-mail address: {address!r} ({exc})") from exc
    return address


def check_phone(number: str) -> str:
    """A phone number: an optional +, then 6 to 20 digits (spaces and dashes allowed between)."""
    digits = number.replace(" ", "").replace("-", "")
    if not (digits.removeprefix("+").isdigit() and 6 <= len(digits.removeprefix("+")) <= 20):
        raise InvalidAddress(f"not a phone number: {number!r}")
    return number.strip()


def queue_email(
    key: str, to: str, subject: str, body: str, *, user_id: int | None = None, case_id: int | None = None
) -> bool:
    """Queue an e-mail in the current transaction (no commit). False when ``key`` was queued
    before (nothing changes); InvalidAddress when ``to`` is not an e-mail address."""
    row = _row(key, OutboxChannel.email, check_email(to), subject, body, user_id, case_id)
    return queue_rows([row]) == 1


def queue_sms(key: str, to: str, body: str, *, user_id: int | None = None, case_id: int | None = None) -> bool:
    """Queue an SMS in the current transaction (no commit); see :func:`queue_email`."""
    row = _row(key, OutboxChannel.sms, check_phone(to), "", body, user_id, case_id)
    return queue_rows([row]) == 1


def email_row(
    key: str, to: str, subject: str, body: str, *, user_id: int | None = None, case_id: int | None = None
) -> dict[str, Any]:
    """A row for :func:`queue_rows`. A malformed address is not refused here: the row is parked at
    once with the reason, so an address that slipped past the forms shows on the admin page."""
    row = _row(key, OutboxChannel.email, to, subject, body, user_id, case_id)
    try:
        check_email(to)
    except InvalidAddress as exc:
        row.update(status=OutboxStatus.parked, last_error=str(exc)[:ERROR_MAX])
    return row


def _row(
    key: str,
    channel: OutboxChannel,
    to: str,
    subject: str,
    body: str,
    user_id: int | None,
    case_id: int | None,
) -> dict[str, Any]:
    now = clock.now()
    return {
        "key": key,
        "channel": channel,
        "recipient": to,
        "subject": subject[:300],
        "body": body,
        "user_id": user_id,
        "case_id": case_id,
        "status": OutboxStatus.pending,
        "attempts": 0,
        "next_attempt_at": now,
        "last_error": "",
        "created_at": now,
    }


def queue_rows(rows: Iterable[dict[str, Any]]) -> int:
    """INSERT … ON CONFLICT (key) DO NOTHING, in the current transaction; the number of rows inserted."""
    rows = list(rows)
    inserted = 0
    for start in range(0, len(rows), CHUNK):
        stmt = (
            conflict_insert(db.session, OutboxMessage)
            .values(rows[start : start + CHUNK])
            .on_conflict_do_nothing(index_elements=["key"])
            .returning(OutboxMessage.id)
        )
        inserted += len(db.session.execute(stmt).all())
    return inserted


# -- delivery ----------------------------------------------------------------------------------------


def _due(now: datetime, max_attempts: int) -> sa.ColumnElement[bool]:
    M = OutboxMessage
    return sa.or_(
        sa.and_(M.status == OutboxStatus.pending, M.next_attempt_at <= now),
        sa.and_(M.status == OutboxStatus.sending, M.leased_until < now, M.attempts < max_attempts),
    )


def _claim(now: datetime, limit: int) -> tuple[list[int], int]:
    """Take up to ``limit`` due messages for this worker and commit; (their ids, rows parked
    because a worker died while sending their last allowed attempt)."""
    M = OutboxMessage
    cfg = current_app.config
    max_attempts = int(cfg["OUTBOX_MAX_ATTEMPTS"])
    lease = now + timedelta(seconds=int(cfg["OUTBOX_LEASE_SECONDS"]))
    abandoned = db.session.execute(
        sa.update(M)
        .where(M.status == OutboxStatus.sending, M.leased_until < now, M.attempts >= max_attempts)
        .values(
            status=OutboxStatus.parked,
            leased_until=None,
            last_error="the worker sending its last attempt stopped before it finished",
        )
        .execution_options(synchronize_session=False)
    ).rowcount
    pick = sa.select(M.id).where(_due(now, max_attempts)).order_by(M.next_attempt_at, M.id).limit(limit)
    if db.session.get_bind().dialect.name == "postgresql":
        pick = pick.with_for_update(skip_locked=True)
    ids = db.session.scalars(
        sa.update(M)
        .where(M.id.in_(pick.scalar_subquery()), _due(now, max_attempts))
        .values(status=OutboxStatus.sending, leased_until=lease, attempts=M.attempts + 1)
        .returning(M.id)
        .execution_options(synchronize_session=False)
    ).all()
    db.session.commit()
    return sorted(ids), max(abandoned or 0, 0)


def _finish(message: sa.Row[Any], error: BaseException | None, now: datetime) -> str:
    """Record one attempt of a claimed message and commit; "sent", "retried", "parked" or "lost"
    (the lease ran out meanwhile and another worker took it)."""
    M = OutboxMessage
    cfg = current_app.config
    mine = sa.and_(M.id == message.id, M.status == OutboxStatus.sending, M.leased_until == message.leased_until)
    if error is None:
        values: dict[str, Any] = {"status": OutboxStatus.sent, "sent_at": now, "leased_until": None, "last_error": ""}
        outcome = "sent"
    else:
        text = f"{type(error).__name__}: {error}"[:ERROR_MAX]
        if message.attempts >= int(cfg["OUTBOX_MAX_ATTEMPTS"]) or is_permanent(error):
            values = {"status": OutboxStatus.parked, "leased_until": None, "last_error": text}
            outcome = "parked"
        else:
            wait = min(
                int(cfg["OUTBOX_RETRY_SECONDS"]) * 2 ** max(message.attempts - 1, 0),
                int(cfg["OUTBOX_MAX_RETRY_SECONDS"]),
            )
            values = {
                "status": OutboxStatus.pending,
                "leased_until": None,
                "last_error": text,
                "next_attempt_at": now + timedelta(seconds=wait),
            }
            outcome = "retried"
        log.warning("outbox message %s (%s) attempt %s failed: %s", message.id, message.key, message.attempts, text)
    updated = db.session.execute(
        sa.update(M).where(mine).values(**values).execution_options(synchronize_session=False)
    ).rowcount
    db.session.commit()
    return outcome if updated else "lost"


def _send_one(message: sa.Row[Any], mailer: Mailer) -> BaseException | None:
    """Hand one message to its provider; the exception when it was not accepted."""
    try:
        if message.channel == OutboxChannel.email:
            mailer.send(build_email(message.key, message.recipient, message.subject, message.body))
        else:
            sms_provider().send(message.recipient, message.body)
    except Exception as exc:  # any provider failure is recorded on the message, never dropped
        return exc
    return None


def deliver_due(now: datetime | None = None, limit: int = 100) -> dict[str, int]:
    """Send up to ``limit`` due messages (see the module docstring). Commits: call it outside
    another transaction. Returns counts: claimed, sent, retried, parked, lost."""
    now = now or clock.now()
    counts = dict.fromkeys(("claimed", "sent", "retried", "parked", "lost"), 0)
    ids, counts["parked"] = _claim(now, limit)
    counts["claimed"] = len(ids)
    if not ids:
        return counts
    M = OutboxMessage
    columns = (M.id, M.key, M.channel, M.recipient, M.subject, M.body, M.attempts, M.leased_until)
    # plain rows, not ORM objects: they do not expire (and reload) at each commit
    messages = db.session.execute(sa.select(*columns).where(M.id.in_(ids)).order_by(M.id)).all()
    db.session.commit()  # no transaction held open while the server is talked to
    with Mailer() as mailer:
        for message in messages:
            counts[_finish(message, _send_one(message, mailer), now)] += 1
    return counts


# -- administration ----------------------------------------------------------------------------------


def retry(message_id: int, actor: Any = None) -> bool:
    """Put a parked message back in the queue, due now, with its attempts counted afresh (in the
    current transaction). False when there is no such parked message."""
    M = OutboxMessage
    updated = db.session.execute(
        sa.update(M)
        .where(M.id == message_id, M.status == OutboxStatus.parked)
        .values(status=OutboxStatus.pending, attempts=0, next_attempt_at=clock.now(), leased_until=None)
        .execution_options(synchronize_session=False)
    ).rowcount
    if updated:
        log.info("outbox message %s put back in the queue by %s", message_id, getattr(actor, "username", actor))
    return bool(updated)


def status_counts() -> dict[OutboxStatus, int]:
    rows = db.session.execute(sa.select(OutboxMessage.status, sa.func.count()).group_by(OutboxMessage.status)).all()
    found = dict(rows)
    return {status: found.get(status, 0) for status in OutboxStatus}


#: the order of the admin list: what needs attention first
STATUS_ORDER = (OutboxStatus.parked, OutboxStatus.sending, OutboxStatus.pending, OutboxStatus.sent)


def list_messages(status: OutboxStatus | None = None, limit: int = 200) -> list[OutboxMessage]:
    """Messages for the admin page: parked first, then in flight, waiting and sent; newest first."""
    M = OutboxMessage
    rank = sa.case({s.value: i for i, s in enumerate(STATUS_ORDER)}, value=M.status)
    query = sa.select(M).order_by(rank, M.created_at.desc(), M.id.desc()).limit(limit)
    if status is not None:
        query = query.where(M.status == status)
    return list(db.session.scalars(query))
