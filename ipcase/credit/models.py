"""Credit events and the normalised identity of the subject they are about."""

import unicodedata
from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ipcase.auth.models import User
from ipcase.cases.models import Case, Party
from ipcase.cases.timeline import EXTRA_ENUMS
from ipcase.cases.transfers import dispute_root_id
from ipcase.core.db import TimestampMixin, UTCDateTime, enum_type
from ipcase.core.enums import LabelledEnum
from ipcase.core.extensions import db


class CreditEventKind(LabelledEnum):
    infringement_found = "infringement_found"
    repeat_infringement = "repeat_infringement"
    decision_unperformed = "decision_unperformed"
    exhibitor_violation = "exhibitor_violation"
    false_complaint = "false_complaint"
    serious_dishonesty_listed = "serious_dishonesty_listed"


CreditEventKind.set_labels(
    {
        CreditEventKind.infringement_found: _l("Infringement found (认定侵权)"),
        CreditEventKind.repeat_infringement: _l("Repeat infringement (重复侵权)"),
        CreditEventKind.decision_unperformed: _l("Decision not performed (拒不履行)"),
        CreditEventKind.exhibitor_violation: _l("Exhibitor violation (参展方侵权)"),
        CreditEventKind.false_complaint: _l("False complaint (虚假投诉)"),
        CreditEventKind.serious_dishonesty_listed: _l("Listed as seriously dishonest (严重失信主体)"),
    }
)

EXTRA_ENUMS["CreditEventKind"] = CreditEventKind

#: kinds a director records by hand, with reasons; the others come from the procedures
MANUAL_KINDS = (CreditEventKind.false_complaint, CreditEventKind.serious_dishonesty_listed)


def normalise_name(name: str) -> str:
    """A name as it is compared: NFKC (full-width → half-width), case-folded, no whitespace."""
    return "".join(unicodedata.normalize("NFKC", name or "").casefold().split())


def subject_key(name: str, id_type: str | None = None, id_number: str | None = None) -> str:
    """Who a credit event is about: the identity document when there is one, else the name."""
    number = "".join(unicodedata.normalize("NFKC", id_number or "").upper().split())
    if id_type and number:
        return f"id:{id_type}:{number}"
    return f"name:{normalise_name(name)}"


def party_subject_key(party: Party) -> str:
    return subject_key(party.name, party.id_type.value if party.id_type else None, party.id_number)


class CreditEvent(TimestampMixin, db.Model):
    """One event that counts against a subject. Recording it twice for the same case, party and
    kind is harmless (unique constraint, inserted with ON CONFLICT DO NOTHING). A removal is
    kept, with who removed it and why: a removed event no longer counts."""

    __tablename__ = "credit_events"
    __table_args__ = (
        sa.UniqueConstraint("case_id", "party_id", "kind", name="uq_credit_events_case_party_kind"),
        sa.CheckConstraint("(removed_at IS NULL) = (removed_by_id IS NULL)", name="removal_complete"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: ``id:<type>:<number>`` or ``name:<normalised name>`` (see :func:`subject_key`)
    subject_key: Mapped[str] = mapped_column(sa.String(200), index=True)
    #: the normalised name, also for subjects known by their document (search by name)
    name_key: Mapped[str] = mapped_column(sa.String(200), index=True)
    subject_name: Mapped[str] = mapped_column(sa.String(120))
    case_id: Mapped[int] = mapped_column(sa.ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    party_id: Mapped[int | None] = mapped_column(sa.ForeignKey("parties.id", ondelete="SET NULL"), index=True)
    kind: Mapped[CreditEventKind] = mapped_column(enum_type(CreditEventKind))
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    note: Mapped[str] = mapped_column(sa.Text, default="")
    recorded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"), index=True)
    removed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    removed_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"), index=True)
    removal_reason: Mapped[str] = mapped_column(sa.Text, default="")

    case: Mapped[Case] = relationship()
    party: Mapped[Party | None] = relationship()
    recorded_by: Mapped[User | None] = relationship(foreign_keys=[recorded_by_id])
    removed_by: Mapped[User | None] = relationship(foreign_keys=[removed_by_id])

    def __repr__(self) -> str:
        return f"<CreditEvent {self.id} {self.kind} {self.subject_key!r} case={self.case_id}>"

    @property
    def is_removed(self) -> bool:
        return self.removed_at is not None

    @property
    def dispute_id(self) -> int:
        """The first case of the referral chain this event's case belongs to."""
        return dispute_root_id(self.case)
