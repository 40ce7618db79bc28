"""The sweep: reminders for deadlines coming due and alerts for missed ones, set-based SQL.

Safe to run twice at once: each phase claims its rows with one UPDATE guarded by ``… IS NULL``
(on PostgreSQL the second sweep waits for the first's row locks, then finds nothing left to
claim), and the notifications it creates are unique per (user, key)."""

import logging
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from flask import current_app

from ipcase.auth.models import Role, User
from ipcase.cases.enums import AssignmentRole
from ipcase.cases.models import Assignment, Case
from ipcase.core import clock, outbox
from ipcase.core.db import conflict_insert
from ipcase.core.extensions import db
from ipcase.deadlines.calendar import Unit, add_working_days
from ipcase.deadlines.calendar_store import load_calendar
from ipcase.deadlines.engine import end_of_day
from ipcase.deadlines.messages import notification_text
from ipcase.deadlines.models import Deadline, DeadlineState, DutyShift, Notification
from ipcase.deadlines.rules import RULES
from ipcase.deadlines.triggers import start_followers

log = logging.getLogger(__name__)


def reminder_threshold(now: datetime) -> datetime:
    """Day periods are reminded when they fall due within REMINDER_WORKING_DAYS working days."""
    days = current_app.config["REMINDER_WORKING_DAYS"]
    horizon = add_working_days(load_calendar(), clock.to_local(now).date(), days).due
    return end_of_day(horizon)


def sweep(now: datetime | None = None) -> dict[str, int]:
    """Find deadlines coming due and missed ones; notify assignees, directors and whoever is on
    duty for hour periods. Commits. Returns counts."""
    now = now or clock.now()
    hours_ahead = timedelta(hours=current_app.config["REMINDER_HOURS"])
    counts = {}

    breached = db.session.execute(
        sa.update(Deadline)
        .where(Deadline.state == DeadlineState.running, Deadline.due_at < now, Deadline.breach_sent_at.is_(None))
        .values(state=DeadlineState.breached, breach_sent_at=now, closed_at=now)
        .execution_options(synchronize_session=False)
    ).rowcount
    counts["breached"] = breached
    counts["followed"] = _start_followers(now) if breached else 0
    counts["breach_notifications"] = (
        _notify_claimed(Deadline.breach_sent_at == now, "breached", "breach") if breached else 0
    )

    due_soon = sa.or_(
        sa.and_(Deadline.unit == Unit.hours, Deadline.due_at <= now + hours_ahead),
        sa.and_(Deadline.unit != Unit.hours, Deadline.due_at <= reminder_threshold(now)),
    )
    reminded = db.session.execute(
        sa.update(Deadline)
        .where(Deadline.state == DeadlineState.running, Deadline.reminder_sent_at.is_(None), due_soon)
        .values(reminder_sent_at=now)
        .execution_options(synchronize_session=False)
    ).rowcount
    counts["reminded"] = reminded
    counts["reminder_notifications"] = (
        _notify_claimed(Deadline.reminder_sent_at == now, "due_soon", "due") if reminded else 0
    )
    counts["emailed"] = send_pending_emails()
    db.session.commit()
    # the reminders just queued go out now rather than at the worker's next minute (the outbox's
    # claim keeps this and the periodic delivery from ever sending one message twice)
    counts["delivered"] = outbox.deliver_due()["sent"]
    return counts


def _start_followers(now: datetime) -> int:
    """The periods that start when one ends unmet (``Rule.follows``), for those this sweep claimed."""
    followed = {r.follows for r in RULES if r.follows}
    rows = db.session.scalars(
        sa.select(Deadline).where(Deadline.breach_sent_at == now, Deadline.rule_id.in_(sorted(followed)))
    ).all()
    return sum(len(start_followers(d)) for d in rows)


def _notify_claimed(claimed: sa.ColumnElement[bool], kind: str, prefix: str) -> int:
    """INSERT … SELECT one notification per recipient of every deadline this sweep claimed."""
    key = sa.literal(f"{prefix}:") + sa.cast(Deadline.id, sa.String)
    common = [
        key.label("key"),
        sa.literal(kind).label("kind"),
        Deadline.case_id,
        Deadline.id.label("deadline_id"),
        # a bound JSON value: CAST('{}' AS JSON) is the integer 0 on SQLite (no JSON type there)
        sa.literal({}, Notification.data.type).label("data"),
        sa.literal(clock.now(), type_=Notification.created_at.type).label("created_at"),
    ]
    staff = (
        sa.select(Assignment.user_id.label("user_id"), *common)
        .join(Assignment, Assignment.case_id == Deadline.case_id)
        .where(claimed, Assignment.role != AssignmentRole.tech_investigator)
    )
    directors = (
        sa.select(User.id.label("user_id"), *common)
        .join(Case, Case.id == Deadline.case_id)
        .join(User, sa.and_(User.organisation_id == Case.organisation_id, User.role == Role.director, User.is_active))
        .where(claimed)
    )
    now = clock.now()
    on_duty = (
        sa.select(DutyShift.user_id.label("user_id"), *common)
        .join(Case, Case.id == Deadline.case_id)
        .join(
            DutyShift,
            sa.and_(
                DutyShift.organisation_id == Case.organisation_id, DutyShift.starts_at <= now, DutyShift.ends_at > now
            ),
        )
        .where(claimed, Deadline.unit == Unit.hours)
    )
    total = 0
    for select in (staff, directors, on_duty):
        total += _insert_from_select(select)
    return total


def _insert_from_select(select: sa.Select[Any]) -> int:
    cols = ["user_id", "key", "kind", "case_id", "deadline_id", "data", "created_at"]
    stmt = (
        conflict_insert(db.session, Notification)
        .from_select(cols, select)
        .on_conflict_do_nothing(index_elements=["user_id", "key"])
        .returning(Notification.id)
    )
    # rowcount of INSERT … SELECT … ON CONFLICT is not reported by every driver; RETURNING is exact
    return len(db.session.execute(stmt).all())


def send_pending_emails() -> int:
    """Queue in the outbox an e-mail for each notification not yet queued, when SMTP is
    configured, in the caller's transaction (no commit); ``Notification.emailed_at`` is the
    time it was queued. The outbox key ``notification:<id>`` makes a second sweep's queueing a
    no-op; delivery (and its retries) is :func:`ipcase.core.outbox.deliver_due`'s."""
    if not current_app.config.get("SMTP_HOST"):
        return 0
    queued = 0
    while True:
        pending = db.session.execute(
            sa.select(Notification, User.email)
            .join(User, User.id == Notification.user_id)
            .where(Notification.emailed_at.is_(None), User.email != "")
            .order_by(Notification.id)
            .limit(500)
        ).all()
        if not pending:
            return queued
        rows = []
        for note, address in pending:
            text = notification_text(note)
            rows.append(
                outbox.email_row(
                    f"notification:{note.id}", address, text, text, user_id=note.user_id, case_id=note.case_id
                )
            )
        queued += outbox.queue_rows(rows)
        db.session.execute(
            sa.update(Notification)
            .where(Notification.id.in_([note.id for note, _ in pending]), Notification.emailed_at.is_(None))
            .values(emailed_at=clock.now())
            .execution_options(synchronize_session=False)
        )
