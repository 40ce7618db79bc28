"""Issued official documents, their service records, and batches issued together.

An issued document never changes (style §G): the ORM refuses to update or delete one, and on
PostgreSQL a trigger (:data:`IMMUTABLE_TRIGGER_SQL`, also in the migration) refuses it in SQL.
A correction is a new document whose ``corrects_id`` names the old one."""

from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from ipcase.auth.models import User
from ipcase.cases.models import Case, Party
from ipcase.cases.timeline import EXTRA_ENUMS
from ipcase.core.db import TimestampMixin, UTCDateTime, enum_type
from ipcase.core.enums import LabelledEnum
from ipcase.core.extensions import db
from ipcase.organisations.models import Organisation


class BatchStatus(LabelledEnum):
    """Where a batch issued in the background is (``ipcase.tasks.batches``)."""

    queued = "queued"
    complete = "complete"
    failed = "failed"


BatchStatus.set_labels(
    {
        BatchStatus.queued: _l("In progress"),
        BatchStatus.complete: _l("Complete"),
        BatchStatus.failed: _l("Failed"),
    }
)


class DocumentBatch(db.Model):
    """The same notice issued for several cases at once, kept as one combined PDF.

    Issued in the background: the request stores the cases (in order), the entered fields and the
    instant, ``status`` queued and ``done`` 0; chunks of cases are issued by the queue's workers,
    each adding its count to ``done`` in SQL; the last one has the combined PDF built (``pdf``,
    ``sha256``, ``size``, ``completed_at``, status complete). A failure for good: status failed,
    ``error`` says why (the notices already issued stay issued, like any issued document)."""

    __tablename__ = "document_batches"
    __table_args__ = (sa.CheckConstraint("done >= 0 AND done <= count", name="done_in_range"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(sa.String(48))
    #: the number of cases (notices) in the batch
    count: Mapped[int]
    status: Mapped[BatchStatus] = mapped_column(enum_type(BatchStatus), default=BatchStatus.queued)
    #: notices issued so far
    done: Mapped[int] = mapped_column(default=0, server_default="0")
    #: the case ids, in the order of the combined PDF
    case_ids: Mapped[list[int]] = mapped_column(sa.JSON, default=list)
    #: the serial number each case's notice has (taken from the counter when the batch was stored)
    serials: Mapped[list[int]] = mapped_column(sa.JSON, default=list)
    #: the fields entered once for every notice
    fields: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)
    error: Mapped[str | None] = mapped_column(sa.Text)
    pdf: Mapped[bytes | None] = mapped_column(sa.LargeBinary, deferred=True)
    sha256: Mapped[str | None] = mapped_column(sa.String(64))
    size: Mapped[int | None]
    issued_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"), index=True)
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime)
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    issued_by: Mapped[User | None] = relationship()
    documents: Mapped[list["IssuedDocument"]] = relationship(back_populates="batch", order_by="IssuedDocument.id")

    def __repr__(self) -> str:
        return f"<DocumentBatch {self.id} {self.kind} ×{self.count} {self.status}>"


class IssuedDocument(db.Model):
    """One numbered official document as issued: its PDF, hash, data snapshot and template version."""

    __tablename__ = "issued_documents"
    __table_args__ = (
        sa.CheckConstraint("serial > 0", name="serial_positive"),
        sa.CheckConstraint("size > 0", name="size_positive"),
        sa.CheckConstraint("corrects_id IS NULL OR corrects_id <> id", name="not_own_correction"),
        # a batch issues one notice per case: a chunk run again skips the cases it did
        sa.UniqueConstraint("batch_id", "case_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(sa.ForeignKey("cases.id"), index=True)
    kind: Mapped[str] = mapped_column(sa.String(48))
    #: the full document number, e.g. 成知裁〔2026〕3号
    number: Mapped[str] = mapped_column(sa.String(60), unique=True)
    #: the issuing organisation (the case's); numbers come from the counter of the first
    #: organisation using its prefix, so units sharing a prefix never repeat a number
    organisation_id: Mapped[int] = mapped_column(sa.ForeignKey("organisations.id"), index=True)
    #: the number's type code (裁, 立 …): the counter scope together with organisation and year
    code: Mapped[str] = mapped_column(sa.String(16))
    year: Mapped[int]
    serial: Mapped[int]
    title: Mapped[str] = mapped_column(sa.String(120))
    #: the plain data the PDF was rendered from (never live objects)
    snapshot: Mapped[dict[str, Any]] = mapped_column(sa.JSON)
    #: hash of the template and style sources used
    template_version: Mapped[str] = mapped_column(sa.String(64))
    pdf: Mapped[bytes] = mapped_column(sa.LargeBinary, deferred=True)
    sha256: Mapped[str] = mapped_column(sa.String(64), index=True)
    size: Mapped[int]
    #: printed on the document; with the number it lets anyone check authenticity
    verification_code: Mapped[str] = mapped_column(sa.String(16))
    is_internal: Mapped[bool] = mapped_column(default=False)
    issued_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"), index=True)
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime)
    #: the document this one corrects and replaces
    corrects_id: Mapped[int | None] = mapped_column(sa.ForeignKey("issued_documents.id"), index=True)
    batch_id: Mapped[int | None] = mapped_column(sa.ForeignKey("document_batches.id"), index=True)

    case: Mapped[Case] = relationship()
    organisation: Mapped[Organisation] = relationship()
    issued_by: Mapped[User | None] = relationship()
    corrects: Mapped["IssuedDocument | None"] = relationship(remote_side=[id], back_populates="corrections")
    corrections: Mapped[list["IssuedDocument"]] = relationship(back_populates="corrects", order_by="IssuedDocument.id")
    batch: Mapped[DocumentBatch | None] = relationship(back_populates="documents")
    services: Mapped[list["ServiceRecord"]] = relationship(back_populates="document", order_by="ServiceRecord.id")

    def __repr__(self) -> str:
        return f"<IssuedDocument {self.id} {self.kind} {self.number}>"

    @property
    def issuing_office(self) -> str:
        return (self.snapshot or {}).get("office", {}).get("name", "")

    @property
    def is_superseded(self) -> bool:
        return bool(self.corrections)


class DocumentChanged(RuntimeError):
    """Someone tried to change or delete an issued document."""


@sa.event.listens_for(IssuedDocument, "before_update")
def _refuse_update(_mapper: Any, _connection: Any, target: IssuedDocument) -> None:
    session = Session.object_session(target)
    # a new service record or correction touches only the collections, not the row
    if session is not None and session.is_modified(target, include_collections=False):
        raise DocumentChanged(f"issued document {target.number} cannot be changed; issue a correction")


@sa.event.listens_for(IssuedDocument, "before_delete")
def _refuse_delete(_mapper: Any, _connection: Any, target: IssuedDocument) -> None:
    raise DocumentChanged(f"issued document {target.number} cannot be deleted")


#: the same rule in PostgreSQL itself, against changes that bypass the ORM
IMMUTABLE_TRIGGER_SQL = """
CREATE OR REPLACE FUNCTION issued_documents_immutable() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION 'issued document % cannot be changed or deleted', OLD.number;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER issued_documents_immutable BEFORE UPDATE OR DELETE ON issued_documents
  FOR EACH ROW EXECUTE FUNCTION issued_documents_immutable();
"""
IMMUTABLE_TRIGGER_DROP_SQL = """
DROP TRIGGER IF EXISTS issued_documents_immutable ON issued_documents;
DROP FUNCTION IF EXISTS issued_documents_immutable();
"""

sa.event.listen(
    IssuedDocument.__table__,
    "after_create",
    # DDL text is %-formatted by SQLAlchemy: the function's own % placeholder is doubled
    sa.DDL(IMMUTABLE_TRIGGER_SQL.replace("%", "%%")).execute_if(dialect="postgresql"),
)


class ServiceMethod(LabelledEnum):
    direct = "direct"
    post = "post"
    electronic = "electronic"
    left_at_address = "left_at_address"
    public_notice = "public_notice"


ServiceMethod.set_labels(
    {
        ServiceMethod.direct: _l("Direct service (直接送达)"),
        ServiceMethod.post: _l("By post (邮寄送达)"),
        ServiceMethod.electronic: _l("Electronic, with consent (电子送达)"),
        ServiceMethod.left_at_address: _l("Left at the address (留置送达)"),
        ServiceMethod.public_notice: _l("Public notice (公告送达)"),
    }
)
EXTRA_ENUMS["ServiceMethod"] = ServiceMethod

#: Chinese names printed on documents (送达回证)
SERVICE_METHOD_ZH = {
    ServiceMethod.direct: "直接送达",
    ServiceMethod.post: "邮寄送达",
    ServiceMethod.electronic: "电子送达",
    ServiceMethod.left_at_address: "留置送达",
    ServiceMethod.public_notice: "公告送达",
}


class ServiceRecord(TimestampMixin, db.Model):
    """Service (送达) of an issued document on one party: how, when, and who signed."""

    __tablename__ = "document_services"
    __table_args__ = (
        sa.CheckConstraint(
            "(method = 'public_notice') = (published_on IS NOT NULL)", name="published_on_iff_public_notice"
        ),
        sa.CheckConstraint("method <> 'electronic' OR has_consent", name="electronic_needs_consent"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(sa.ForeignKey("issued_documents.id"), index=True)
    recipient_id: Mapped[int] = mapped_column(sa.ForeignKey("parties.id", ondelete="CASCADE"), index=True)
    method: Mapped[ServiceMethod] = mapped_column(enum_type(ServiceMethod))
    #: the day service took effect (for public notice: 60 days after publication, domain §1 P10)
    served_on: Mapped[date]
    published_on: Mapped[date | None]
    #: who signed the receipt (the recipient, an agent, a family member ...)
    signed_by: Mapped[str] = mapped_column(sa.String(60), default="")
    #: electronic service needs the recipient's consent ([85]10)
    has_consent: Mapped[bool] = mapped_column(default=False)
    note: Mapped[str] = mapped_column(sa.String(500), default="")
    #: the procedural event the service fired ("" when none or already fired by a step)
    event: Mapped[str] = mapped_column(sa.String(48), default="")
    recorded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"), index=True)

    document: Mapped[IssuedDocument] = relationship(back_populates="services")
    recipient: Mapped[Party] = relationship()
    recorded_by: Mapped[User | None] = relationship()

    def __repr__(self) -> str:
        return f"<ServiceRecord {self.id} doc={self.document_id} {self.method} {self.served_on}>"
