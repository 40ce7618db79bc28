"""Mediation-specific case data: the request, the agreement and its follow-up, and the sessions."""

from datetime import date, datetime
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ipcase.auth.models import User
from ipcase.cases.enums import Channel
from ipcase.cases.models import Case
from ipcase.channels.mediation.states import FollowUp, SessionOutcome
from ipcase.core.db import TimestampMixin, UTCDateTime, enum_type
from ipcase.core.enums import LabelledEnum
from ipcase.extensions import db


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


class MediationSubject(LabelledEnum):
    """What the mediation is about ([85]63); ``damages`` is the damages-only mediation after a
    finding of infringement, which needs that decision ([85]64, [PL]65)."""

    ownership = "ownership"
    inventorship = "inventorship"
    inventor_reward = "inventor_reward"
    interim_use = "interim_use"
    damages = "damages"
    other = "other"


MediationSubject.set_labels(
    {
        MediationSubject.ownership: _l("Ownership of the patent application or patent right"),
        MediationSubject.inventorship: _l("Inventorship or designer status"),
        MediationSubject.inventor_reward: _l("Reward or remuneration of the inventor or designer"),
        MediationSubject.interim_use: _l("Fee for use between publication and grant"),
        MediationSubject.damages: _l("Damages for an infringement already found"),
        MediationSubject.other: _l("Other patent dispute"),
    }
)


def subject_problems(subject: str | None, decision_no: str, decision_on: date | None) -> list[tuple[str, Any]]:
    """Why a mediation request's subject is incomplete ([85]63–64): (field, message) pairs.
    The subject is required; damages only need the number and date of the decision that found
    the infringement."""
    if subject not in {s.value for s in MediationSubject}:
        return [("subject", _l("Choose what the mediation is about ([85]63)."))]
    problems: list[tuple[str, Any]] = []
    if subject == MediationSubject.damages:
        if not (decision_no or "").strip():
            problems.append(
                ("infringement_decision_no", _l("Give the number of the decision that found the infringement."))
            )
        if decision_on is None:
            problems.append(
                ("infringement_decision_on", _l("Give the date of the decision that found the infringement."))
            )
    return problems


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
