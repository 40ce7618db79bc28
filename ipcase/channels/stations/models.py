"""Workstation-complaint data."""

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from ipcase.cases.enums import Channel
from ipcase.cases.models import Case


class StationComplaint(Case):
    """An on-site complaint at a workstation; the station is the case's organisation."""

    __tablename__ = "station_complaints"

    id: Mapped[int] = mapped_column(sa.ForeignKey("cases.id", ondelete="CASCADE"), primary_key=True)
    #: the respondent's booth or shop, e.g. 3号馆 A-102
    booth: Mapped[str] = mapped_column(sa.String(60), default="")
    #: online shop or platform link, for takedown requests
    platform_link: Mapped[str] = mapped_column(sa.String(500), default="")

    __mapper_args__ = {"polymorphic_identity": Channel.station}
