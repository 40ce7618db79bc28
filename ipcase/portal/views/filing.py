"""Online filing: the steps of the request, each saved in a draft, the review and the filing itself."""

from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from flask import abort, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from werkzeug.datastructures import MultiDict

from ipcase.cases.enums import Channel
from ipcase.cases.validation import canonical_id_number, canonical_patent
from ipcase.core.errors import DomainError
from ipcase.core.extensions import db, limiter
from ipcase.core.forms import apply_domain_errors, opts
from ipcase.organisations.models import Organisation
from ipcase.portal import operations as ops
from ipcase.portal.forms import (
    EvidenceStep,
    OfficeStep,
    RequesterStep,
    RequestStep,
    RespondentStep,
    RightStep,
    SubmitForm,
)
from ipcase.portal.mail import send_receipt
from ipcase.portal.models import PortalAccess
from ipcase.portal.queries import office_name
from ipcase.portal.uploads import read_uploads
from ipcase.portal.views.blueprint import DRAFT_KEY, bp, submit_limit
from ipcase.portal.views.viewer import enter_case


@dataclass(frozen=True)
class Step:
    name: str
    form: type
    title: Any


STEPS: tuple[Step, ...] = (
    Step("office", OfficeStep, _l("Receiving office")),
    Step("requester", RequesterStep, _l("Requester and agents")),
    Step("respondent", RespondentStep, _l("Respondent")),
    Step("right", RightStep, _l("Your right")),
    Step("request", RequestStep, _l("Requests, facts and reasons")),
    Step("evidence", EvidenceStep, _l("Evidence list")),
)
STEP_BY_NAME = {s.name: s for s in STEPS}

FILING_TITLES = {
    Channel.adjudication: _l("Request for administrative adjudication of a patent dispute (专利侵权纠纷处理请求书)"),
    Channel.mediation: _l("Request for mediation of a patent dispute (调解请求书)"),
    Channel.station: _l("Complaint to a rights-protection workstation (投诉书)"),
    Channel.injunction: _l("Application for an administrative injunction (行政禁令申请书)"),
}


def _channel_or_404(value: str) -> Channel:
    try:
        return Channel(value)
    except ValueError:
        abort(404)


def _make_step_form(step: Step, channel: Channel, formdata: Any = None, *, csrf: bool = True) -> Any:
    kwargs: dict[str, Any] = {} if csrf else {"meta": {"csrf": False}}
    if formdata is not None:
        kwargs["formdata"] = formdata
    form = step.form(**kwargs)
    if step.name == "office":
        form.organisation_id.choices = opts([(o.id, office_name(o)) for o in ops.receiving_organisations(channel)])
    if step.name == "request":
        form.channel_value = channel.value
    return form


def _field_names(form: Any) -> set[str]:
    names = set()
    for f in form:
        if hasattr(f, "entries"):  # FieldList
            for entry in f.entries:
                names |= _field_names(entry.form) if hasattr(entry, "form") else {entry.name}
        elif hasattr(f, "form"):  # FormField
            names |= _field_names(f.form)
        else:
            names.add(f.name)
    return names - {"csrf_token", "website"}


def _raw(form: Any) -> dict[str, list[str]]:
    """The step's posted values, limited to the form's own fields (a forged form adds nothing)."""
    allowed = _field_names(form)
    return {k: [v[:10000] for v in request.form.getlist(k)][:5] for k in request.form if k in allowed}


def _domain_check(step: Step, form: Any) -> None:
    """The case file's own checks, run at the step so mistakes show where they were made."""
    if step.name in ("requester", "respondent"):
        sub = form[step.name].form
        try:
            canonical_id_number(sub.id_type.data, sub.id_number.data or "")
        except DomainError as exc:
            raise exc.prefixed(step.name) from exc
    if step.name == "right":
        sub = form.right.form
        if sub.right_type.data == "patent":
            try:
                canonical_patent(sub.number.data or "", sub.patent_type.data or None)
            except DomainError as exc:
                raise exc.prefixed("right") from exc


def _draft(channel: Channel) -> Any:
    return ops.load_draft(session.get(DRAFT_KEY), channel, lock=request.method == "POST")


def _restart(channel: Channel) -> Any:
    flash(_("Your filing was not found or has expired (drafts are kept for 24 hours). Please start again."), "warning")
    return redirect(url_for(".file_step", channel=channel.value, step=STEPS[0].name))


@bp.route("/file/<channel>/<step>", methods=["GET", "POST"])
@limiter.limit(submit_limit, methods=["POST"], exempt_when=lambda: request.view_args.get("step") != "office")
def file_step(channel: str, step: str) -> Any:
    ch = _channel_or_404(channel)
    s = STEP_BY_NAME.get(step) or abort(404)
    draft = _draft(ch)
    if draft is None and s.name != STEPS[0].name:
        return _restart(ch)
    index = STEPS.index(s)
    if draft is not None:
        missing = next((p for p in STEPS[:index] if p.name not in draft.data), None)
        if missing is not None:
            return redirect(url_for(".file_step", channel=ch.value, step=missing.name))
    if request.method == "POST":
        form = _make_step_form(s, ch)
        if form.validate_on_submit():
            try:
                _domain_check(s, form)
            except DomainError as exc:
                apply_domain_errors(form, exc)
            else:
                if draft is None:
                    draft, token = ops.start_draft(ch)
                    session[DRAFT_KEY] = token
                ops.save_step(draft, s.name, _raw(form))
                db.session.commit()
                following = STEPS[index + 1].name if index + 1 < len(STEPS) else None
                if following is None:
                    return redirect(url_for(".file_review", channel=ch.value))
                return redirect(url_for(".file_step", channel=ch.value, step=following))
    else:
        saved = (draft.data or {}).get(s.name) if draft is not None else None
        form = _make_step_form(s, ch, MultiDict(_pairs(saved)) if saved else None)
    status = 422 if form.errors or form.form_errors else 200
    return render_template(
        "portal/file_step.html",
        channel=ch,
        filing_title=FILING_TITLES[ch],
        steps=STEPS,
        step=s,
        index=index,
        form=form,
        done={p.name for p in STEPS if draft is not None and p.name in draft.data},
    ), status


def _pairs(raw: Any) -> list[tuple[str, str]]:
    if not isinstance(raw, dict):
        return []
    return [(k, v) for k, values in raw.items() if isinstance(values, list) for v in values if isinstance(v, str)]


def _validated_steps(draft: Any, channel: Channel) -> tuple[dict[str, Any], Step | None]:
    """Every step's form rebuilt from the draft and validated again; the first failing step."""
    forms = {}
    for s in STEPS:
        raw = (draft.data or {}).get(s.name)
        form = _make_step_form(s, channel, MultiDict(_pairs(raw)), csrf=False)
        forms[s.name] = form
        if raw is None or not form.validate():
            return forms, s
        try:
            _domain_check(s, form)
        except DomainError:
            return forms, s
    return forms, None


def describe(form: Any) -> list[tuple[str, str]]:
    """(label, value) of a step's filled-in fields, choices by their labels, for the review page."""
    pairs: list[tuple[str, str]] = []
    for f in form:
        if f.type in ("CSRFTokenField", "HiddenField", "FieldList") or f.short_name == "website":
            continue
        if f.type == "FormField":
            pairs += [(f"{f.label.text} · {label}", value) for label, value in describe(f.form)]
            continue
        value = f.data
        if value is None or value == "":
            continue
        if f.type in ("SelectField", "RadioField"):
            value = next((label for val, label, selected, *_ in f.iter_choices() if selected), value)
        elif f.type == "BooleanField":
            value = _("yes") if value else _("no")
        pairs.append((str(f.label.text), str(value)))
    return pairs


def _filing(channel: Channel, forms: dict[str, Any]) -> ops.Filing:
    req = forms["request"]
    channel_data = {
        Channel.adjudication: {"accused_product": req.accused_product.data or ""},
        Channel.mediation: {
            "mediation_type": req.mediation_type.data,
            "subject": req.subject.data or None,
            "infringement_decision_no": req.infringement_decision_no.data or "",
            "infringement_decision_on": req.infringement_decision_on.data,
            "claimed_amount": req.claimed_amount.data,
        },
        Channel.station: {"booth": req.booth.data or "", "platform_link": req.platform_link.data or ""},
        Channel.injunction: {
            "urgency_facts": req.urgency_facts.data or "",
            "bond_amount": req.bond_amount.data,
            "bond_form": req.bond_form.data or "",
        },
    }[channel]
    requester_step = forms["requester"]
    agents = [a for a in (requester_step.agent1.form.to_command(), requester_step.agent2.form.to_command()) if a]
    return ops.Filing(
        channel=channel,
        organisation=db.session.get_one(Organisation, forms["office"].organisation_id.data),
        requester=requester_step.requester.form.to_command(),
        respondent=forms["respondent"].respondent.form.to_command(),
        right=forms["right"].right.form.to_command(),
        requests=req.requests.data,
        facts=req.facts.data,
        channel_data=channel_data,
        agents=agents,
        evidence=forms["evidence"].items(),
    )


@bp.route("/file/<channel>/review", methods=["GET", "POST"])
@limiter.limit(submit_limit, methods=["POST"])
def file_review(channel: str) -> Any:
    ch = _channel_or_404(channel)
    draft = _draft(ch)
    if draft is None:
        return _restart(ch)
    forms, failing = _validated_steps(draft, ch)
    if failing is not None:
        flash(_("Please complete or correct this step first."), "warning")
        return redirect(url_for(".file_step", channel=ch.value, step=failing.name))
    form = SubmitForm()
    if form.validate_on_submit():
        try:
            uploads = read_uploads(request.files, field="file")
            filing = _filing(ch, forms)
            case, requester, code = ops.file_online(filing, uploads)
        except DomainError as exc:
            db.session.rollback()
            for _name, message in exc.reasons:
                form.form_errors.append(message)
        else:
            ops.discard_draft(draft)
            access = db.session.scalar(
                sa.select(PortalAccess).where(PortalAccess.party_id == requester.id, PortalAccess.revoked_at.is_(None))
            )
            receipt_sent = send_receipt(form.email.data, case) if form.email.data else None
            db.session.commit()
            session.pop(DRAFT_KEY, None)
            enter_case(requester, access)
            # Shown once, never redirected to: the code must not travel in a URL or a cookie.
            return render_template(
                "portal/filed.html", case=case, code=code, receipt_sent=receipt_sent, email=form.email.data
            )
    status = 422 if form.errors or form.form_errors else 200
    return render_template(
        "portal/file_review.html",
        channel=ch,
        filing_title=FILING_TITLES[ch],
        steps=STEPS,
        summary=[(s, describe(forms[s.name])) for s in STEPS if s.name != "evidence"],
        form=form,
        evidence=forms["evidence"].items(),
        max_files=current_app.config["PORTAL_UPLOAD_MAX_FILES"],
        max_mb=current_app.config["PORTAL_UPLOAD_MAX_BYTES"] // (1024 * 1024),
    ), status


@bp.post("/file/discard")
def file_discard() -> Any:
    token = session.pop(DRAFT_KEY, None)
    for ch in Channel:
        draft = ops.load_draft(token, ch)
        if draft is not None:
            ops.discard_draft(draft)
            db.session.commit()
    flash(_("Your unfinished filing has been deleted."), "info")
    return redirect(url_for(".index"))
