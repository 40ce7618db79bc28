"""Scoped human-readable numbers (case numbers, later document numbers).

Each scope (organisation, kind, year) has one counter row. A number is taken with a single
``INSERT … ON CONFLICT DO UPDATE SET value = value + 1 RETURNING value``: atomic on PostgreSQL
(row lock until commit) and on SQLite (database write lock), never ``MAX()+1``. The counter
advances inside the caller's transaction, so a rolled-back allocation leaves no gap, and a
unique constraint on the numbered rows is the backstop.
"""

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from ipcase.core.db import conflict_insert
from ipcase.core.extensions import db


class Counter(db.Model):
    """The last number handed out in one (organisation, kind, year) scope."""

    __tablename__ = "counters"
    __table_args__ = (
        sa.UniqueConstraint("organisation_id", "kind", "year", name="uq_counters_scope"),
        sa.CheckConstraint("value >= 0", name="value_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(sa.ForeignKey("organisations.id"))
    kind: Mapped[str] = mapped_column(sa.String(32))
    year: Mapped[int]
    value: Mapped[int] = mapped_column(default=0)

    def __repr__(self) -> str:
        return f"<Counter {self.organisation_id}/{self.kind}/{self.year}={self.value}>"


def next_number(organisation_id: int, kind: str, year: int) -> int:
    """Advance the scope's counter and return the new value (1 for a new scope)."""
    stmt = conflict_insert(db.session, Counter).values(organisation_id=organisation_id, kind=kind, year=year, value=1)
    stmt = stmt.on_conflict_do_update(
        index_elements=["organisation_id", "kind", "year"],
        set_={"value": Counter.value + 1},
    ).returning(Counter.value)
    return db.session.execute(stmt).scalar_one()


def format_number(template: str, *, org_abbr: str, type_code: str, year: int, seq: int) -> str:
    """Render a number template such as ``{org_abbr}{type_code}字〔{year}〕{seq}号``."""
    return template.format(org_abbr=org_abbr, type_code=type_code, year=year, seq=seq)
