"""The case file: one row per dispute, whatever the channel, and everything attached to it."""

from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ipcase.auth.models import User
from ipcase.cases.enums import (
    AgentAuthority,
    AssignmentRole,
    CaseSource,
    Channel,
    EntryKind,
    IdType,
    JurisdictionBasis,
    LegalStatus,
    Origin,
    PartyKind,
    PartyRole,
    PatentType,
    RightType,
)
from ipcase.cases.registry import get_channel
from ipcase.core import clock
from ipcase.core.db import TimestampMixin, UTCDateTime, enum_type
from ipcase.core.extensions import db
from ipcase.organisations.models import Organisation


class Case(TimestampMixin, db.Model):
    """A dispute handled in exactly one channel; channel tables are joined subclasses."""

    __tablename__ = "cases"
    __table_args__ = (
        sa.CheckConstraint("closed_at IS NULL OR closed_at >= received_at", name="closed_after_received"),
        sa.CheckConstraint("docketed_at IS NULL OR docketed_at >= received_at", name="docketed_after_received"),
        sa.Index("ix_cases_org_received", "organisation_id", "received_at"),
        sa.Index("ix_cases_channel_state", "channel", "state"),
        sa.Index("ix_cases_received_id", "received_at", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: the official case number (案号), unique and never reused
    number: Mapped[str | None] = mapped_column(sa.String(60), unique=True)
    channel: Mapped[Channel] = mapped_column(enum_type(Channel))
    #: validated against the channel's state table
    state: Mapped[str] = mapped_column(sa.String(32))
    organisation_id: Mapped[int] = mapped_column(sa.ForeignKey("organisations.id"), index=True)
    source: Mapped[CaseSource] = mapped_column(enum_type(CaseSource))
    jurisdiction_basis: Mapped[JurisdictionBasis | None] = mapped_column(enum_type(JurisdictionBasis))
    #: 案由, e.g. “一种折叠椅”实用新型专利侵权纠纷
    title: Mapped[str] = mapped_column(sa.String(200))
    summary: Mapped[str] = mapped_column(sa.Text, default="")
    received_at: Mapped[datetime] = mapped_column(UTCDateTime)
    docketed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: where a suspended case returns to when it resumes (domain.md §2.2)
    state_before_suspension: Mapped[str | None] = mapped_column(sa.String(32))
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"), index=True)
    #: the case this one was referred from (another channel or region); the file travels with it
    referred_from_id: Mapped[int | None] = mapped_column(sa.ForeignKey("cases.id"), index=True)

    organisation: Mapped[Organisation] = relationship()
    created_by: Mapped[User | None] = relationship()
    parties: Mapped[list["Party"]] = relationship(
        back_populates="case", cascade="all, delete-orphan", order_by="Party.id"
    )
    rights: Mapped[list["IPRight"]] = relationship(
        back_populates="case", cascade="all, delete-orphan", order_by="IPRight.id"
    )
    assignments: Mapped[list["Assignment"]] = relationship(
        back_populates="case", cascade="all, delete-orphan", order_by="Assignment.id"
    )
    timeline: Mapped[list["TimelineEntry"]] = relationship(
        back_populates="case", cascade="all, delete-orphan", order_by="TimelineEntry.id"
    )

    __mapper_args__ = {"polymorphic_on": "channel"}

    def __repr__(self) -> str:
        return f"<Case {self.id} {self.channel} {self.number!r} {self.state}>"

    @property
    def channel_def(self) -> Any:
        return get_channel(self.channel)

    @property
    def state_label(self) -> Any:
        return self.channel_def.state_label(self.state)

    @property
    def is_closed(self) -> bool:
        return self.closed_at is not None

    def parties_in(self, role: PartyRole) -> list["Party"]:
        return [p for p in self.parties if p.role == role]

    @property
    def requesters(self) -> list["Party"]:
        return self.parties_in(PartyRole.requester)

    @property
    def respondents(self) -> list["Party"]:
        return self.parties_in(PartyRole.respondent)

    def assignees(self, role: AssignmentRole | None = None) -> list[User]:
        return [a.user for a in self.assignments if role is None or a.role == role]


class Party(TimestampMixin, db.Model):
    """A requester, respondent or third party (domain.md §9 Party)."""

    __tablename__ = "parties"
    __table_args__ = (sa.Index("ix_parties_name", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(sa.ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    role: Mapped[PartyRole] = mapped_column(enum_type(PartyRole))
    kind: Mapped[PartyKind] = mapped_column(enum_type(PartyKind))
    name: Mapped[str] = mapped_column(sa.String(120))
    id_type: Mapped[IdType | None] = mapped_column(enum_type(IdType))
    id_number: Mapped[str] = mapped_column(sa.String(40), default="")
    legal_rep_name: Mapped[str] = mapped_column(sa.String(60), default="")
    legal_rep_title: Mapped[str] = mapped_column(sa.String(60), default="")
    address: Mapped[str] = mapped_column(sa.String(200), default="")
    postcode: Mapped[str] = mapped_column(sa.String(10), default="")
    phone: Mapped[str] = mapped_column(sa.String(40), default="")
    email: Mapped[str] = mapped_column(sa.String(254), default="")
    #: drives the 15- versus 30-day defence period ([85]22)
    has_domestic_domicile: Mapped[bool] = mapped_column(default=True)
    origin: Mapped[Origin] = mapped_column(enum_type(Origin), default=Origin.mainland)
    #: the account of the party itself, when it has one; grants read access to the case
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"), index=True)

    case: Mapped[Case] = relationship(back_populates="parties")
    user: Mapped[User | None] = relationship()
    agents: Mapped[list["Agent"]] = relationship(
        back_populates="party", cascade="all, delete-orphan", order_by="Agent.position"
    )

    def __repr__(self) -> str:
        return f"<Party {self.id} {self.role} {self.name!r}>"


class Agent(TimestampMixin, db.Model):
    """One of at most two agents of a party ([85]17); ``position`` 1 or 2 makes the cap a DB rule."""

    __tablename__ = "agents"
    __table_args__ = (
        sa.UniqueConstraint("party_id", "position", name="uq_agents_party_position"),
        sa.CheckConstraint("position IN (1, 2)", name="at_most_two"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    party_id: Mapped[int] = mapped_column(sa.ForeignKey("parties.id", ondelete="CASCADE"), index=True)
    position: Mapped[int]
    name: Mapped[str] = mapped_column(sa.String(60))
    firm: Mapped[str] = mapped_column(sa.String(120), default="")
    licence_no: Mapped[str] = mapped_column(sa.String(40), default="")
    address: Mapped[str] = mapped_column(sa.String(200), default="")
    phone: Mapped[str] = mapped_column(sa.String(40), default="")
    email: Mapped[str] = mapped_column(sa.String(254), default="")
    authority: Mapped[AgentAuthority] = mapped_column(enum_type(AgentAuthority))
    #: for special authority: admit, waive or change claims, settle ...
    authority_items: Mapped[str] = mapped_column(sa.String(500), default="")
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"), index=True)

    party: Mapped[Party] = relationship(back_populates="agents")
    user: Mapped[User | None] = relationship()

    def __repr__(self) -> str:
        return f"<Agent {self.id} {self.name!r} for party {self.party_id}>"


class IPRight(TimestampMixin, db.Model):
    """The right a case is about: a patent (validated number and type) or a trademark/copyright."""

    __tablename__ = "rights"
    __table_args__ = (
        sa.CheckConstraint("(right_type = 'patent') = (patent_type IS NOT NULL)", name="patent_type_iff_patent"),
        sa.CheckConstraint(
            "granted_on IS NULL OR filed_on IS NULL OR granted_on >= filed_on", name="granted_after_filed"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(sa.ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    right_type: Mapped[RightType] = mapped_column(enum_type(RightType))
    #: canonical patent number (ZL201710601862.3) or registration number
    number: Mapped[str] = mapped_column(sa.String(40), index=True)
    patent_type: Mapped[PatentType | None] = mapped_column(enum_type(PatentType))
    title: Mapped[str] = mapped_column(sa.String(200))
    holder: Mapped[str] = mapped_column(sa.String(200))
    filed_on: Mapped[date | None]
    granted_on: Mapped[date | None]
    legal_status: Mapped[LegalStatus] = mapped_column(enum_type(LegalStatus), default=LegalStatus.unknown)
    #: date of the register extract (专利登记簿副本) the status was read from
    status_checked_on: Mapped[date | None]
    asserted_claims: Mapped[str] = mapped_column(sa.String(200), default="")
    #: the main IPC class (``A47C 4/00``), to suggest experts of the field (``ipcase.pools``)
    ipc_class: Mapped[str | None] = mapped_column(sa.String(20))

    case: Mapped[Case] = relationship(back_populates="rights")

    def __repr__(self) -> str:
        return f"<IPRight {self.id} {self.right_type} {self.number}>"


class Assignment(TimestampMixin, db.Model):
    """A staff member's role on a case: handler, panel leader or member, clerk, mediator."""

    __tablename__ = "assignments"
    __table_args__ = (
        sa.UniqueConstraint("case_id", "user_id", "role", name="uq_assignments_case_user_role"),
        sa.Index(
            "uq_assignments_one_leader",
            "case_id",
            unique=True,
            sqlite_where=sa.text("role = 'panel_leader'"),
            postgresql_where=sa.text("role = 'panel_leader'"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(sa.ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
    role: Mapped[AssignmentRole] = mapped_column(enum_type(AssignmentRole))
    assigned_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"), index=True)

    case: Mapped[Case] = relationship(back_populates="assignments")
    user: Mapped[User] = relationship(foreign_keys=[user_id])
    assigned_by: Mapped[User | None] = relationship(foreign_keys=[assigned_by_id])

    def __repr__(self) -> str:
        return f"<Assignment case={self.case_id} user={self.user_id} {self.role}>"


class TimelineEntry(db.Model):
    """One audited change to a case: who, when, what (an event code with its data)."""

    __tablename__ = "timeline_entries"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(sa.ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"), index=True)
    kind: Mapped[EntryKind] = mapped_column(enum_type(EntryKind))
    #: dotted event code, e.g. ``party.added``; rendered through ``cases.timeline.MESSAGES``
    event: Mapped[str] = mapped_column(sa.String(64))
    data: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)
    #: shown to the parties on the portal
    is_public: Mapped[bool] = mapped_column(default=False)

    case: Mapped[Case] = relationship(back_populates="timeline")
    actor: Mapped[User | None] = relationship()

    def __repr__(self) -> str:
        return f"<TimelineEntry {self.id} case={self.case_id} {self.event}>"
