"""Mediation-specific case data."""

from decimal import Decimal

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column

from ipcase.cases.enums import Channel
from ipcase.cases.models import Case
from ipcase.core.db import enum_type
from ipcase.core.enums import LabelledEnum


class MediationType(LabelledEnum):
    administrative = "administrative"
    peoples = "peoples"
    court_delegated = "court_delegated"
    court_entrusted = "court_entrusted"
    arbitral = "arbitral"
    commercial = "commercial"


MediationType.set_labels(
    {
        MediationType.administrative: _l("Administrative mediation"),
        MediationType.peoples: _l("People's mediation"),
        MediationType.court_delegated: _l("Court-delegated mediation"),
        MediationType.court_entrusted: _l("Court-entrusted mediation"),
        MediationType.arbitral: _l("Arbitral mediation"),
        MediationType.commercial: _l("Commercial mediation"),
    }
)


class MediationCase(Case):
    """A compensation or patent-dispute mediation ([85] ch.3; linkage centre §4)."""

    __tablename__ = "mediation_cases"
    __table_args__ = (sa.CheckConstraint("claimed_amount IS NULL OR claimed_amount >= 0", name="claimed_not_negative"),)

    id: Mapped[int] = mapped_column(sa.ForeignKey("cases.id", ondelete="CASCADE"), primary_key=True)
    mediation_type: Mapped[MediationType] = mapped_column(enum_type(MediationType))
    #: compensation asked for, in yuan; damages belong only to mediation ([PL]65)
    claimed_amount: Mapped[Decimal | None] = mapped_column(sa.Numeric(14, 2))
    referring_court_case_no: Mapped[str] = mapped_column(sa.String(60), default="")

    __mapper_args__ = {"polymorphic_identity": Channel.mediation}
