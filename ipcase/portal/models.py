"""What the public portal stores: access codes (hashes only), unfinished online filings,
requests the parties send online, and the satisfaction survey."""

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ipcase.auth.models import User
from ipcase.cases.models import Case, Party, TimelineEntry
from ipcase.core.db import TimestampMixin, UTCDateTime, enum_type
from ipcase.core.enums import LabelledEnum
from ipcase.core.extensions import db


class PortalAccess(TimestampMixin, db.Model):
    """An access code of one party to one case. Only an argon2 hash of the code is stored: the
    code itself is shown once (to the filer, or to staff printing it on a notice)."""

    __tablename__ = "portal_access"
    __table_args__ = (sa.Index("ix_portal_access_case_active", "case_id", "revoked_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(sa.ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    party_id: Mapped[int] = mapped_column(sa.ForeignKey("parties.id", ondelete="CASCADE"), index=True)
    code_hash: Mapped[str] = mapped_column(sa.String(255))
    #: staff member who issued it; None for the code given to an online filer
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"), index=True)
    #: a code stops working once revoked (a new code for the same party revokes the old ones)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    case: Mapped[Case] = relationship()
    party: Mapped[Party] = relationship()
    created_by: Mapped[User | None] = relationship()

    def __repr__(self) -> str:
        return f"<PortalAccess {self.id} case={self.case_id} party={self.party_id} revoked={self.revoked_at}>"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class PortalDraft(TimestampMixin, db.Model):
    """An online filing in progress, kept server-side (a signed cookie is too small and would
    expose the data). The browser holds a random token in its session; only its SHA-256 is
    stored. Evidence files are uploaded at the final step, so a draft never holds files."""

    __tablename__ = "portal_drafts"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    channel: Mapped[str] = mapped_column(sa.String(32))
    #: the raw form data of each completed step: {step: {field: [values]}}
    data: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)

    def __repr__(self) -> str:
        return f"<PortalDraft {self.id} {self.channel} expires={self.expires_at}>"


class RequestKind(LabelledEnum):
    deficiency_answer = "deficiency_answer"
    defence = "defence"
    withdrawal = "withdrawal"
    hearing_change = "hearing_change"


RequestKind.set_labels(
    {
        RequestKind.deficiency_answer: _l("Answer to the correction notice (补正)"),
        RequestKind.defence: _l("Defence or statement (答辩)"),
        RequestKind.withdrawal: _l("Withdrawal of a request (撤回)"),
        RequestKind.hearing_change: _l("Request to change the hearing date"),
    }
)


#: the procedural step staff take from an online request, per channel: taking it from the request
#: carries the request's time of receipt and marks the request handled with a link to the step
REQUEST_STEPS: dict[tuple[str, str], str] = {
    ("adjudication", RequestKind.deficiency_answer): "cure",
    ("adjudication", RequestKind.defence): "receive_defence",
    ("adjudication", RequestKind.withdrawal): "cancel_case",
    ("adjudication", RequestKind.hearing_change): "reschedule_hearing",
    ("mediation", RequestKind.defence): "receive_statement",
    ("mediation", RequestKind.withdrawal): "withdraw",
    ("station", RequestKind.deficiency_answer): "supplement",
    ("station", RequestKind.defence): "receive_response",
    ("station", RequestKind.withdrawal): "withdraw",
}


class PortalRequest(TimestampMixin, db.Model):
    """Something a party sent online: staff see it on the case page and act through the workflow."""

    __tablename__ = "portal_requests"
    __table_args__ = (
        sa.CheckConstraint("(handled_at IS NULL) = (handled_by_id IS NULL)", name="handled_by_iff_handled"),
        sa.Index("ix_portal_requests_case_open", "case_id", "handled_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(sa.ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    party_id: Mapped[int] = mapped_column(sa.ForeignKey("parties.id", ondelete="CASCADE"), index=True)
    kind: Mapped[RequestKind] = mapped_column(enum_type(RequestKind))
    text: Mapped[str] = mapped_column(sa.Text, default="")
    #: names of the files sent with it (the files themselves are evidence items of the case)
    files: Mapped[list[Any]] = mapped_column(sa.JSON, default=list)
    handled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    handled_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"), index=True)
    #: the timeline entry of the step taken from it (its time is the request's receipt)
    timeline_entry_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("timeline_entries.id", ondelete="SET NULL"), index=True
    )

    case: Mapped[Case] = relationship()
    party: Mapped[Party] = relationship()
    handled_by: Mapped[User | None] = relationship()
    timeline_entry: Mapped[TimelineEntry | None] = relationship()

    def __repr__(self) -> str:
        return f"<PortalRequest {self.id} case={self.case_id} {self.kind}>"

    @property
    def step_action(self) -> str | None:
        """The workflow step this request is answered by, if the channel has one."""
        return REQUEST_STEPS.get((str(self.case.channel), str(self.kind)))


class SatisfactionSurvey(TimestampMixin, db.Model):
    """A party's rating of how its case was handled, once the case is closed; one per party."""

    __tablename__ = "satisfaction_surveys"
    __table_args__ = (
        sa.UniqueConstraint("case_id", "party_id", name="uq_satisfaction_surveys_case_party"),
        sa.CheckConstraint("score BETWEEN 1 AND 5", name="score_1_to_5"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(sa.ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    party_id: Mapped[int] = mapped_column(sa.ForeignKey("parties.id", ondelete="CASCADE"), index=True)
    score: Mapped[int]
    comment: Mapped[str] = mapped_column(sa.String(2000), default="")

    case: Mapped[Case] = relationship()
    party: Mapped[Party] = relationship()

    def __repr__(self) -> str:
        return f"<SatisfactionSurvey {self.id} case={self.case_id} party={self.party_id} {self.score}>"
