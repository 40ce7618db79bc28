"""Calendar data, deadlines on cases, excluded periods, extensions, notifications, duty rosters."""

from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ipcase.auth.models import User
from ipcase.cases.models import Case, Party
from ipcase.core import clock
from ipcase.core.db import TimestampMixin, UTCDateTime, enum_type
from ipcase.core.enums import LabelledEnum
from ipcase.core.extensions import db
from ipcase.deadlines.calendar import Unit


class DaySource(LabelledEnum):
    package = "package"
    official_notice = "official_notice"
    correction = "correction"
    estimate = "estimate"


DaySource.set_labels(
    {
        DaySource.package: _l("Official schedule (maintained package)"),
        DaySource.official_notice: _l("State Council notice, entered by an administrator"),
        DaySource.correction: _l("Single-day correction"),
        DaySource.estimate: _l("Statutory holiday by rule (estimate)"),
    }
)


class CalendarYear(db.Model):
    """Whether a year's official holiday schedule is confirmed; unconfirmed years make
    working-day computations provisional."""

    __tablename__ = "calendar_years"
    __table_args__ = (
        sa.CheckConstraint("is_confirmed = (confirmed_at IS NOT NULL)", name="confirmed_at_iff_confirmed"),
    )

    year: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    is_confirmed: Mapped[bool] = mapped_column(default=False)
    source: Mapped[DaySource] = mapped_column(enum_type(DaySource))
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    confirmed_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"), index=True)
    note: Mapped[str] = mapped_column(sa.String(200), default="")

    confirmed_by: Mapped[User | None] = relationship()

    def __repr__(self) -> str:
        return f"<CalendarYear {self.year} confirmed={self.is_confirmed}>"


class CalendarDay(db.Model):
    """An exception to the Monday–Friday pattern: a holiday, or a make-up working day."""

    __tablename__ = "calendar_days"

    day: Mapped[date] = mapped_column(primary_key=True)
    is_workday: Mapped[bool]
    name: Mapped[str] = mapped_column(sa.String(60), default="")
    source: Mapped[DaySource] = mapped_column(enum_type(DaySource))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now, onupdate=clock.now)

    def __repr__(self) -> str:
        return f"<CalendarDay {self.day} workday={self.is_workday} {self.name!r}>"


class CalendarChange(db.Model):
    """Audit of every change to the calendar made after seeding."""

    __tablename__ = "calendar_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[date | None] = mapped_column(index=True)
    year: Mapped[int | None]
    action: Mapped[str] = mapped_column(sa.String(32))
    old: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)
    new: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)
    reason: Mapped[str] = mapped_column(sa.String(500), default="")
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)

    actor: Mapped[User | None] = relationship()


class RuleSetting(TimestampMixin, db.Model):
    """An organisation's own length for a configurable rule (a local assumption or a minimum)."""

    __tablename__ = "rule_settings"
    __table_args__ = (
        sa.UniqueConstraint("organisation_id", "rule_id", name="uq_rule_settings_org_rule"),
        sa.CheckConstraint("length > 0", name="length_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(sa.ForeignKey("organisations.id"), index=True)
    rule_id: Mapped[str] = mapped_column(sa.String(48))
    length: Mapped[int]
    updated_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"), index=True)


class UnitLabel(LabelledEnum):
    """Display names of period units (the pure calendar's ``Unit`` carries no translations)."""

    working_days = "working_days"
    days = "days"
    months = "months"
    years = "years"
    hours = "hours"


UnitLabel.set_labels(
    {
        UnitLabel.working_days: _l("working days"),
        UnitLabel.days: _l("days"),
        UnitLabel.months: _l("months"),
        UnitLabel.years: _l("years"),
        UnitLabel.hours: _l("hours"),
    }
)


class DeadlineState(LabelledEnum):
    running = "running"
    suspended = "suspended"
    met = "met"
    breached = "breached"
    cancelled = "cancelled"


DeadlineState.set_labels(
    {
        DeadlineState.running: _l("Running"),
        DeadlineState.suspended: _l("Paused"),
        DeadlineState.met: _l("Met"),
        DeadlineState.breached: _l("Missed"),
        DeadlineState.cancelled: _l("Cancelled"),
    }
)

OPEN_STATES = (DeadlineState.running, DeadlineState.suspended)


class Deadline(TimestampMixin, db.Model):
    """A statutory period running on a case. ``due_at`` is the instant it runs out (the end of
    the due day in China for day-based periods), which the sweep compares with now."""

    __tablename__ = "deadlines"
    __table_args__ = (
        sa.CheckConstraint("length > 0", name="length_positive"),
        sa.CheckConstraint("(state = 'met') = (met_at IS NOT NULL)", name="met_at_iff_met"),
        sa.CheckConstraint("(unit = 'hours') = (due_on IS NULL)", name="due_on_unless_hours"),
        sa.Index(
            "ix_deadlines_open_due",
            "due_at",
            sqlite_where=sa.text("state IN ('running', 'suspended')"),
            postgresql_where=sa.text("state IN ('running', 'suspended')"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(sa.ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    #: the party the period runs for, when the rule runs once per party (``Rule.per_party``): a
    #: lawsuit window counted from the service of the decision on that party; None: the case's
    party_id: Mapped[int | None] = mapped_column(sa.ForeignKey("parties.id", ondelete="CASCADE"), index=True)
    rule_id: Mapped[str] = mapped_column(sa.String(48))
    #: effective date of the rule version applied (the one in force when the period started)
    rule_version: Mapped[date]
    title: Mapped[str] = mapped_column(sa.String(120))
    basis: Mapped[str] = mapped_column(sa.String(200))
    tag: Mapped[str] = mapped_column(sa.String(1))
    #: CHECK ck_<table>_period_unit (renamed from ck_<table>_unit when the years unit came)
    unit: Mapped[Unit] = mapped_column(enum_type(Unit, "period_unit"))
    length: Mapped[int]
    #: the triggering event's instant
    started_at: Mapped[datetime] = mapped_column(UTCDateTime)
    due_on: Mapped[date | None]
    due_at: Mapped[datetime] = mapped_column(UTCDateTime)
    state: Mapped[DeadlineState] = mapped_column(enum_type(DeadlineState), default=DeadlineState.running)
    is_provisional: Mapped[bool] = mapped_column(default=False)
    #: total extension granted, in ``extension_unit`` of the rule
    extended_by: Mapped[int] = mapped_column(default=0)
    met_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reminder_sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    breach_sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    case: Mapped[Case] = relationship()
    party: Mapped[Party | None] = relationship()
    events: Mapped[list["DeadlineEvent"]] = relationship(
        back_populates="deadline", cascade="all, delete-orphan", order_by="DeadlineEvent.id"
    )
    extensions: Mapped[list["Extension"]] = relationship(
        back_populates="deadline", cascade="all, delete-orphan", order_by="Extension.id"
    )

    def __repr__(self) -> str:
        party = f" party={self.party_id}" if self.party_id is not None else ""
        return f"<Deadline {self.id} {self.rule_id} case={self.case_id}{party} due={self.due_at} {self.state}>"

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES


class DeadlineEvent(db.Model):
    """History of one deadline: started, moved (with old and new due), paused, extended, met …"""

    __tablename__ = "deadline_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    deadline_id: Mapped[int] = mapped_column(sa.ForeignKey("deadlines.id", ondelete="CASCADE"), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"), index=True)
    kind: Mapped[str] = mapped_column(sa.String(32))
    old_due_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    new_due_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    note: Mapped[str] = mapped_column(sa.String(500), default="")

    deadline: Mapped[Deadline] = relationship(back_populates="events")
    actor: Mapped[User | None] = relationship()


class ExclusionKind(LabelledEnum):
    suspension = "suspension"
    public_notice = "public_notice"
    appraisal = "appraisal"
    jurisdiction_objection = "jurisdiction_objection"
    evidence_extension = "evidence_extension"
    settlement = "settlement"


ExclusionKind.set_labels(
    {
        ExclusionKind.suspension: _l("Suspension"),
        ExclusionKind.public_notice: _l("Public notice"),
        ExclusionKind.appraisal: _l("Inspection or appraisal"),
        ExclusionKind.jurisdiction_objection: _l("Jurisdiction objection"),
        ExclusionKind.evidence_extension: _l("Evidence period extended at a party's request"),
        ExclusionKind.settlement: _l("Settlement talks"),
    }
)


class ExcludedPeriod(TimestampMixin, db.Model):
    """Time that does not count towards the case's time limit ([85]37). Open while ends_on is null."""

    __tablename__ = "excluded_periods"
    __table_args__ = (sa.CheckConstraint("ends_on IS NULL OR ends_on >= starts_on", name="ends_after_start"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(sa.ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    kind: Mapped[ExclusionKind] = mapped_column(enum_type(ExclusionKind))
    starts_on: Mapped[date]
    ends_on: Mapped[date | None]
    reason: Mapped[str] = mapped_column(sa.String(500), default="")
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"), index=True)


class ExtensionState(LabelledEnum):
    requested = "requested"
    approved = "approved"
    refused = "refused"


ExtensionState.set_labels(
    {
        ExtensionState.requested: _l("Awaiting approval"),
        ExtensionState.approved: _l("Approved"),
        ExtensionState.refused: _l("Refused"),
    }
)


class Extension(TimestampMixin, db.Model):
    """A request to extend a deadline, and its decision (director: ≤1 month; superior: ≤2 more)."""

    __tablename__ = "extensions"
    __table_args__ = (
        sa.CheckConstraint("length > 0", name="length_positive"),
        sa.CheckConstraint("(state = 'requested') = (decided_at IS NULL)", name="decided_at_iff_decided"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    deadline_id: Mapped[int] = mapped_column(sa.ForeignKey("deadlines.id", ondelete="CASCADE"), index=True)
    #: director or superior
    level: Mapped[str] = mapped_column(sa.String(16))
    length: Mapped[int]
    #: CHECK ck_<table>_period_unit (renamed from ck_<table>_unit when the years unit came)
    unit: Mapped[Unit] = mapped_column(enum_type(Unit, "period_unit"))
    reason: Mapped[str] = mapped_column(sa.String(1000))
    requested_by_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
    state: Mapped[ExtensionState] = mapped_column(enum_type(ExtensionState), default=ExtensionState.requested)
    decided_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"), index=True)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decision_note: Mapped[str] = mapped_column(sa.String(1000), default="")

    deadline: Mapped[Deadline] = relationship(back_populates="extensions")
    requested_by: Mapped[User] = relationship(foreign_keys=[requested_by_id])
    decided_by: Mapped[User | None] = relationship(foreign_keys=[decided_by_id])


class Notification(db.Model):
    """An in-app message. ``key`` makes each reminder unique, so it is created exactly once even
    when two sweeps run at the same time."""

    __tablename__ = "notifications"
    __table_args__ = (
        sa.UniqueConstraint("user_id", "key", name="uq_notifications_user_key"),
        sa.Index("ix_notifications_unread", "user_id", "read_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
    key: Mapped[str] = mapped_column(sa.String(80))
    kind: Mapped[str] = mapped_column(sa.String(32))
    case_id: Mapped[int | None] = mapped_column(sa.ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    deadline_id: Mapped[int | None] = mapped_column(sa.ForeignKey("deadlines.id", ondelete="CASCADE"), index=True)
    data: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    emailed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship()


class DutyShift(TimestampMixin, db.Model):
    """Who is on duty for an organisation's round-the-clock (hour) deadlines, and when."""

    __tablename__ = "duty_shifts"
    __table_args__ = (sa.CheckConstraint("ends_at > starts_at", name="ends_after_start"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(sa.ForeignKey("organisations.id"), index=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship()
