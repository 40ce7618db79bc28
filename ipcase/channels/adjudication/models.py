"""Adjudication-specific case data."""

from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ipcase.auth.models import User
from ipcase.cases.enums import Channel
from ipcase.cases.models import Case
from ipcase.channels.adjudication.states import AppraisalStage, ClosedHearingReason, DecisionOutcome
from ipcase.core.db import UTCDateTime, enum_type
from ipcase.deadlines.triggers import information_period


class AdjudicationCase(Case):
    """A request to decide a patent infringement dispute ([85] ch.2).

    Besides the request, it keeps what the procedure's steps settle and later steps depend on:
    the scheduled oral hearing, a recusal application awaiting decision, where an appraisal
    stands, whether evidence is under registration preservation, and the decision's outcome.
    The details of every step stay on the timeline."""

    __tablename__ = "adjudication_cases"
    __table_args__ = (
        # a hearing is closed to the public only for a reason the rule admits ([85]26)
        sa.CheckConstraint("(hearing_closed_reason IS NULL) = is_hearing_public", name="closed_hearing_has_reason"),
    )

    id: Mapped[int] = mapped_column(sa.ForeignKey("cases.id", ondelete="CASCADE"), primary_key=True)
    #: 请求处理的事项: the cessation acts asked for (make, use, offer, sell, import ...)
    requests: Mapped[str] = mapped_column(sa.Text, default="")
    #: accused product: name, model, where found
    accused_product: Mapped[str] = mapped_column(sa.String(200), default="")

    #: the oral hearing as notified ([85]26): when, where, online or not, public or closed and why
    hearing_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    hearing_place: Mapped[str] = mapped_column(sa.String(200), default="", server_default="")
    is_hearing_online: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    is_hearing_public: Mapped[bool] = mapped_column(default=True, server_default=sa.true())
    hearing_closed_reason: Mapped[ClosedHearingReason | None] = mapped_column(enum_type(ClosedHearingReason))
    #: the official a recusal application names while it awaits the director's decision ([85]5)
    recusal_official_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"), index=True)
    #: where a technical appraisal stands ([85]53); None when none is under way
    appraisal_stage: Mapped[AppraisalStage | None] = mapped_column(enum_type(AppraisalStage))
    #: evidence is held under registration preservation (登记保存, [85]49) until released
    is_evidence_preserved: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    #: a major (national-impact) case heard under [68] / [85]55–58: its own docketing period and time
    #: limit, restarted when the request changes (§2.3, P9)
    is_major: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    #: when the right holder knew or should have known of the act and the infringer: the 3-year
    #: limitation ([85]19, "adj.limitation") is shown from it, as information, never a clock
    infringement_known_on: Mapped[date | None]

    @property
    def limitation(self) -> Any:
        """The 3-year limitation ([85]19) from ``infringement_known_on``, as information."""
        return information_period("adj.limitation", self.infringement_known_on)

    #: what the decision found ([85]31)
    outcome: Mapped[DecisionOutcome | None] = mapped_column(enum_type(DecisionOutcome))

    recusal_official: Mapped[User | None] = relationship(foreign_keys=[recusal_official_id])

    __mapper_args__ = {"polymorphic_identity": Channel.adjudication}
