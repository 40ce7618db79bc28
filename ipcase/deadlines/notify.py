"""In-app notifications (and e-mail when SMTP is configured) about deadlines.

Each notification has a ``key`` unique per user, inserted with ON CONFLICT DO NOTHING, so a
reminder is created exactly once however many sweeps or workers run at the same time."""

from collections.abc import Iterable
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from ipcase.auth.models import CASE_HANDLERS, Role, User
from ipcase.cases.enums import AssignmentRole
from ipcase.cases.models import Assignment, Case
from ipcase.core import clock
from ipcase.core.db import conflict_insert
from ipcase.core.events import login_attacked
from ipcase.core.extensions import db
from ipcase.deadlines.models import Deadline, Notification


def insert_ignore(rows: list[dict[str, Any]]) -> int:
    """Insert notifications, skipping any (user, key) that already exists. Returns rows inserted."""
    if not rows:
        return 0
    stmt = conflict_insert(db.session, Notification).on_conflict_do_nothing(index_elements=["user_id", "key"])
    result = db.session.connection().execute(stmt, rows)
    return max(result.rowcount or 0, 0)


@login_attacked.connect
def notify_login_attack(user: User, *, address: str, at: datetime, **_: Any) -> None:
    """Tell the account's owner and every active administrator of wrong passwords from an unknown
    address, once per burst: a burst is every failure since the account's last successful login."""
    since = user.last_login_at
    key = f"login_attack:{user.id}:{int(since.timestamp()) if since else 0}"
    admins = db.session.scalars(sa.select(User.id).where(User.role == Role.admin, User.is_active)).all()
    data = {"username": user.username, "address": address}
    rows = [
        {"user_id": uid, "key": key, "kind": "login_attack", "data": data, "created_at": at}
        for uid in sorted({user.id, *admins})
    ]
    insert_ignore(rows)


def case_recipients(case: Case, roles: Iterable[Role] | None = None) -> list[int]:
    """The staff on the case (not technical investigators) and the directors of its organisation."""
    ids: set[int] = set()
    if roles is None or set(roles) & CASE_HANDLERS - {Role.director}:
        ids |= set(
            db.session.scalars(
                sa.select(Assignment.user_id).where(
                    Assignment.case_id == case.id, Assignment.role != AssignmentRole.tech_investigator
                )
            )
        )
    ids |= set(
        db.session.scalars(
            sa.select(User.id).where(
                User.role == Role.director, User.organisation_id == case.organisation_id, User.is_active
            )
        )
    )
    return sorted(ids)


def notify_case_staff(
    case: Case,
    deadline: Deadline | None,
    kind: str,
    *,
    key: str,
    roles: Iterable[Role] | None = None,
    data: dict[str, Any] | None = None,
) -> int:
    rows = [
        {
            "user_id": uid,
            "key": key,
            "kind": kind,
            "case_id": case.id,
            "deadline_id": deadline.id if deadline else None,
            "data": dict(data or {}, number=case.number or ""),
            "created_at": clock.now(),
        }
        for uid in case_recipients(case, roles)
    ]
    return insert_ignore(rows)


def unread_count(user_id: int) -> int:
    return (
        db.session.scalar(
            sa.select(sa.func.count())
            .select_from(Notification)
            .where(Notification.user_id == user_id, Notification.read_at.is_(None))
        )
        or 0
    )
