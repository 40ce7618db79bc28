"""Declarative base, naming convention, column types and mixins shared by every model; row locks."""

import weakref
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

import sqlalchemy as sa
from flask import has_request_context, request
from sqlalchemy import orm
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from ipcase.core import clock

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = sa.MetaData(naming_convention=NAMING_CONVENTION)


class UTCDateTime(sa.TypeDecorator):
    """Stores aware datetimes in UTC and always returns them aware, on SQLite as on PostgreSQL."""

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: sa.Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTCDateTime column")
        value = value.astimezone(UTC)
        if dialect.name == "sqlite":
            # SQLite has no time zones; storing naive UTC keeps string ordering correct.
            return value.replace(tzinfo=None)
        return value

    def process_result_value(self, value: datetime | None, dialect: sa.Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


def enum_type(enum_cls: type[StrEnum], name: str | None = None) -> sa.Enum:
    """A string column limited to the enum's values by a CHECK constraint (portable, no PG types)."""
    return sa.Enum(
        enum_cls,
        native_enum=False,
        create_constraint=True,
        length=32,
        values_callable=lambda e: [m.value for m in e],
        name=name or enum_cls.__name__.lower(),
        validate_strings=True,
    )


class TimestampMixin:
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now, onupdate=clock.now)


def sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    """Foreign keys on, and let SQLAlchemy (not pysqlite) emit BEGIN so SAVEPOINTs work."""
    dbapi_connection.isolation_level = None
    cur = dbapi_connection.cursor()
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA busy_timeout=15000")
    # WAL: readers never block the writer, so several gunicorn workers can share the file.
    cur.execute("PRAGMA journal_mode=WAL")
    cur.close()


def sqlite_begin(conn: sa.Connection) -> None:
    """Requests that may write take SQLite's write lock when their transaction starts.

    A deferred transaction that reads and then writes fails at once (SQLITE_BUSY, no waiting)
    when another worker wrote in between; BEGIN IMMEDIATE waits its turn instead."""
    writing = has_request_context() and request.method not in ("GET", "HEAD", "OPTIONS")
    conn.exec_driver_sql("BEGIN IMMEDIATE" if writing else "BEGIN")


def configure_engine(engine: sa.Engine) -> None:
    """Install per-dialect hooks on a freshly created engine."""
    if engine.dialect.name == "sqlite":
        sa.event.listen(engine, "connect", sqlite_pragmas)
        sa.event.listen(engine, "begin", sqlite_begin)


#: ``session.info`` key of the rows :func:`lock_row` holds: (the transaction, weakly; their keys)
_LOCKED = "ipcase.locked_rows"


def lock_row(obj: Any) -> None:
    """Hold the row of ``obj`` (in its base table, e.g. ``cases``) until the transaction ends,
    and reload the session's objects from the database once it is held.

    Operations that check an object's state and then change it call this first: of two requests
    racing on the same row, the second waits for the first to commit and then checks again on what
    the first left (``SELECT … FOR NO KEY UPDATE`` on PostgreSQL; it does not block inserting rows
    that refer to the locked one). On SQLite the write transaction (``BEGIN IMMEDIATE``) already
    serialises writers and ``FOR UPDATE`` is not emitted. Changes not yet flushed are flushed
    first, so reloading loses nothing; a row already locked in this transaction is not reloaded."""
    session = orm.object_session(obj)
    if session is None:
        raise ValueError(f"{obj!r} is not in a session")
    session.flush()
    state = sa.inspect(obj)
    if state.key is None:
        raise ValueError(f"{obj!r} has no row yet")
    held = session.info.get(_LOCKED)
    transaction = session.get_transaction()
    if transaction is not None and held is not None and held[0]() is transaction and state.key in held[1]:
        return
    columns = state.mapper.base_mapper.primary_key
    session.execute(
        sa.select(*columns)
        .where(*(column == value for column, value in zip(columns, state.identity, strict=True)))
        .with_for_update(key_share=True)
    )
    transaction = session.get_transaction()
    if held is None or held[0]() is not transaction:
        held = session.info[_LOCKED] = (weakref.ref(transaction), set())
    held[1].add(state.key)
    session.expire_all()


def conflict_insert(session: orm.Session, target: Any) -> Any:
    """``INSERT`` into ``target`` that takes ``on_conflict_do_nothing`` / ``on_conflict_do_update``,
    in the dialect of the session's database (PostgreSQL's and SQLite's spell them alike)."""
    insert = postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert
    return insert(target)


def row_exists(obj: Any) -> bool:
    """Whether the row of ``obj`` (persistent, possibly expired) is still in the database: another
    transaction may have deleted it while this one waited for a lock."""
    session = orm.object_session(obj)
    state = sa.inspect(obj)
    if session is None or state.key is None:
        return False
    columns = state.mapper.base_mapper.primary_key
    found = session.execute(
        sa.select(sa.literal(1)).where(*(c == v for c, v in zip(columns, state.identity, strict=True)))
    ).first()
    return found is not None
