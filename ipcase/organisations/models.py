"""Organisations that handle cases, and how they relate."""

from datetime import date

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, object_session, relationship

from ipcase.core.db import TimestampMixin, enum_type
from ipcase.core.enums import LabelledEnum
from ipcase.core.extensions import db


class OrgKind(LabelledEnum):
    ip_office = "ip_office"
    mediation_centre = "mediation_centre"
    workstation = "workstation"
    protection_centre = "protection_centre"


OrgKind.set_labels(
    {
        OrgKind.ip_office: _l("IP office"),
        OrgKind.mediation_centre: _l("Arbitration-mediation linkage centre"),
        OrgKind.workstation: _l("Rights-protection workstation"),
        OrgKind.protection_centre: _l("IP protection centre"),
    }
)


class HostType(LabelledEnum):
    exhibition = "exhibition"
    market = "market"
    industrial_park = "industrial_park"


HostType.set_labels(
    {
        HostType.exhibition: _l("Exhibition"),
        HostType.market: _l("Market"),
        HostType.industrial_park: _l("Industrial park"),
    }
)


class Organisation(TimestampMixin, db.Model):
    """An office, centre or workstation. ``parent`` is the office a workstation reports to,
    or the superior office that approves extensions; ``region_code`` drives cross-region referral."""

    __tablename__ = "organisations"
    __table_args__ = (
        sa.CheckConstraint("(kind = 'workstation') = (host_type IS NOT NULL)", name="host_type_iff_workstation"),
        sa.CheckConstraint(
            "exhibition_ends_on IS NULL OR exhibition_starts_on <= exhibition_ends_on",
            name="exhibition_dates_ordered",
        ),
        sa.CheckConstraint("parent_id IS NULL OR parent_id <> id", name="not_own_parent"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(sa.String(32), unique=True)
    name: Mapped[str] = mapped_column(sa.String(120))
    name_en: Mapped[str] = mapped_column(sa.String(160), default="")
    #: 机关代字 used in case and document numbers, e.g. 成知
    abbr: Mapped[str] = mapped_column(sa.String(16))
    kind: Mapped[OrgKind] = mapped_column(enum_type(OrgKind))
    host_type: Mapped[HostType | None] = mapped_column(enum_type(HostType))
    region_code: Mapped[str] = mapped_column(sa.String(12), index=True)
    region_name: Mapped[str] = mapped_column(sa.String(60))
    parent_id: Mapped[int | None] = mapped_column(sa.ForeignKey("organisations.id"), index=True)
    address: Mapped[str] = mapped_column(sa.String(200), default="")
    postcode: Mapped[str] = mapped_column(sa.String(10), default="")
    phone: Mapped[str] = mapped_column(sa.String(40), default="")
    exhibition_starts_on: Mapped[date | None]
    exhibition_ends_on: Mapped[date | None]
    is_active: Mapped[bool] = mapped_column(default=True)

    parent: Mapped["Organisation | None"] = relationship(remote_side=[id], back_populates="children")
    children: Mapped[list["Organisation"]] = relationship(back_populates="parent")

    def __repr__(self) -> str:
        return f"<Organisation {self.id} {self.code}>"

    @property
    def numbering_owner_id(self) -> int:
        """The organisation whose counters number cases under this one's prefix: the first
        organisation using the prefix. Every unit sharing a prefix (a workstation numbering as
        成知…) shares its counters, so one prefix never yields the same number twice."""
        session = object_session(self)
        owner = (
            session.scalar(sa.select(sa.func.min(Organisation.id)).where(Organisation.abbr == self.abbr))
            if session
            else None
        )
        return owner or self.id

    def display_name(self, locale: str = "zh") -> str:
        return self.name_en if locale.startswith("en") and self.name_en else self.name
