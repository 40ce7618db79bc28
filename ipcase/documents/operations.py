"""Document use cases: issue (one, a correction, a batch in the background), record service, verify.
None commits.

Issuing takes the number from the (organisation, type code, year) counter inside the caller's
transaction (``core.numbering``: atomic, never reused, a rollback leaves no gap), builds the
snapshot, renders and hashes the PDF, and stores all of it with the template version."""

import hashlib
import hmac
import io
import secrets
from collections.abc import Callable
from datetime import date, datetime
from typing import Any
from urllib.parse import urlencode

import sqlalchemy as sa
from flask import current_app
from flask_babel import lazy_gettext as _l
from pypdf import PdfReader, PdfWriter

from ipcase.auth.models import CASE_HANDLERS, Role, User
from ipcase.cases.enums import EntryKind
from ipcase.cases.models import Case, Party
from ipcase.cases.permissions import visible_org_ids
from ipcase.cases.timeline import enum_ref, record
from ipcase.channels.workflow import available
from ipcase.core import clock
from ipcase.core.db import lock_row
from ipcase.core.errors import DomainError
from ipcase.core.extensions import db
from ipcase.core.numbering import next_number
from ipcase.deadlines.models import Deadline
from ipcase.deadlines.rules import RULES
from ipcase.deadlines.service_dates import SERVICE_DATE_RULES, is_forbidden, service_day, service_instant
from ipcase.deadlines.triggers import record_service_event
from ipcase.documents import queries, render
from ipcase.documents.kinds import DocumentKind
from ipcase.documents.models import BatchStatus, DocumentBatch, IssuedDocument, ServiceMethod, ServiceRecord
from ipcase.documents.registry import document_code, get_kind, kinds_for
from ipcase.documents.snapshots import build_snapshot
from ipcase.documents.steps import check_fields, with_recorded

#: no 0/O, 1/I/L: a code read off paper and typed in again
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 8
#: public notice is deemed served this many days after publication (domain.md §1 P10, [78])
PUBLIC_NOTICE_DAYS = SERVICE_DATE_RULES["public_notice"].offset_days


def new_verification_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def normalise_code(code: str) -> str:
    """What people type: any case, spaces or dashes between groups."""
    return "".join(ch for ch in (code or "").upper() if ch.isalnum())


def format_document_number(*, abbr: str, code: str, year: int, serial: int) -> str:
    return current_app.config["DOCUMENT_NUMBER_FORMAT"].format(abbr=abbr, code=code, year=year, serial=serial)


def verify_page_url() -> str:
    """The verification page printed on documents: configuration only (DOCUMENT_VERIFY_URL, set
    or derived at start-up, see ipcase/config.py), never the Host of the request that issues."""
    return current_app.config["DOCUMENT_VERIFY_URL"]


# -- who may issue what -------------------------------------------------------------------------


def can_issue(user: User, case: Case, kind: DocumentKind | None = None) -> bool:
    """Staff handling cases for the case's organisation; decisions by the head of the office."""
    if not user.is_authenticated or user.role not in CASE_HANDLERS:
        return False
    if case.organisation_id not in visible_org_ids(user):
        return False
    return not (kind is not None and kind.director_only and user.role != Role.director)


def called_for(case: Case, user: User | None = None) -> list[tuple[DocumentKind | None, str, Any, bool]]:
    """The documents the case's steps call for: (kind or None if not in the catalogue yet, key,
    the step's label, whether the step was taken), taken steps first; then the kinds that may be
    issued at any time."""
    workflow = case.channel_def.workflow
    if workflow is None:
        return []
    seen: set[str] = set()
    found: list[tuple[DocumentKind | None, str, Any, bool]] = []
    taken = queries.taken_steps(case)
    open_now = [t.action for t in available(workflow, case, user)] if user is not None else []
    for action, is_taken in [*((a, True) for a in reversed(taken)), *((a, False) for a in open_now)]:
        t = workflow.by_action.get(action)
        if t is None:
            continue
        for key in t.documents:
            if key in seen:
                continue
            seen.add(key)
            found.append((get_kind(key), key, t.label, is_taken))
    for kind in kinds_for(str(case.channel)):
        if kind.always and kind.key not in seen:
            seen.add(kind.key)
            found.append((kind, kind.key, None, False))
    return found


def may_prepare(case: Case, kind: DocumentKind, user: User | None) -> bool:
    """A kind is prepared for a case when its channel uses it and a taken or open step calls for
    it (or it may be issued at any time)."""
    if str(case.channel) not in kind.channels:
        return False
    return any(k is not None and k.key == kind.key for k, _key, _label, _taken in called_for(case, user))


# -- issuing ------------------------------------------------------------------------------------


def _prepare_issue(
    case: Case,
    kind: DocumentKind,
    fields: dict[str, Any],
    *,
    actor: User | None,
    corrects: IssuedDocument | None,
    at: datetime,
    serial: int | None = None,
) -> tuple[IssuedDocument, str]:
    if str(case.channel) not in kind.channels:
        raise DomainError(_l("This document does not belong to this procedure."))
    if corrects is not None:
        if corrects.case_id != case.id or corrects.kind != kind.key:
            raise DomainError(_l("A correction replaces a document of the same kind on the same case."))
        if corrects.corrections:
            raise DomainError(
                _l("%(number)s was already corrected; correct the newest document instead.", number=corrects.number)
            )
    # a document writes down its step: issued after it, and never saying otherwise
    fields = with_recorded(case, kind.key, fields)
    check_fields(case, kind.key, fields)
    issued_on = clock.to_local(at).date()
    year = issued_on.year
    code = document_code(kind)
    org = case.organisation
    if serial is None:  # a batch took its numbers when it was stored
        serial = next_number(org.numbering_owner_id, f"doc:{code}", year)
    number = format_document_number(abbr=org.abbr, code=code, year=year, serial=serial)
    verification_code = new_verification_code()
    snapshot = build_snapshot(case, kind, fields, issued_on=issued_on)
    page = verify_page_url()
    snapshot["meta"] = {
        "number": number,
        "verify_code": verification_code,
        "verify_page": page,
        "verify_url": f"{page}?{urlencode({'number': number, 'code': verification_code})}",
        "corrects": corrects.number if corrects else None,
    }
    html = render.render_html(kind.template_file, snapshot)
    document = IssuedDocument(
        case_id=case.id,
        kind=kind.key,
        number=number,
        organisation_id=case.organisation_id,
        code=code,
        year=year,
        serial=serial,
        title=kind.title,
        snapshot=snapshot,
        template_version=render.template_version(kind.template_file),
        verification_code=verification_code,
        is_internal=kind.internal,
        issued_by_id=actor.id if actor else None,
        issued_at=at,
    )
    if corrects is not None:
        document.corrects = corrects
    return document, html


def _store(case: Case, document: IssuedDocument, pdf: bytes, *, actor: User | None, corrects: Any) -> None:
    document.pdf = pdf
    document.sha256 = hashlib.sha256(pdf).hexdigest()
    document.size = len(pdf)
    db.session.add(document)
    db.session.flush()
    data = {"title": document.title, "number": document.number}
    if corrects is not None:
        record(
            case,
            "document.corrected",
            actor=actor,
            kind=EntryKind.change,
            data=data | {"old": corrects.number},
            is_public=False,
        )
    else:
        record(case, "document.issued", actor=actor, kind=EntryKind.info, data=data, is_public=False)
    # both staff only: a party learns of a document when it is served on it (documents.queries)


def issue_document(
    case: Case,
    kind_key: str,
    fields: dict[str, Any],
    *,
    actor: User | None,
    corrects: IssuedDocument | None = None,
    at: datetime | None = None,
) -> IssuedDocument:
    """Number, render and store a document of ``kind_key`` for ``case`` from the staff-entered
    ``fields``; a correction names the document it replaces, which stays on file unchanged."""
    kind = get_kind(kind_key)
    if kind is None:
        raise DomainError(_l("Unknown document."))
    lock_row(case)  # one issue at a time per case: what the step called for is checked on fresh rows
    at = at or clock.now()
    document, html = _prepare_issue(case, kind, fields, actor=actor, corrects=corrects, at=at)
    _store(case, document, render.html_to_pdf(html), actor=actor, corrects=corrects)
    return document


# -- batches ------------------------------------------------------------------------------------
#
# A batch is issued in the background: ``issue_batch`` checks it and stores it (queued, with the
# numbers already taken), the caller commits and calls ``start_batch``, which hands it to what the
# layer above registered (``ipcase.tasks.batches``: chunks of cases rendered by the queue's workers,
# ``issue_batch_chunk`` each, then ``complete_batch``).

#: what runs a committed batch (registered from above: documents never import the queue)
_batch_starters: list[Callable[[DocumentBatch], None]] = []


def register_batch_starter(starter: Callable[[DocumentBatch], None]) -> None:
    """The function that puts a committed batch's work on the queue (one; the last registered wins)."""
    _batch_starters[:] = [starter]


def start_batch(batch: DocumentBatch) -> None:
    """Put the committed ``batch``'s work on the queue (in tests: run it now)."""
    if not _batch_starters:
        raise RuntimeError("no batch starter registered: the app imports ipcase.tasks.batches")
    _batch_starters[0](batch)


def _batch_fields(fields: dict[str, Any]) -> dict[str, Any]:
    own = dict(fields)
    if "addressee" in own:
        own["addressee"] = 0  # each case's own parties: the notice goes to all of them
    return own


def issue_batch(cases: list[Case], kind_key: str, fields: dict[str, Any], *, actor: User | None) -> DocumentBatch:
    """The same notice for every case in ``cases``, to be issued in the background: checked for
    every case as an issue would be, the numbers taken now (from the counter, in the caller's
    transaction: a rollback leaves no gap), stored as a queued batch. Nothing is rendered; the
    caller commits, then :func:`start_batch`."""
    kind = get_kind(kind_key)
    if kind is None or not kind.batchable:
        raise DomainError(_l("This document cannot be issued in a batch."))
    if not cases:
        raise DomainError(("cases", _l("Choose at least one case.")))
    limit = current_app.config["DOCUMENT_BATCH_MAX"]
    if len(cases) > limit:
        raise DomainError(("cases", _l("At most %(n)d cases at once.", n=limit)))
    at = clock.now()
    year = clock.to_local(at).date().year
    code = document_code(kind)
    own = _batch_fields(fields)
    serials = []
    for case in cases:
        if str(case.channel) not in kind.channels:
            raise DomainError(_l("This document does not belong to this procedure."))
        check_fields(case, kind.key, with_recorded(case, kind.key, own))
        serials.append(next_number(case.organisation.numbering_owner_id, f"doc:{code}", year))
    batch = DocumentBatch(
        kind=kind.key,
        count=len(cases),
        status=BatchStatus.queued,
        done=0,
        case_ids=[case.id for case in cases],
        serials=serials,
        fields=own,
        issued_by_id=actor.id if actor else None,
        issued_at=at,
    )
    db.session.add(batch)
    db.session.flush()
    return batch


def batch_chunks(batch: DocumentBatch, size: int) -> list[list[int]]:
    """The batch's case ids in chunks of ``size``, in order."""
    ids = list(batch.case_ids)
    return [ids[i : i + size] for i in range(0, len(ids), size)]


#: a chunk's notices rendered and not yet stored: (case, document, PDF) each
RenderedChunk = list[tuple[Case, IssuedDocument, bytes]]


def render_batch_chunk(batch_id: int, case_ids: list[int]) -> RenderedChunk | None:
    """The batch's notices for ``case_ids`` not issued yet (a chunk run again skips what it did:
    one notice per case and batch, also a unique constraint), each numbered with what the batch
    took for its case, rendered; nothing written. None when the batch is gone or failed."""
    batch = db.session.get(DocumentBatch, batch_id)
    if batch is None or batch.status == BatchStatus.failed:
        return None
    kind = get_kind(batch.kind)
    if kind is None:
        raise DomainError(_l("Unknown document."))
    actor = db.session.get(User, batch.issued_by_id) if batch.issued_by_id else None
    serial_of = dict(zip(batch.case_ids, batch.serials, strict=True))
    issued = set(
        db.session.scalars(
            sa.select(IssuedDocument.case_id).where(
                IssuedDocument.batch_id == batch.id, IssuedDocument.case_id.in_(case_ids)
            )
        )
    )
    rendered: RenderedChunk = []
    for case_id in case_ids:
        if case_id in issued or case_id not in serial_of:
            continue
        case = db.session.get(Case, case_id)
        document, html = _prepare_issue(
            case, kind, dict(batch.fields), actor=actor, corrects=None, at=batch.issued_at, serial=serial_of[case_id]
        )
        document.batch_id = batch.id
        rendered.append((case, document, render.html_to_pdf(html)))
    return rendered


def store_batch_chunk(batch_id: int, rendered: RenderedChunk) -> int:
    """Store a rendered chunk and add its count to the batch's ``done`` in SQL (first: on SQLite
    the write lock is taken, and waited for, before anything else); ``done`` after it."""
    done = db.session.execute(
        sa.update(DocumentBatch)
        .where(DocumentBatch.id == batch_id)
        .values(done=DocumentBatch.done + len(rendered))
        .returning(DocumentBatch.done)
    ).scalar_one()
    for case, document, pdf in rendered:
        actor = db.session.get(User, document.issued_by_id) if document.issued_by_id else None
        _store(case, document, pdf, actor=actor, corrects=None)
    return done


def issue_batch_chunk(batch_id: int, case_ids: list[int]) -> int:
    """Render and store a chunk in the caller's transaction (:func:`render_batch_chunk`,
    :func:`store_batch_chunk`); ``done`` after it, -1 when the batch is gone or failed. The queue's
    task ends the reading transaction between the two instead (``ipcase.tasks.batches``)."""
    rendered = render_batch_chunk(batch_id, case_ids)
    if rendered is None:
        return -1
    return store_batch_chunk(batch_id, rendered)


def merge_pdfs(pdfs: list[bytes]) -> bytes:
    """Several PDFs as one, in order (each keeps its own pages and page numbers)."""
    writer = PdfWriter()
    for pdf in pdfs:
        writer.append(PdfReader(io.BytesIO(pdf)))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def complete_batch(batch_id: int) -> DocumentBatch | None:
    """When every notice of the batch is issued: the combined PDF (in the batch's case order),
    status complete. Again on a complete batch: nothing changes. None commits."""
    batch = db.session.get(DocumentBatch, batch_id)
    if batch is None or batch.status != BatchStatus.queued:
        return batch
    rows = db.session.execute(
        sa.select(IssuedDocument.case_id, IssuedDocument.pdf).where(IssuedDocument.batch_id == batch.id)
    )
    by_case = dict(rows.tuples().all())
    if len(by_case) < batch.count:
        raise RuntimeError(f"batch {batch.id}: {len(by_case)} of {batch.count} notices issued, nothing to combine yet")
    combined = merge_pdfs([by_case[case_id] for case_id in batch.case_ids])
    batch.pdf = combined
    batch.sha256 = hashlib.sha256(combined).hexdigest()
    batch.size = len(combined)
    batch.status = BatchStatus.complete
    batch.completed_at = clock.now()
    db.session.flush()
    return batch


def fail_batch(batch_id: int, error: str) -> bool:
    """Mark a batch that is not complete failed, with ``error``; whether it was. None commits."""
    result = db.session.execute(
        sa.update(DocumentBatch)
        .where(DocumentBatch.id == batch_id, DocumentBatch.status == BatchStatus.queued)
        .values(status=BatchStatus.failed, error=error[:2000])
    )
    return bool(result.rowcount)


# -- service ------------------------------------------------------------------------------------


def _event_already_started(case: Case, event: str, recipient: Party) -> bool:
    """Did a step (or an earlier service) already record ``event`` for ``recipient``? Seen from
    the periods it starts — the recipient's own, for periods that run per party (each party's
    lawsuit window runs from the service on it) — and from earlier service records that fired it."""
    rules = [r for r in RULES if r.trigger in (event, f"{event}_abroad") and r.channel in (str(case.channel), "any")]
    per_party = [r.id for r in rules if r.per_party]
    rule_ids = per_party or [r.id for r in rules]
    started = sa.select(sa.func.count()).select_from(Deadline).where(Deadline.case_id == case.id)
    earlier = (
        sa.select(sa.func.count())
        .select_from(ServiceRecord)
        .join(IssuedDocument)
        .where(IssuedDocument.case_id == case.id, ServiceRecord.event == event)
    )
    if per_party:
        started = started.where(Deadline.party_id == recipient.id)
        earlier = earlier.where(ServiceRecord.recipient_id == recipient.id)
    if rule_ids and db.session.scalar(started.where(Deadline.rule_id.in_(rule_ids))):
        return True
    return bool(db.session.scalar(earlier))


def record_service(
    document: IssuedDocument,
    *,
    recipient: Party,
    method: ServiceMethod,
    served_on: date,
    actor: User | None,
    signed_by: str = "",
    has_consent: bool = False,
    note: str = "",
) -> ServiceRecord:
    """Record service of ``document`` on ``recipient``. Public notice is deemed served 60 days
    after publication. Serving a document that starts a period (the defence notice, the decision)
    records that event, unless the step or an earlier service already did.
    Legal basis: [85]10 (methods, electronic service needs consent); domain.md §1 P10."""
    case = document.case
    lock_row(case)  # two services at once: the second sees the first (and its event) once it waits
    kind = get_kind(document.kind)
    if document.is_internal:
        raise DomainError(_l("An internal document is not served."))
    if recipient.case_id != case.id:
        raise DomainError(("recipient", _l("Choose a party of this case.")))
    if kind is not None and (method.value in kind.forbids or is_forbidden(method.value, kind.key)):
        raise DomainError(("method", _l("This document may not be served this way (domain rule P10).")))
    if SERVICE_DATE_RULES[method.value].needs_consent and not has_consent:
        raise DomainError(("has_consent", _l("Electronic service needs the recipient's consent ([85]10).")))
    published_on = None
    if method == ServiceMethod.public_notice:
        published_on = served_on
    served_on = service_day(method.value, served_on)
    today = clock.today()
    issued_on = clock.to_local(document.issued_at).date()
    if (published_on or served_on) < issued_on:
        raise DomainError(("served_on", _l("A document cannot be served before it was issued.")))
    if served_on > today:
        raise DomainError(
            (
                "served_on",
                _l("Service takes effect on %(date)s; record it from that day.", date=served_on.isoformat())
                if published_on
                else _l("Service cannot be recorded in the future."),
            )
        )
    service = ServiceRecord(
        document=document,
        recipient=recipient,
        method=method,
        served_on=served_on,
        published_on=published_on,
        signed_by=signed_by,
        has_consent=has_consent,
        note=note,
        recorded_by_id=actor.id if actor else None,
    )
    db.session.add(service)
    db.session.flush()
    record(
        case,
        "document.served",
        actor=actor,
        kind=EntryKind.positive,
        is_public=True,
        data={
            "title": document.title,
            "number": document.number,
            "name": recipient.name,
            "method": enum_ref(method),
            "date": served_on.isoformat(),
        },
    )
    if kind is not None and kind.service_event is not None:
        event, roles = kind.service_event
        if recipient.role.value in roles and not _event_already_started(case, event, recipient):
            at = service_instant(served_on, not_before=max(case.received_at, document.issued_at))
            record_service_event(case, event, party=recipient, at=at, actor=actor)
            service.event = event
    return service


# -- verification -------------------------------------------------------------------------------


def verify_by_code(number: str, code: str) -> IssuedDocument | None:
    """The issued document with this number and code, or None (the same None for a wrong
    number and a wrong code)."""
    document = queries.by_number((number or "").strip())
    given = normalise_code(code)
    expected = document.verification_code if document is not None else "X" * CODE_LENGTH
    match = hmac.compare_digest(given.encode(), expected.encode())
    return document if document is not None and match else None


def verify_by_file(content: bytes) -> IssuedDocument | None:
    """The issued document whose stored bytes these are, or None."""
    return queries.by_sha256(hashlib.sha256(content).hexdigest())
