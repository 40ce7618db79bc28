"""Pools of experts, technical investigators and mediators (专家库, 技术调查官库, 调解员库):
one profile per person, their fields (IPC classes), declared relations and availability, and
the audit log of every change to them (domain.md §8)."""

from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ipcase.auth.models import User
from ipcase.core import clock
from ipcase.core.db import TimestampMixin, UTCDateTime, enum_type
from ipcase.core.enums import LabelledEnum
from ipcase.core.extensions import db
from ipcase.pools import messages  # noqa: F401  (labels of the rules' enums, texts of the timeline)
from ipcase.pools.rules import Relation


class Pool(LabelledEnum):
    expert = "expert"
    tech_investigator = "tech_investigator"
    mediator = "mediator"


Pool.set_labels(
    {
        Pool.expert: _l("Technical experts (专家库)"),
        Pool.tech_investigator: _l("Technical investigators (技术调查官库)"),
        Pool.mediator: _l("Mediators (调解员库)"),
    }
)


class PoolProfile(TimestampMixin, db.Model):
    """One person's pool profile: pools, fields, employer, declarations, availability."""

    __tablename__ = "pool_profiles"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), unique=True)
    employer: Mapped[str] = mapped_column(sa.String(120), default="")
    #: professional title, e.g. 教授级高级工程师
    title: Mapped[str] = mapped_column(sa.String(60), default="")
    #: interests the person declares in their own words (checked for names and numbers of the case)
    declared_interests: Mapped[str] = mapped_column(sa.Text, default="")
    #: cleared: not to be assigned at all for now (periods say when, this says "until further notice")
    is_available: Mapped[bool] = mapped_column(default=True)

    user: Mapped[User] = relationship()
    memberships: Mapped[list["PoolMembership"]] = relationship(
        back_populates="profile", cascade="all, delete-orphan", order_by="PoolMembership.pool"
    )
    fields: Mapped[list["ExpertiseField"]] = relationship(
        back_populates="profile", cascade="all, delete-orphan", order_by="ExpertiseField.position"
    )
    declarations: Mapped[list["Declaration"]] = relationship(
        back_populates="profile", cascade="all, delete-orphan", order_by="Declaration.id"
    )
    unavailability: Mapped[list["Unavailability"]] = relationship(
        back_populates="profile", cascade="all, delete-orphan", order_by="Unavailability.from_on"
    )

    def __repr__(self) -> str:
        return f"<PoolProfile {self.id} user={self.user_id}>"

    @property
    def pools(self) -> list[Pool]:
        return [m.pool for m in self.memberships]

    @property
    def ipc_classes(self) -> list[str]:
        return [f.ipc_class for f in self.fields]

    def unavailable_on(self, day: date) -> list["Unavailability"]:
        return [p for p in self.unavailability if p.from_on <= day <= p.to_on]


class PoolMembership(TimestampMixin, db.Model):
    """The profile is in this pool."""

    __tablename__ = "pool_memberships"
    __table_args__ = (sa.UniqueConstraint("profile_id", "pool", name="uq_pool_memberships_profile_pool"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    profile_id: Mapped[int] = mapped_column(sa.ForeignKey("pool_profiles.id", ondelete="CASCADE"), index=True)
    pool: Mapped[Pool] = mapped_column(enum_type(Pool), index=True)

    profile: Mapped[PoolProfile] = relationship(back_populates="memberships")

    def __repr__(self) -> str:
        return f"<PoolMembership profile={self.profile_id} {self.pool}>"


class ExpertiseField(TimestampMixin, db.Model):
    """A field of expertise as a canonical IPC symbol (``H04L``, ``A61K 31/00``)."""

    __tablename__ = "pool_fields"
    __table_args__ = (sa.UniqueConstraint("profile_id", "ipc_class", name="uq_pool_fields_profile_ipc_class"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    profile_id: Mapped[int] = mapped_column(sa.ForeignKey("pool_profiles.id", ondelete="CASCADE"), index=True)
    #: canonical, so a prefix search (``LIKE 'A61K%'``) finds it
    ipc_class: Mapped[str] = mapped_column(sa.String(20), index=True)
    #: the order the person gave (the first is the main field)
    position: Mapped[int] = mapped_column(default=0)

    profile: Mapped[PoolProfile] = relationship(back_populates="fields")

    def __repr__(self) -> str:
        return f"<ExpertiseField profile={self.profile_id} {self.ipc_class}>"


class Declaration(TimestampMixin, db.Model):
    """A relation the person declares (relative of, employed by, former attorney for …), with
    the counterpart (a name, document number or patent number) and when it held."""

    __tablename__ = "pool_declarations"
    __table_args__ = (
        sa.CheckConstraint("until_on IS NULL OR since_on IS NULL OR until_on >= since_on", name="until_after_since"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    profile_id: Mapped[int] = mapped_column(sa.ForeignKey("pool_profiles.id", ondelete="CASCADE"), index=True)
    kind: Mapped[Relation] = mapped_column(enum_type(Relation))
    counterpart: Mapped[str] = mapped_column(sa.String(200))
    since_on: Mapped[date | None]
    until_on: Mapped[date | None]
    note: Mapped[str] = mapped_column(sa.String(300), default="")

    profile: Mapped[PoolProfile] = relationship(back_populates="declarations")

    def __repr__(self) -> str:
        return f"<Declaration {self.id} {self.kind} {self.counterpart!r}>"


class Unavailability(TimestampMixin, db.Model):
    """A period (both days included) in which the person cannot be assigned."""

    __tablename__ = "pool_unavailability"
    __table_args__ = (sa.CheckConstraint("to_on >= from_on", name="to_after_from"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    profile_id: Mapped[int] = mapped_column(sa.ForeignKey("pool_profiles.id", ondelete="CASCADE"), index=True)
    from_on: Mapped[date]
    to_on: Mapped[date]
    reason: Mapped[str] = mapped_column(sa.String(200), default="")

    profile: Mapped[PoolProfile] = relationship(back_populates="unavailability")

    def __repr__(self) -> str:
        return f"<Unavailability {self.id} {self.from_on}–{self.to_on}>"


class PoolChange(db.Model):
    """One audited change to a pool profile: who, when, what (an event code with its data)."""

    __tablename__ = "pool_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    profile_id: Mapped[int] = mapped_column(sa.ForeignKey("pool_profiles.id", ondelete="CASCADE"), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"), index=True)
    #: e.g. ``profile.created``, ``declaration.added``; worded by ``messages.CHANGES``
    event: Mapped[str] = mapped_column(sa.String(64))
    data: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)

    actor: Mapped[User | None] = relationship()

    def __repr__(self) -> str:
        return f"<PoolChange {self.id} profile={self.profile_id} {self.event}>"
