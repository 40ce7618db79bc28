"""Injunction-application data: the application, the injunction as granted, and its checks."""

from datetime import date, datetime
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ipcase.auth.models import User
from ipcase.cases.enums import Channel
from ipcase.cases.models import Case
from ipcase.channels.injunctions.states import Compliance
from ipcase.core.db import TimestampMixin, UTCDateTime, enum_type
from ipcase.core.extensions import db


class InjunctionCase(Case):
    """An urgent application for an administrative injunction, with evidence and bond; once
    granted, the measures ordered and how long they last."""

    __tablename__ = "injunction_cases"
    __table_args__ = (
        sa.CheckConstraint("bond_amount IS NULL OR bond_amount >= 0", name="bond_not_negative"),
        sa.CheckConstraint("duration_days IS NULL OR duration_days > 0", name="duration_positive"),
    )

    id: Mapped[int] = mapped_column(sa.ForeignKey("cases.id", ondelete="CASCADE"), primary_key=True)
    urgency_facts: Mapped[str] = mapped_column(sa.Text, default="")
    requested_measures: Mapped[str] = mapped_column(sa.Text, default="")
    #: bond (担保) in yuan
    bond_amount: Mapped[Decimal | None] = mapped_column(sa.Numeric(14, 2))
    bond_form: Mapped[str] = mapped_column(sa.String(60), default="")
    #: the main adjudication case this injunction protects
    main_case_id: Mapped[int | None] = mapped_column(sa.ForeignKey("cases.id"), index=True)
    #: the injunction as granted: the measures ordered, when, for how many days, and the day it
    #: expires (the expiry step waits for it)
    ordered_measures: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    granted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    duration_days: Mapped[int | None]
    expires_on: Mapped[date | None]

    checks: Mapped[list["InjunctionCheck"]] = relationship(
        back_populates="case", cascade="all, delete-orphan", order_by="InjunctionCheck.id"
    )

    __mapper_args__ = {
        "polymorphic_identity": Channel.injunction,
        "inherit_condition": id == Case.id,
    }


class InjunctionCheck(TimestampMixin, db.Model):
    """A check that the respondent complies with the injunction: when, by whom, and what was found."""

    __tablename__ = "injunction_checks"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(sa.ForeignKey("injunction_cases.id", ondelete="CASCADE"), index=True)
    checked_on: Mapped[date]
    checked_by: Mapped[str] = mapped_column(sa.String(120))
    complied: Mapped[Compliance] = mapped_column(enum_type(Compliance))
    findings: Mapped[str] = mapped_column(sa.Text)
    recorded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"), index=True)

    case: Mapped[InjunctionCase] = relationship(back_populates="checks")
    recorded_by: Mapped[User | None] = relationship()

    def __repr__(self) -> str:
        return f"<InjunctionCheck {self.id} case={self.case_id} {self.complied}>"
