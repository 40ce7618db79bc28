"""Login throttling per (user name, address) and per address, kept in the database so every
worker and host shares it; each counter changes only by one atomic SQL statement.

An attempt is counted *before* the password is checked, under the row's lock: of any number of
concurrent tries, exactly the allowed number reach the password check. The keys depend only on
what the client typed and where it comes from, never on whether the account exists, so a
throttled answer reveals nothing about which user names exist."""

from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa

from ipcase.auth.models import LoginThrottle, ThrottleScope
from ipcase.core.db import UTCDateTime, conflict_insert
from ipcase.core.extensions import db

#: rows pruned at most per failed attempt (old keys nobody tries any more)
PRUNE_BATCH = 100


@dataclass(frozen=True)
class Counted:
    """One key's state after an attempt was counted on it."""

    id: int
    attempts: int
    blocked_until: datetime | None
    last_success_at: datetime | None


def _at(value: datetime) -> sa.BindParameter[datetime]:
    return sa.literal(value, UTCDateTime())


def count_attempt(
    scope: ThrottleScope,
    username: str,
    address: str,
    *,
    now: datetime,
    window: timedelta,
    forget: timedelta,
) -> Counted:
    """Count one attempt on a key (creating it) and return its state; a blocked key is not counted.

    The window restarts when its start is older than ``window``; the number of past blocks (which
    makes each block longer) is forgotten after ``forget`` without any attempt."""
    t = LoginThrottle.__table__
    blocked = t.c.blocked_until > _at(now)
    stale = t.c.window_started_at <= _at(now - window)
    stmt = conflict_insert(db.session, LoginThrottle).values(
        scope=scope.value,
        username=username,
        address=address,
        attempts=1,
        window_started_at=now,
        blocks=0,
        blocked_until=None,
        last_attempt_at=now,
    )
    stmt = stmt.on_conflict_do_update(
        index_elements=["scope", "username", "address"],
        set_={
            "attempts": sa.case((blocked, t.c.attempts), (stale, 1), else_=t.c.attempts + 1),
            "window_started_at": sa.case(
                (blocked, t.c.window_started_at), (stale, _at(now)), else_=t.c.window_started_at
            ),
            "blocks": sa.case(
                (
                    sa.and_(
                        t.c.last_attempt_at <= _at(now - forget),
                        sa.or_(t.c.blocked_until.is_(None), t.c.blocked_until <= _at(now)),
                    ),
                    0,
                ),
                else_=t.c.blocks,
            ),
            "last_attempt_at": _at(now),
        },
    ).returning(t.c.id, t.c.attempts, t.c.blocked_until, t.c.last_success_at)
    row = db.session.execute(stmt).one()
    return Counted(row.id, row.attempts, row.blocked_until, row.last_success_at)


def block(key_id: int, *, now: datetime, base: timedelta, cap: timedelta) -> datetime:
    """Block a key that went over its limit: for ``base`` the first time, twice as long each time
    after (up to ``cap``). The caller holds the row's lock since :func:`count_attempt`."""
    t = LoginThrottle.__table__
    blocks = db.session.execute(sa.select(t.c.blocks).where(t.c.id == key_id)).scalar_one()
    until = now + min(base * (2 ** min(blocks, 20)), cap)
    db.session.execute(
        sa.update(t)
        .where(t.c.id == key_id)
        .values(attempts=0, window_started_at=until, blocks=t.c.blocks + 1, blocked_until=until)
    )
    return until


def record_success(username: str, address: str, *, now: datetime) -> None:
    """A right password from this address: the key of this account and address starts afresh and
    the address becomes known to the account; the address's count drops this attempt."""
    t = LoginThrottle.__table__
    db.session.execute(
        sa.update(t)
        .where(t.c.scope == ThrottleScope.account.value, t.c.username == username, t.c.address == address)
        .values(attempts=0, blocks=0, blocked_until=None, last_success_at=now)
    )
    db.session.execute(
        sa.update(t)
        .where(t.c.scope == ThrottleScope.address.value, t.c.username == "", t.c.address == address)
        .values(attempts=sa.case((t.c.attempts > 0, t.c.attempts - 1), else_=0))
    )


def prune(*, now: datetime, forget: timedelta, known_for: timedelta) -> int:
    """Delete a batch of keys nobody tried for ``forget``, not blocked, and not a known address.
    Rows another transaction holds are skipped (no waiting, no deadlock)."""
    t = LoginThrottle.__table__
    old = (
        sa.select(t.c.id)
        .where(
            t.c.last_attempt_at < _at(now - forget),
            sa.or_(t.c.blocked_until.is_(None), t.c.blocked_until < _at(now)),
            sa.or_(t.c.last_success_at.is_(None), t.c.last_success_at < _at(now - known_for)),
        )
        .limit(PRUNE_BATCH)
        .with_for_update(skip_locked=True)
    )
    return db.session.execute(sa.delete(t).where(t.c.id.in_(old))).rowcount or 0
