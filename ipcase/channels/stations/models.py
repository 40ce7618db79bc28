"""Workstation-complaint data: the complaint, where it went, and the measures taken on site."""

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ipcase.auth.models import User
from ipcase.cases.enums import Channel
from ipcase.cases.models import Case
from ipcase.channels.stations.states import OnSiteMeasure, ResponsePosition
from ipcase.core.db import TimestampMixin, UTCDateTime, enum_type
from ipcase.core.extensions import db
from ipcase.organisations.models import Organisation


class StationComplaint(Case):
    """An on-site complaint at a workstation; the station is the case's organisation."""

    __tablename__ = "station_complaints"

    id: Mapped[int] = mapped_column(sa.ForeignKey("cases.id", ondelete="CASCADE"), primary_key=True)
    #: the respondent's booth or shop, e.g. 3号馆 A-102
    booth: Mapped[str] = mapped_column(sa.String(60), default="")
    #: online shop or platform link, for takedown requests
    platform_link: Mapped[str] = mapped_column(sa.String(500), default="")
    #: the office the complaint was forwarded to ([EXPO]11)
    forwarded_to_id: Mapped[int | None] = mapped_column(sa.ForeignKey("organisations.id"), index=True)

    #: the respondent's response ([EXPO-G]14): its position, when it came and whether it came
    #: within the 24-hour period; on-site measures depend on it (``states.measures_refusal``)
    response_position: Mapped[ResponsePosition | None] = mapped_column(enum_type(ResponsePosition))
    response_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    response_in_time: Mapped[bool | None]
    #: the final ruling confirming the infringement, recorded by the office (a finding)
    ruling_reference: Mapped[str] = mapped_column(sa.String(120), default="", server_default="")
    ruling_on: Mapped[date | None]

    forwarded_to: Mapped[Organisation | None] = relationship(foreign_keys=[forwarded_to_id])
    measures: Mapped[list["StationMeasure"]] = relationship(
        back_populates="case", cascade="all, delete-orphan", order_by="StationMeasure.id"
    )

    __mapper_args__ = {"polymorphic_identity": Channel.station}


class StationMeasure(TimestampMixin, db.Model):
    """One on-site measure taken on a complaint ([EXPO-G]14): what, on which items, and whether
    the respondent complied. Measures recorded by the same step share ``taken_at``."""

    __tablename__ = "station_measures"
    __table_args__ = (sa.UniqueConstraint("case_id", "kind", "taken_at", name="uq_station_measures_case_kind_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(sa.ForeignKey("station_complaints.id", ondelete="CASCADE"), index=True)
    kind: Mapped[OnSiteMeasure] = mapped_column(enum_type(OnSiteMeasure))
    #: the exhibits, materials or links concerned
    items: Mapped[str] = mapped_column(sa.Text, default="")
    respondent_complied: Mapped[bool]
    taken_at: Mapped[datetime] = mapped_column(UTCDateTime)
    recorded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"), index=True)

    case: Mapped[StationComplaint] = relationship(back_populates="measures")
    recorded_by: Mapped[User | None] = relationship()

    def __repr__(self) -> str:
        return f"<StationMeasure {self.id} case={self.case_id} {self.kind}>"
