"""The evidence list of a case (证据清单): what each item is, who submitted it, what it proves,
and optionally the scanned file itself.

Files are kept in the database, so every application host sees them, and are accepted only when
their content is a PDF, JPEG or PNG (checked from the magic bytes, never from the name or the
browser's content type), up to ``MAX_FILE_SIZE``."""

import hashlib
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ipcase.auth.models import Role, User
from ipcase.cases.enums import EntryKind
from ipcase.cases.models import Case, Party
from ipcase.cases.operations import lock_case
from ipcase.cases.timeline import record
from ipcase.core import clock
from ipcase.core.db import TimestampMixin, UTCDateTime, enum_type
from ipcase.core.enums import LabelledEnum
from ipcase.core.errors import DomainError
from ipcase.core.extensions import db

#: the largest file accepted (20 MB)
MAX_FILE_SIZE = 20 * 1024 * 1024

#: magic bytes → (content type, file extension)
FILE_TYPES: tuple[tuple[bytes, str, str], ...] = (
    (b"%PDF-", "application/pdf", "pdf"),
    (b"\xff\xd8\xff", "image/jpeg", "jpg"),
    (b"\x89PNG\r\n\x1a\n", "image/png", "png"),
)


class EvidenceForm(LabelledEnum):
    original = "original"
    copy = "copy"
    electronic = "electronic"


EvidenceForm.set_labels(
    {
        EvidenceForm.original: _l("Original (原件)"),
        EvidenceForm.copy: _l("Copy (复印件)"),
        EvidenceForm.electronic: _l("Electronic data (电子数据)"),
    }
)


class EvidenceItem(TimestampMixin, db.Model):
    """One numbered item of the case's evidence list, with its file when one was uploaded."""

    __tablename__ = "evidence_items"
    __table_args__ = (
        sa.UniqueConstraint("case_id", "position", name="uq_evidence_items_case_position"),
        sa.CheckConstraint("pages IS NULL OR pages > 0", name="pages_positive"),
        sa.CheckConstraint("size IS NULL OR (size >= 0 AND size <= 20971520)", name="size_capped"),
        sa.CheckConstraint("(filename IS NULL) = (data IS NULL)", name="file_complete"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(sa.ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    #: the party that submitted the item; None for evidence gathered by the office
    submitted_by_party_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("parties.id", ondelete="SET NULL"), index=True
    )
    #: 1, 2, 3 … in the order the items were listed
    position: Mapped[int]
    title: Mapped[str] = mapped_column(sa.String(200))
    #: 证明目的: what the item is offered to prove
    purpose: Mapped[str] = mapped_column(sa.Text, default="")
    #: 证据来源: where it comes from (notary, platform, the party itself …)
    source: Mapped[str] = mapped_column(sa.String(200), default="")
    pages: Mapped[int | None]
    form: Mapped[EvidenceForm] = mapped_column(enum_type(EvidenceForm))
    received_at: Mapped[datetime] = mapped_column(UTCDateTime)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"), index=True)
    filename: Mapped[str | None] = mapped_column(sa.String(200))
    content_type: Mapped[str | None] = mapped_column(sa.String(64))
    size: Mapped[int | None]
    sha256: Mapped[str | None] = mapped_column(sa.String(64))
    #: the file's bytes; loaded only when downloaded
    data: Mapped[bytes | None] = mapped_column(sa.LargeBinary, deferred=True)

    case: Mapped[Case] = relationship()
    submitted_by: Mapped[Party | None] = relationship()
    created_by: Mapped[User | None] = relationship()

    def __repr__(self) -> str:
        return f"<EvidenceItem {self.id} case={self.case_id} #{self.position} {self.title!r}>"

    @property
    def has_file(self) -> bool:
        return self.filename is not None


def sniff(content: bytes) -> tuple[str, str] | None:
    """(content type, extension) of a PDF, JPEG or PNG file, from its first bytes; None otherwise."""
    for magic, content_type, ext in FILE_TYPES:
        if content.startswith(magic):
            return content_type, ext
    return None


def safe_filename(name: str, ext: str) -> str:
    """The uploaded name without any path, control characters or misleading extension."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    base = "".join(ch for ch in base if ch.isprintable() and ch not in '<>:"|?*').strip(" .")
    stem = base.rsplit(".", 1)[0].strip(" .") if "." in base else base
    return f"{(stem or 'evidence')[:150]}.{ext}"


def items_of(case: Case) -> list[EvidenceItem]:
    return list(
        db.session.scalars(
            sa.select(EvidenceItem).where(EvidenceItem.case_id == case.id).order_by(EvidenceItem.position)
        )
    )


def visible_items(case: Case, user: User) -> list[EvidenceItem]:
    """The items ``user`` may see: all of them for staff, only their own side's for a party user."""
    items = items_of(case)
    if user.role != Role.party:
        return items
    own = own_party_ids(case, user)
    return [i for i in items if i.submitted_by_party_id in own]


def own_party_ids(case: Case, user: User) -> set[int]:
    """The parties of ``case`` that ``user`` is, or is an agent of."""
    return {p.id for p in case.parties if p.user_id == user.id or any(a.user_id == user.id for a in p.agents)}


def add_evidence(
    case: Case,
    data: dict[str, Any],
    *,
    actor: User | None,
    upload: tuple[str, bytes] | None = None,
) -> EvidenceItem:
    """List one item of evidence, with its file when ``upload`` (name, content) is given."""
    lock_case(case)  # its position is the next on the list: one addition at a time per case
    if case.is_closed:
        raise DomainError(_l("This case is closed and can no longer be changed."))
    title = (data.get("title") or "").strip()
    if not title:
        raise DomainError(("title", _l("Name the item of evidence.")))
    try:
        form = EvidenceForm(data.get("form") or EvidenceForm.copy)
    except ValueError as exc:
        raise DomainError(("form", _l("Choose one of the listed values."))) from exc
    party_id = data.get("submitted_by_party_id") or None
    if party_id is not None and not any(p.id == int(party_id) for p in case.parties):
        raise DomainError(("submitted_by_party_id", _l("Choose a party of this case.")))
    pages = data.get("pages") or None
    if pages is not None and int(pages) < 1:
        raise DomainError(("pages", _l("The number of pages must be at least 1.")))
    received_at = data.get("received_at") or clock.now()
    if received_at > clock.now():
        raise DomainError(("received_at", _l("The time of receipt cannot be in the future.")))
    item = EvidenceItem(
        case_id=case.id,
        submitted_by_party_id=int(party_id) if party_id is not None else None,
        position=_next_position(case),
        title=title,
        purpose=(data.get("purpose") or "").strip(),
        source=(data.get("source") or "").strip(),
        pages=int(pages) if pages is not None else None,
        form=form,
        received_at=received_at,
        created_by=actor,
    )
    if upload is not None:
        attach_file(item, *upload)
    db.session.add(item)
    db.session.flush()
    record(
        case,
        "evidence.added",
        actor=actor,
        data={"position": item.position, "title": item.title},
    )
    return item


def attach_file(item: EvidenceItem, name: str, content: bytes) -> None:
    """Check and store the file's bytes; refuses anything but a PDF, JPEG or PNG up to 20 MB."""
    if not content:
        raise DomainError(("file", _l("The file is empty.")))
    if len(content) > MAX_FILE_SIZE:
        raise DomainError(("file", _l("The file is larger than 20 MB.")))
    kind = sniff(content)
    if kind is None:
        raise DomainError(("file", _l("Only PDF, JPEG and PNG files are accepted; this file is none of them.")))
    content_type, ext = kind
    item.filename = safe_filename(name or "", ext)
    item.content_type = content_type
    item.size = len(content)
    item.sha256 = hashlib.sha256(content).hexdigest()
    item.data = content


def remove_evidence(item: EvidenceItem, *, actor: User) -> None:
    case = item.case
    lock_case(case, item)
    if case.is_closed:
        raise DomainError(_l("This case is closed and can no longer be changed."))
    record(
        case,
        "evidence.removed",
        actor=actor,
        kind=EntryKind.negative,
        data={"position": item.position, "title": item.title},
    )
    db.session.delete(item)
    db.session.flush()


def copy_evidence(source: Case, target: Case, party_map: dict[int, int]) -> list[EvidenceItem]:
    """Copy every item of ``source`` (file included) to ``target``, mapping the submitting parties.

    Used by referral: the file travels with the case. No timeline entry per item; the referral
    records one for the whole file."""
    copies = []
    for item in items_of(source):
        copy = EvidenceItem(
            case_id=target.id,
            submitted_by_party_id=party_map.get(item.submitted_by_party_id) if item.submitted_by_party_id else None,
            position=_next_position(target),
            title=item.title,
            purpose=item.purpose,
            source=item.source,
            pages=item.pages,
            form=item.form,
            received_at=item.received_at,
            created_by_id=item.created_by_id,
            filename=item.filename,
            content_type=item.content_type,
            size=item.size,
            sha256=item.sha256,
            data=item.data,
        )
        db.session.add(copy)
        db.session.flush()
        copies.append(copy)
    return copies


def _next_position(case: Case) -> int:
    highest = db.session.scalar(sa.select(sa.func.max(EvidenceItem.position)).where(EvidenceItem.case_id == case.id))
    return (highest or 0) + 1
