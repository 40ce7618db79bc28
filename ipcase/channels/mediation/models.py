"""Mediation-specific case data: the request, the agreement and its follow-up, and the sessions."""

from datetime import date, datetime
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ipcase.auth.models import User
from ipcase.cases.enums import Channel
from ipcase.cases.mediation_terms import MediationSubject, MediationType
from ipcase.cases.models import Case
from ipcase.channels.mediation.states import FollowUp, SessionOutcome
from ipcase.core.db import TimestampMixin, UTCDateTime, enum_type
from ipcase.core.extensions import db


class MediationCase(Case):
    """A compensation or patent-dispute mediation ([85] ch.3; linkage centre §4).

    Besides the request it keeps the agreement's terms ([85]69) and the follow-up that gives it
    force (judicial confirmation, notarisation, an arbitral award: §4); the sessions are rows of
    ``mediation_sessions``. The details of every step also stay on the timeline."""

    __tablename__ = "mediation_cases"
    __table_args__ = (
        sa.CheckConstraint("claimed_amount IS NULL OR claimed_amount >= 0", name="claimed_not_negative"),
        sa.CheckConstraint("agreed_amount IS NULL OR agreed_amount >= 0", name="agreed_not_negative"),
        sa.CheckConstraint("instalments IS NULL OR instalments >= 1", name="instalments_positive"),
    )

    id: Mapped[int] = mapped_column(sa.ForeignKey("cases.id", ondelete="CASCADE"), primary_key=True)
    mediation_type: Mapped[MediationType] = mapped_column(enum_type(MediationType))
    #: compensation asked for, in yuan; damages belong only to mediation ([PL]65)
    claimed_amount: Mapped[Decimal | None] = mapped_column(sa.Numeric(14, 2))
    referring_court_case_no: Mapped[str] = mapped_column(sa.String(60), default="")
    #: what the mediation is about ([85]63); None only on cases opened before it was asked for
    subject: Mapped[MediationSubject | None] = mapped_column(enum_type(MediationSubject))
    #: for damages only: the decision that found the infringement ([85]64), number and date
    infringement_decision_no: Mapped[str] = mapped_column(sa.String(60), default="", server_default="")
    infringement_decision_on: Mapped[date | None]

    #: the agreement (调解协议书, [85]69): when it took effect (the 30-day confirmation window
    #: runs from it), the compensation and how it is paid, other terms, and whether the
    #: respondent accepts enforcement (which, with a payment clause, allows notarisation)
    agreed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    agreed_amount: Mapped[Decimal | None] = mapped_column(sa.Numeric(14, 2))
    agreement_terms: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    payment_due_on: Mapped[date | None]
    instalments: Mapped[int | None]
    enforcement_undertaking: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    #: the follow-up applied for, and with whom: a court, a notary office, an arbitration commission
    follow_up: Mapped[FollowUp | None] = mapped_column(enum_type(FollowUp))
    follow_up_body: Mapped[str] = mapped_column(sa.String(120), default="", server_default="")
    #: the court's or the arbitration commission's case number
    follow_up_case_no: Mapped[str] = mapped_column(sa.String(60), default="", server_default="")
    #: the number of the confirmation ruling, the notarial deed or the award obtained
    follow_up_result_no: Mapped[str] = mapped_column(sa.String(60), default="", server_default="")

    sessions: Mapped[list["MediationSession"]] = relationship(
        back_populates="case", cascade="all, delete-orphan", order_by="MediationSession.held_at"
    )

    __mapper_args__ = {"polymorphic_identity": Channel.mediation}


class MediationSession(TimestampMixin, db.Model):
    """One mediation session ([85]67): when and where, who came, and what it came to."""

    __tablename__ = "mediation_sessions"
    __table_args__ = (
        sa.CheckConstraint("online OR place <> ''", name="place_or_online"),
        sa.CheckConstraint("next_session_at IS NULL OR next_session_at > held_at", name="next_after_held"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(sa.ForeignKey("mediation_cases.id", ondelete="CASCADE"), index=True)
    held_at: Mapped[datetime] = mapped_column(UTCDateTime)
    online: Mapped[bool] = mapped_column(default=False)
    place: Mapped[str] = mapped_column(sa.String(200), default="")
    requester_present: Mapped[bool]
    respondent_present: Mapped[bool]
    outcome: Mapped[SessionOutcome] = mapped_column(enum_type(SessionOutcome))
    next_session_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    recorded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"), index=True)

    case: Mapped[MediationCase] = relationship(back_populates="sessions")
    recorded_by: Mapped[User | None] = relationship()

    def __repr__(self) -> str:
        return f"<MediationSession {self.id} case={self.case_id} {self.outcome}>"
