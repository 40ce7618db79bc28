"""Document pages: the panel on the case page, prepare (form, preview, issue), correction,
download, service, batches, the public verification page and the renderer's status page."""

from typing import Any
from urllib.parse import quote

import sqlalchemy as sa
from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    jsonify,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.exc import IntegrityError

from ipcase.auth.models import CASE_HANDLERS, Role
from ipcase.auth.permissions import require_role
from ipcase.cases.models import Case, TimelineEntry
from ipcase.cases.permissions import can_view, visible_org_ids
from ipcase.cases.registry import get_channel
from ipcase.core import clock
from ipcase.core.errors import DomainError
from ipcase.core.extensions import db, limiter
from ipcase.core.forms import apply_domain_errors, opts
from ipcase.deadlines.triggers import EVENT_LABELS
from ipcase.documents import operations as ops
from ipcase.documents import queries, render
from ipcase.documents.forms import BatchForm, DocumentForm, ServiceForm, VerifyForm
from ipcase.documents.kinds import DocumentKind
from ipcase.documents.models import BatchStatus, DocumentBatch, IssuedDocument, ServiceMethod
from ipcase.documents.registry import get_kind
from ipcase.documents.snapshots import build_snapshot
from ipcase.documents.steps import recorded, step_missing

bp = Blueprint("documents", __name__)

#: verification uploads: a PDF larger than this was not issued here
VERIFY_MAX_BYTES = 5 * 1024 * 1024


def _case_or_404(case_id: int) -> Case:
    case = db.session.get(Case, case_id)
    if case is None or not can_view(current_user, case):
        abort(404)
    return case


def _document_or_404(document_id: int) -> IssuedDocument:
    document = db.session.get(IssuedDocument, document_id)
    if document is None or not can_view(current_user, document.case):
        abort(404)
    return document


def _is_staff_reader() -> bool:
    return current_user.is_authenticated and current_user.role != Role.party


def _pdf_response(content: bytes, filename: str) -> Any:
    response = make_response(content)
    response.headers["Content-Type"] = "application/pdf"
    response.headers["Content-Disposition"] = (
        f"attachment; filename=\"document.pdf\"; filename*=UTF-8''{quote(filename)}"
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


# -- the case page's panel ----------------------------------------------------------------------


def documents_panel(case: Case) -> dict[str, Any]:
    """What ``documents/_case_panel.html`` shows: the issued documents the viewer may see and,
    for staff who may issue, the documents the case's steps call for."""
    if not current_user.is_authenticated:
        return {"show": False}
    staff = _is_staff_reader()
    issued = queries.readable_for_case(case, current_user)  # a party: only what was served on it
    issuer = ops.can_issue(current_user, case)
    wanted = []
    if issuer:
        for kind, key, step, taken in ops.called_for(case, current_user):
            done = [d for d in issued if d.kind == key]
            wanted.append(
                {
                    "kind": kind,
                    "key": key,
                    "step": step,
                    "taken": taken,
                    "done": done,
                    "may": kind is not None and ops.can_issue(current_user, case, kind),
                }
            )
    service_form = None
    if issuer and any(not d.is_internal for d in issued):
        service_form = ServiceForm(prefix="service", formdata=None)
        service_form.recipient.choices = opts([(p.id, f"{p.name} ({p.role.label})") for p in case.parties])
        service_form.method.choices = opts(ServiceMethod.choices())
    own_parties: set[int] | None = None  # a party account: the parties it is or acts for
    if not staff:
        own_parties = set(db.session.scalars(queries.parties_of_account(current_user, case)))
    return {
        "show": bool(issued or wanted),
        "issued": issued,
        "readable": {d.id for d in issued},
        "own_parties": own_parties,
        "wanted": wanted,
        "issuer": issuer,
        "service_form": service_form,
        "staff": staff,
    }


@bp.app_context_processor
def _inject_panel() -> dict[str, Any]:
    return {"documents_panel": documents_panel}


# -- prepare, preview, issue, correct -----------------------------------------------------------


def _step_details(case: Case, kind_key: str) -> dict[str, Any]:
    """The structured details of the latest step that called for this document (hearing time,
    place ...), to pre-fill fields of the same name."""
    workflow = case.channel_def.workflow
    if workflow is None:
        return {}
    actions = {t.action for t in workflow.transitions if kind_key in t.documents}
    entries = db.session.scalars(
        sa.select(TimelineEntry)
        .where(TimelineEntry.case_id == case.id, TimelineEntry.event == "case.transition")
        .order_by(TimelineEntry.id.desc())
    )
    for entry in entries:
        action = (entry.data or {}).get("action") or {}
        if isinstance(action, dict) and action.get("step") in actions:
            details = dict((entry.data or {}).get("details") or {})
            # the hearing step's names for what the notice calls is_online / is_public
            if "online" in details:
                details["is_online"] = bool(details["online"])
            if "publicity" in details:
                details["is_public"] = details["publicity"] == "public"
            return details
    return {}


def _form_for(kind: DocumentKind, case: Case, initial: dict[str, Any] | None) -> DocumentForm:
    rec = recorded(case, kind.key)
    if request.method == "POST":
        return kind.form().prepare(case).lock(rec.locked, rec.step_label)
    form = kind.form(formdata=None).prepare(case)
    if initial is None:
        values = form.defaults(case) | _step_details(case, kind.key) | rec.prefill | rec.locked
    else:
        values = initial | rec.locked
    return form.fill(values).lock(rec.locked, rec.step_label)


def _prepare_page(case: Case, kind: DocumentKind, *, correcting: IssuedDocument | None = None) -> Any:
    initial = dict(correcting.snapshot.get("fields") or {}) if correcting else None
    form = _form_for(kind, case, initial)
    action = (
        url_for(".correct", document_id=correcting.id)
        if correcting
        else url_for(".prepare", case_id=case.id, doc_kind=kind.key)
    )
    page = {"case": case, "kind_def": kind, "form": form, "form_action": action, "correcting": correcting}
    if request.method == "POST" and form.validate_on_submit():
        if request.form.get("do") == "issue":
            try:
                document = ops.issue_document(case, kind.key, form.plain(), actor=current_user, corrects=correcting)
            except DomainError as exc:
                db.session.rollback()
                apply_domain_errors(form, exc)
            else:
                db.session.commit()
                flash(_("%(title)s issued as %(number)s.", title=document.title, number=document.number), "success")
                return redirect(url_for("cases.show_case", case_id=case.id) + "#documents")
        else:
            snapshot = build_snapshot(case, kind, form.plain(), issued_on=clock.today())
            snapshot["meta"] = {"number": "", "corrects": correcting.number if correcting else None}
            html = render.render_html(kind.template_file, snapshot, preview=True, show_preview=True, **page)
            return html
    status = 422 if request.method == "POST" else 200
    snapshot_stub: dict[str, Any] = {"meta": {}}
    return render.render_html(kind.template_file, snapshot_stub, preview=True, show_preview=False, **page), status


@bp.route("/cases/<id:case_id>/documents/<doc_kind>", methods=["GET", "POST"])
@require_role(*CASE_HANDLERS)
def prepare(case_id: int, doc_kind: str) -> Any:
    case = _case_or_404(case_id)
    kind = get_kind(doc_kind)
    if kind is None or str(case.channel) not in kind.channels:
        abort(404)
    if not ops.can_issue(current_user, case, kind):
        abort(403)
    if not ops.may_prepare(case, kind, current_user):
        flash(_("No step of this case calls for this document now."), "warning")
        return redirect(url_for("cases.show_case", case_id=case.id) + "#documents")
    missing = step_missing(case, kind.key)
    if missing:
        flash(str(missing), "warning")
        return redirect(url_for("cases.show_case", case_id=case.id) + "#documents")
    return _prepare_page(case, kind)


@bp.route("/documents/<id:document_id>/correct", methods=["GET", "POST"])
@require_role(*CASE_HANDLERS)
def correct(document_id: int) -> Any:
    document = _document_or_404(document_id)
    kind = get_kind(document.kind)
    if kind is None:
        abort(404)
    if not ops.can_issue(current_user, document.case, kind):
        abort(403)
    if document.corrections:
        flash(_("This document was already corrected; correct the newest one."), "warning")
        return redirect(url_for("cases.show_case", case_id=document.case_id) + "#documents")
    return _prepare_page(document.case, kind, correcting=document)


@bp.get("/documents/<id:document_id>/pdf")
def download(document_id: int) -> Any:
    document = _document_or_404(document_id)
    if not queries.may_read(current_user, document):
        abort(404)  # a party: not served on it (the same answer as for a document that does not exist)
    return _pdf_response(document.pdf, f"{document.number}.pdf")


# -- service ------------------------------------------------------------------------------------


@bp.post("/documents/<id:document_id>/service")
@require_role(*CASE_HANDLERS)
def record_service(document_id: int) -> Any:
    document = _document_or_404(document_id)
    if not ops.can_issue(current_user, document.case):
        abort(403)
    form = ServiceForm(prefix="service").prepare(document)
    back = redirect(url_for("cases.show_case", case_id=document.case_id) + "#documents")
    if not form.validate_on_submit():
        for name, errors in form.errors.items():
            label = form[name].label.text if name in form else ""
            for message in errors:
                flash(f"{label}: {message}" if label else message, "danger")
        return back
    recipient = next(p for p in document.case.parties if p.id == form.recipient.data)
    try:
        service = ops.record_service(
            document,
            recipient=recipient,
            method=ServiceMethod(form.method.data),
            served_on=form.served_on.data,
            signed_by=form.signed_by.data or "",
            has_consent=bool(form.has_consent.data),
            note=form.note.data or "",
            actor=current_user,
        )
    except DomainError as exc:
        db.session.rollback()
        for message in exc.messages:
            flash(message, "danger")
        return back
    db.session.commit()
    flash(_("Service recorded."), "success")
    if service.event:
        flash(_("Recorded on the case: %(event)s.", event=EVENT_LABELS.get(service.event, service.event)), "info")
    return back


# -- batches ------------------------------------------------------------------------------------


def _batch_cases(kind: DocumentKind) -> list[Case]:
    """Open cases of the user's organisations where a step calls for the notice: first the states
    around those steps (in SQL), then each case's own steps and conditions."""
    wanted = []
    for channel in sorted(kind.channels):
        workflow = get_channel(channel).workflow
        states = set()
        for t in workflow.transitions if workflow else ():
            if kind.key in t.documents:
                # before the step (it is open) or just after it (it was taken)
                states |= workflow.sources_of(t) | ({t.target} if t.target else set())
        if states:
            wanted.append(sa.and_(Case.channel == channel, Case.state.in_(sorted(states))))
    if not wanted:
        return []
    rows = db.session.scalars(
        sa.select(Case)
        .where(Case.organisation_id.in_(visible_org_ids(current_user)), Case.closed_at.is_(None), sa.or_(*wanted))
        .order_by(Case.received_at.desc(), Case.id.desc())
        .limit(current_app.config["DOCUMENT_BATCH_MAX"])
    )
    return [c for c in rows if ops.may_prepare(c, kind, current_user)]


@bp.route("/documents/batch/<doc_kind>", methods=["GET", "POST"])
@require_role(*CASE_HANDLERS)
def batch(doc_kind: str) -> Any:
    kind = get_kind(doc_kind)
    if kind is None or not kind.batchable:
        abort(404)
    candidates = _batch_cases(kind)
    by_id = {c.id: c for c in candidates}
    form = BatchForm(prefix="batch")
    form.cases.choices = opts([(c.id, f"{c.number or c.id} {c.title}") for c in candidates])
    parts = kind.form(prefix="parts") if request.method == "POST" else kind.form(prefix="parts", formdata=None)
    if candidates:
        parts.prepare(candidates[0])
        if request.method == "GET":
            parts.fill(parts.defaults(candidates[0]))
    if "addressee" in parts._fields:
        del parts["addressee"]  # every case's own parties
    if request.method == "POST":
        ok = form.validate_on_submit()
        ok = parts.validate() and ok
        if ok:
            chosen = [by_id[i] for i in form.cases.data if i in by_id]
            try:
                made = ops.issue_batch(chosen, kind.key, parts.plain() | {"addressee": 0}, actor=current_user)
            except DomainError as exc:
                db.session.rollback()
                apply_domain_errors(form, exc)
            except IntegrityError:
                db.session.rollback()
                form.form_errors.append(_("Another batch took the same numbers; please issue again."))
            else:
                db.session.commit()
                ops.start_batch(made)  # after the commit: the workers see the batch
                return redirect(url_for(".show_batch", batch_id=made.id))
    status = 422 if request.method == "POST" else 200
    return render_template("documents/batch.html", kind_def=kind, form=form, parts=parts, candidates=candidates), status


def _batch_or_404(batch_id: int, *roles: Role) -> DocumentBatch:
    """The batch, for staff of ``roles`` who see every one of its cases (404 as for a missing one)."""
    made = db.session.get(DocumentBatch, batch_id)
    if made is None:
        abort(404)
    case_ids = set(made.case_ids) | {d.case_id for d in made.documents}
    cases = db.session.scalars(sa.select(Case).where(Case.id.in_(case_ids))).all()
    if len(cases) != len(case_ids) or not all(can_view(current_user, c) for c in cases):
        abort(404)
    if current_user.role not in roles:
        abort(403)
    return made


def _batch_progress(made: DocumentBatch) -> dict[str, Any]:
    return {
        "id": made.id,
        "status": made.status.value,
        "status_label": str(made.status.label),
        "done": made.done,
        "total": made.count,
        "error": made.error,
    }


@bp.get("/documents/batches/<id:batch_id>")
@require_role(*CASE_HANDLERS)
def show_batch(batch_id: int) -> Any:
    """The batch's progress (a bar; the page polls :func:`batch_status`), then its documents."""
    made = _batch_or_404(batch_id, *CASE_HANDLERS)
    documents = []
    if made.status == BatchStatus.complete:
        order = {case_id: i for i, case_id in enumerate(made.case_ids)}
        documents = sorted(made.documents, key=lambda d: order.get(d.case_id, len(order)))
    return render_template("documents/batch_progress.html", batch=made, documents=documents)


@bp.get("/documents/batches/<id:batch_id>/status")
@require_role(*CASE_HANDLERS)
def batch_status(batch_id: int) -> Any:
    """The batch's progress as JSON: status, done, total, error."""
    response = jsonify(_batch_progress(_batch_or_404(batch_id, *CASE_HANDLERS)))
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/documents/batches/<id:batch_id>/pdf")
@require_role(*CASE_HANDLERS, Role.admin)
def download_batch(batch_id: int) -> Any:
    made = _batch_or_404(batch_id, *CASE_HANDLERS, Role.admin)
    if made.status != BatchStatus.complete or made.pdf is None:
        abort(404)
    return _pdf_response(made.pdf, f"batch-{made.id}.pdf")


# -- public verification ------------------------------------------------------------------------


def _verify_limit() -> str:
    return current_app.config["DOCUMENT_VERIFY_RATE_LIMIT"]


@bp.route("/verify", methods=["GET", "POST"])
@limiter.limit(_verify_limit, exempt_when=lambda: request.method == "GET" and not request.args.get("code"))
def verify() -> Any:
    """Authentic or not, and only the number, date and office: never the content. One answer
    for every failure (unknown number, wrong code, changed file, honeypot)."""
    form = VerifyForm(formdata=request.args) if request.method == "GET" else VerifyForm()
    result: dict[str, Any] | None = None
    if request.method == "GET":
        if form.number.data and form.code.data:  # the QR code's link
            result = _verdict(ops.verify_by_code(form.number.data, form.code.data))
    elif form.validate_on_submit():
        upload = form.upload.data
        has_file = upload is not None and bool(getattr(upload, "filename", ""))
        if not has_file and not (form.number.data and form.code.data):
            form.form_errors.append(_("Enter the document number and the verification code, or choose the file."))
        elif form.website.data:
            result = _verdict(None)
        elif has_file:
            content = upload.read(VERIFY_MAX_BYTES + 1)
            result = _verdict(ops.verify_by_file(content) if len(content) <= VERIFY_MAX_BYTES else None)
        else:
            result = _verdict(ops.verify_by_code(form.number.data, form.code.data))
    else:
        result = _verdict(None)
    response = make_response(render_template("documents/verify.html", form=form, result=result))
    response.headers["Cache-Control"] = "no-store"
    return response


def _verdict(document: IssuedDocument | None) -> dict[str, Any]:
    if document is None:
        return {"ok": False}
    newer = document.corrections[-1].number if document.corrections else None
    return {
        "ok": True,
        "number": document.number,
        "issued_on": clock.to_local(document.issued_at).date(),
        "office": document.issuing_office,
        "corrected_by": newer,
    }


# -- the renderer's status (administrators) -----------------------------------------------------


@bp.get("/documents/status")
@require_role(Role.admin)
def status() -> Any:
    counts = db.session.execute(
        sa.select(IssuedDocument.kind, sa.func.count()).group_by(IssuedDocument.kind).order_by(IssuedDocument.kind)
    ).all()
    return render_template("documents/status.html", report=render.subsetter_report(), counts=counts)
