"""Adjudication-specific case data."""

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from ipcase.cases.enums import Channel
from ipcase.cases.models import Case


class AdjudicationCase(Case):
    """A request to decide a patent infringement dispute ([85] ch.2)."""

    __tablename__ = "adjudication_cases"

    id: Mapped[int] = mapped_column(sa.ForeignKey("cases.id", ondelete="CASCADE"), primary_key=True)
    #: 请求处理的事项: the cessation acts asked for (make, use, offer, sell, import ...)
    requests: Mapped[str] = mapped_column(sa.Text, default="")
    #: accused product: name, model, where found
    accused_product: Mapped[str] = mapped_column(sa.String(200), default="")

    __mapper_args__ = {"polymorphic_identity": Channel.adjudication}
