"""Injunction-application data."""

from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from ipcase.cases.enums import Channel
from ipcase.cases.models import Case


class InjunctionCase(Case):
    """An urgent application for an administrative injunction, with evidence and bond."""

    __tablename__ = "injunction_cases"
    __table_args__ = (sa.CheckConstraint("bond_amount IS NULL OR bond_amount >= 0", name="bond_not_negative"),)

    id: Mapped[int] = mapped_column(sa.ForeignKey("cases.id", ondelete="CASCADE"), primary_key=True)
    urgency_facts: Mapped[str] = mapped_column(sa.Text, default="")
    requested_measures: Mapped[str] = mapped_column(sa.Text, default="")
    #: bond (担保) in yuan
    bond_amount: Mapped[Decimal | None] = mapped_column(sa.Numeric(14, 2))
    bond_form: Mapped[str] = mapped_column(sa.String(60), default="")
    #: the main adjudication case this injunction protects
    main_case_id: Mapped[int | None] = mapped_column(sa.ForeignKey("cases.id"), index=True)

    __mapper_args__ = {
        "polymorphic_identity": Channel.injunction,
        "inherit_condition": id == Case.id,
    }
