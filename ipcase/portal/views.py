"""The public portal: online filing, the status check, acting online, party accounts and the
survey; plus the two staff routes behind the case page's portal panel.

Security (style §I, SD ``source_app``): one uniform error for any wrong reference or code,
attempts rate-limited per address and wrong codes slowed down per address (never refusing a right
code for a case whose reference is known to all, see ``portal.access``), a honeypot on every public form,
CSRF on every POST, ``no-store`` and ``noindex`` on every page, no inline script or style."""

from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, urlsplit

import sqlalchemy as sa
from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_user, logout_user
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import IntegrityError
from werkzeug.datastructures import ImmutableMultiDict, MultiDict

from ipcase.auth.models import Role
from ipcase.auth.operations import authenticate, create_party_account
from ipcase.cases.enums import Channel
from ipcase.cases.models import Case, Party
from ipcase.cases.permissions import can_view, visible_org_ids
from ipcase.cases.validation import canonical_id_number, canonical_patent
from ipcase.core import clock
from ipcase.core.errors import DomainError
from ipcase.core.extensions import db, limiter
from ipcase.core.forms import apply_domain_errors, opts
from ipcase.core.views import commit_or_flash
from ipcase.organisations.models import Organisation
from ipcase.portal import access as throttle
from ipcase.portal import operations as ops
from ipcase.portal.access import find_access
from ipcase.portal.forms import (
    AccessForm,
    EvidenceStep,
    HandledForm,
    IssueCodeForm,
    OfficeStep,
    PortalLoginForm,
    RegisterForm,
    RequesterStep,
    RequestStep,
    RespondentStep,
    RightStep,
    SubmissionForm,
    SubmitForm,
    SurveyForm,
)
from ipcase.portal.mail import send_receipt
from ipcase.portal.models import PortalAccess, PortalRequest, RequestKind
from ipcase.portal.queries import office_name, own_cases, served_document, status_page
from ipcase.portal.status import public_status, why_not_online
from ipcase.portal.uploads import read_uploads

bp = Blueprint("portal", __name__)

#: session keys: the draft's token, and who is looking at which case
DRAFT_KEY = "portal_draft"
VIEWER_KEY = "portal"

#: the one answer to any wrong case reference or access code
UNIFORM_ERROR = _l("The case reference and access code do not match. Check both and try again.")


# -- limits (read from the config at request time) ------------------------------------------------


def _access_limit() -> str:
    return current_app.config["PORTAL_ACCESS_RATE_LIMIT"]


def _submit_limit() -> str:
    return current_app.config["PORTAL_SUBMIT_RATE_LIMIT"]


def _login_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


# -- every portal response ------------------------------------------------------------------------------


@bp.after_request
def private_and_unindexed(response: Any) -> Any:
    # Case data and one-time codes must not linger in any cache, nor be indexed.
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Robots-Tag"] = "noindex, nofollow"
    return response


ERRORS = {
    400: (_l("Bad request"), _l("The request could not be understood. Please go back and try again.")),
    403: (_l("Not allowed"), _l("You may not see this page or take this action.")),
    404: (_l("Not found"), _l("There is nothing at this address.")),
    405: (_l("Not allowed"), _l("This action cannot be taken this way.")),
    413: (_l("Too large"), _l("What you sent is too large. Send fewer or smaller files.")),
    429: (_l("Too many attempts"), _l("Too many attempts. Please wait a while and try again.")),
}


def _error_page(exc: Any) -> Any:
    code = getattr(exc, "code", 400) or 400
    title, message = ERRORS.get(code, ERRORS[400])
    db.session.rollback()
    if code == 413:
        # The body was refused unread; every later look at the form (the layout's language
        # switch) would raise again. Record it as empty, as werkzeug does once it parses a body.
        request.__dict__.update(form=ImmutableMultiDict(), files=ImmutableMultiDict())
    template = "errors/error.html" if (request.endpoint or "").startswith("portal.staff_") else "portal/error.html"
    return render_template(template, code=code, title=title, message=message), code


for _code in ERRORS:
    bp.register_error_handler(_code, _error_page)


@bp.errorhandler(CSRFError)
def csrf_error(_exc: CSRFError) -> Any:
    """As on the staff side (a CSRFError is a 400, which the portal's own 400 page would catch
    first): a friendly message on the page the form came from, never a bare error."""
    db.session.rollback()
    flash(_l("Your form expired or was not sent from this site. Please fill it in again."), "warning")
    referrer = request.referrer or ""
    parts = urlsplit(referrer)
    local = referrer and parts.netloc in ("", request.host) and parts.path.startswith("/portal/")
    return redirect(referrer if local else url_for(".index"))


# -- landing page ----------------------------------------------------------------------------------------


@bp.get("/")
def index() -> Any:
    return render_template("portal/index.html", channels=list(Channel), form=AccessForm())


# -- online filing -------------------------------------------------------------------------------------------


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
@limiter.limit(_submit_limit, methods=["POST"], exempt_when=lambda: request.view_args.get("step") != "office")
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
@limiter.limit(_submit_limit, methods=["POST"])
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
            db.session.commit()
            session.pop(DRAFT_KEY, None)
            _enter(requester, access)
            receipt_sent = send_receipt(form.email.data, case) if form.email.data else None
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


# -- status check ---------------------------------------------------------------------------------------------


def _enter(party: Party, access: PortalAccess | None) -> None:
    """Remember, in the signed session, which party of which case this browser may see."""
    session[VIEWER_KEY] = {
        "case": party.case_id,
        "party": party.id,
        "access": access.id if access is not None else None,
        "at": clock.now().timestamp(),
    }


def _viewer() -> tuple[Case, Party] | None:
    """The case and party this browser may see now, or None (expired, revoked, or never)."""
    info = session.get(VIEWER_KEY)
    if not isinstance(info, dict):
        return None
    try:
        idle = clock.now().timestamp() - float(info["at"])
        party = db.session.get(Party, int(info["party"]))
    except (KeyError, TypeError, ValueError, OverflowError):
        session.pop(VIEWER_KEY, None)
        return None
    minutes = current_app.config["PORTAL_SESSION_MINUTES"]
    if party is None or party.case_id != info.get("case") or not 0 <= idle <= minutes * 60:
        session.pop(VIEWER_KEY, None)
        return None
    if info.get("access"):
        access = db.session.get(PortalAccess, int(info["access"]))
        if access is None or not access.is_active or access.party_id != party.id:
            session.pop(VIEWER_KEY, None)
            return None
    elif not (current_user.is_authenticated and current_user.role == Role.party and party.user_id == current_user.id):
        session.pop(VIEWER_KEY, None)
        return None
    info["at"] = clock.now().timestamp()  # the session lasts while it is used
    session[VIEWER_KEY] = info
    return party.case, party


def _viewer_or_redirect() -> Any:
    viewer = _viewer()
    if viewer is None:
        flash(_("Enter your case reference and access code to see your case."), "info")
    return viewer


def _check_code(form: AccessForm) -> PortalAccess | None:
    """The access row the form's reference and code open, or None with the uniform error.

    An address that guessed wrong too often is refused (429) before its code is checked; a right
    code from any other address always opens its case, however many wrong codes were tried for the
    case's reference. The first time a reference is found under attack, its case's staff see it."""
    reference, address = form.reference.data, request.remote_addr
    if not throttle.admit(reference, address):
        abort(429)
    found = find_access(reference, form.code.data)
    if found is not None:
        throttle.release(reference, address)
        return found
    failure = throttle.record_failure(reference, address)
    if failure.attack_began and throttle.tell_staff(reference):
        db.session.commit()
    form.form_errors.append(UNIFORM_ERROR)
    return None


@bp.route("/status/access", methods=["GET", "POST"])
@limiter.limit(_access_limit, methods=["POST"])
def access() -> Any:
    form = AccessForm()
    if form.validate_on_submit():
        found = _check_code(form)
        if found is not None:
            db.session.commit()  # last use
            _enter(found.party, found)
            return redirect(url_for(".status"))
    return render_template("portal/access.html", form=form), (422 if form.errors or form.form_errors else 200)


@bp.get("/status")
def status() -> Any:
    viewer = _viewer_or_redirect()
    if viewer is None:
        return redirect(url_for(".access"))
    case, party = viewer
    return render_template("portal/status.html", page=status_page(case, party), kinds=RequestKind)


@bp.get("/status/documents/<id:document_id>")
def document(document_id: int) -> Any:
    viewer = _viewer_or_redirect()
    if viewer is None:
        return redirect(url_for(".access"))
    _case, party = viewer
    found = served_document(party, document_id)
    if found is None:
        abort(404)
    response = make_response(found.pdf)
    response.headers["Content-Type"] = "application/pdf"
    filename = quote(f"{found.number}.pdf")
    response.headers["Content-Disposition"] = f"attachment; filename=\"document.pdf\"; filename*=UTF-8''{filename}"
    return response


@bp.post("/status/leave")
def leave() -> Any:
    session.pop(VIEWER_KEY, None)
    flash(_("You have left the case page."), "info")
    return redirect(url_for(".index"))


@bp.route("/status/act/<kind>", methods=["GET", "POST"])
@limiter.limit(_submit_limit, methods=["POST"])
def act(kind: str) -> Any:
    try:
        request_kind = RequestKind(kind)
    except ValueError:
        abort(404)
    viewer = _viewer_or_redirect()
    if viewer is None:
        return redirect(url_for(".access"))
    case, party = viewer
    refusal = why_not_online(case.channel, case.state, party.role, request_kind.value, is_closed=case.is_closed)
    if refusal:
        flash(str(refusal), "warning")
        return redirect(url_for(".status"))
    form = SubmissionForm()
    if form.validate_on_submit():
        try:
            uploads = read_uploads(request.files, field="file")
            ops.submit_request(case, party, request_kind, text=form.text.data or "", uploads=uploads)
        except DomainError as exc:
            db.session.rollback()
            apply_domain_errors(form, exc)
        else:
            db.session.commit()
            flash(_("Sent. The office has received it and will tell you what happens next."), "success")
            return redirect(url_for(".status"))
    return render_template(
        "portal/act.html",
        kind=request_kind,
        case=case,
        party=party,
        form=form,
        max_files=current_app.config["PORTAL_UPLOAD_MAX_FILES"],
        max_mb=current_app.config["PORTAL_UPLOAD_MAX_BYTES"] // (1024 * 1024),
    ), (422 if form.errors or form.form_errors else 200)


@bp.route("/status/survey", methods=["GET", "POST"])
@limiter.limit(_submit_limit, methods=["POST"])
def survey() -> Any:
    viewer = _viewer_or_redirect()
    if viewer is None:
        return redirect(url_for(".access"))
    case, party = viewer
    if not ops.can_rate(case, party):
        flash(
            _("You have already rated this case. Thank you.")
            if case.is_closed
            else _("The survey opens when the case is closed."),
            "info",
        )
        return redirect(url_for(".status"))
    form = SurveyForm()
    if form.validate_on_submit():
        try:
            ops.record_survey(case, party, score=int(form.score.data), comment=form.comment.data or "")
            db.session.commit()
        except DomainError as exc:
            db.session.rollback()
            apply_domain_errors(form, exc)
        except IntegrityError:
            # a second answer sent at the same moment: the unique constraint keeps one
            db.session.rollback()
            flash(_("You have already rated this case. Thank you."), "info")
            return redirect(url_for(".status"))
        else:
            flash(_("Thank you for your rating."), "success")
            return redirect(url_for(".status"))
    status_code = 422 if form.errors or form.form_errors else 200
    return render_template("portal/survey.html", case=case, form=form), status_code


# -- party accounts -----------------------------------------------------------------------------------------------


def _party_user() -> Any:
    """None when the current user is a party account; otherwise the response to give instead."""
    if not current_user.is_authenticated:
        flash(_("Please log in to continue."), "info")
        return redirect(url_for(".login"))
    if current_user.role != Role.party:
        abort(403)
    return None


def _fresh_session() -> None:
    lang = session.get("lang")
    session.clear()  # a new session on login: no fixation, no other case left open
    if lang:
        session["lang"] = lang


@bp.route("/account/register", methods=["GET", "POST"])
@limiter.limit(_submit_limit, methods=["POST"])
def register() -> Any:
    """A party account. The user name given is the chosen name with a random ending, so this
    form never reveals whether a user name (a staff member's, another party's) exists."""
    if current_user.is_authenticated:
        return redirect(url_for(".my_cases") if current_user.role == Role.party else url_for("cases.list_cases"))
    form = RegisterForm()
    if form.validate_on_submit():
        try:
            user = create_party_account(
                name=form.username.data,
                password=form.password.data,
                display_name=form.display_name.data,
                email=form.email.data or "",
            )
            db.session.commit()
        except DomainError as exc:
            db.session.rollback()
            apply_domain_errors(form, exc)
        else:
            _fresh_session()
            login_user(user)
            flash(
                _(
                    "Your account is ready. Your user name is %(name)s: note it down, you log in with it."
                    " Add your cases with their reference and access code.",
                    name=user.username,
                ),
                "success",
            )
            return redirect(url_for(".my_cases"))
    return render_template("portal/register.html", form=form), (422 if form.errors or form.form_errors else 200)


@bp.route("/account/login", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
def login() -> Any:
    if current_user.is_authenticated:
        return redirect(url_for(".my_cases") if current_user.role == Role.party else url_for("cases.list_cases"))
    form = PortalLoginForm()
    if form.validate_on_submit():
        try:
            user = authenticate(form.username.data, form.password.data)
        except DomainError as exc:
            db.session.commit()  # keep the failure count
            form.password.errors.extend(exc.messages)
        else:
            db.session.commit()
            _fresh_session()
            login_user(user)
            return redirect(url_for(".my_cases") if user.role == Role.party else url_for("cases.list_cases"))
    return render_template("portal/login.html", form=form), (422 if form.errors else 200)


@bp.post("/account/logout")
def logout() -> Any:
    if current_user.is_authenticated:
        logout_user()
    _fresh_session()
    flash(_("You have logged out."), "info")
    return redirect(url_for(".index"))


@bp.get("/account/cases")
def my_cases() -> Any:
    refusal = _party_user()
    if refusal is not None:
        return refusal
    rows = [(case, party, public_status(case.channel, case.state)) for case, party in own_cases(current_user.id)]
    return render_template("portal/my_cases.html", rows=rows)


@bp.route("/account/link", methods=["GET", "POST"])
@limiter.limit(_access_limit, methods=["POST"])
def link_case() -> Any:
    refusal = _party_user()
    if refusal is not None:
        return refusal
    form = AccessForm()
    if form.validate_on_submit():
        found = _check_code(form)
        if found is not None:
            try:
                ops.link_party_to_account(found.party, current_user)
            except DomainError as exc:
                db.session.rollback()
                apply_domain_errors(form, exc)
            else:
                db.session.commit()
                flash(_("The case has been added to your list."), "success")
                return redirect(url_for(".my_cases"))
    return render_template("portal/link.html", form=form), (422 if form.errors or form.form_errors else 200)


@bp.get("/account/cases/<id:case_id>")
def open_own_case(case_id: int) -> Any:
    refusal = _party_user()
    if refusal is not None:
        return refusal
    party = db.session.scalar(sa.select(Party).where(Party.case_id == case_id, Party.user_id == current_user.id))
    if party is None:
        abort(404)
    _enter(party, None)
    return redirect(url_for(".status"))


# -- staff: access codes and online requests (the case page's portal panel) ----------------------------------------


def _staff_case(case_id: int) -> Case:
    case = db.session.get(Case, case_id)
    if case is None or not can_view(current_user, case):
        abort(404)
    if not _handles(case):
        abort(403)
    return case


def _handles(case: Case) -> bool:
    return bool(current_user.handles_cases and case.organisation_id in visible_org_ids(current_user))


def _issue_form(case: Case) -> IssueCodeForm:
    form = IssueCodeForm()
    form.party_id.choices = opts([(p.id, f"{p.name} · {p.role.label}") for p in case.parties])
    return form


@bp.post("/staff/cases/<id:case_id>/access-code")
def staff_issue_code(case_id: int) -> Any:
    case = _staff_case(case_id)
    form = _issue_form(case)
    if not form.validate_on_submit():
        for errors in form.errors.values():
            for message in errors:
                flash(message, "danger")
        return redirect(url_for("cases.show_case", case_id=case.id) + "#portal")
    party = db.session.get(Party, form.party_id.data)
    try:
        code = ops.issue_access_code(case, party, actor=current_user)
    except DomainError as exc:
        db.session.rollback()
        for message in exc.messages:
            flash(message, "danger")
        return redirect(url_for("cases.show_case", case_id=case.id) + "#portal")
    db.session.commit()
    # Shown once on this page (not flashed: the session cookie is signed, not encrypted).
    return render_template("portal/staff_code.html", case=case, party=party, code=code)


@bp.post("/staff/requests/<id:request_id>/handled")
def staff_handle_request(request_id: int) -> Any:
    online = db.session.get(PortalRequest, request_id)
    if online is None:
        abort(404)
    case = _staff_case(online.case_id)
    form = HandledForm()
    if form.validate_on_submit():
        commit_or_flash(lambda: ops.mark_request_handled(online, actor=current_user), _("Marked as handled."))
    return redirect(url_for("cases.show_case", case_id=case.id) + "#portal")


def _request_steps(case: Case, requests: list[PortalRequest]) -> dict[int, tuple[Any, Any]]:
    """For each unhandled request whose step the user may take now: (the step, its form, with the
    request's text as the summary where the step asks for one). Taken from the request, the step
    carries the request's time of receipt and marks the request handled."""
    from ipcase.cases.registry import get_channel
    from ipcase.channels.forms import StepForm
    from ipcase.channels.workflow import available

    workflow = get_channel(case.channel).workflow
    if workflow is None:
        return {}
    may = {t.action: t for t in available(workflow, case, current_user)}
    found = {}
    for r in requests:
        t = may.get(r.step_action or "")
        if r.handled_at is None and t is not None:
            form = (t.form or StepForm)(formdata=None)
            form.prepare(case)
            if "summary" in form and not form.summary.data:
                form.summary.data = r.text
            if "party" in form:  # who asked (e.g. to move the hearing) and when the request came
                form.party.data = r.party_id
            if "requested_on" in form:
                form.requested_on.data = clock.local_day(r.created_at)
            found[r.id] = (t, form)
    return found


@bp.app_context_processor
def staff_panel() -> dict[str, Any]:
    """``portal_staff_panel(case)`` for ``portal/_staff_access.html`` on the case page."""

    def portal_staff_panel(case: Case) -> dict[str, Any] | None:
        if not current_user.is_authenticated or not _handles(case):
            return None
        codes = db.session.scalars(
            sa.select(PortalAccess)
            .where(PortalAccess.case_id == case.id, PortalAccess.revoked_at.is_(None))
            .order_by(PortalAccess.id)
        ).all()
        requests = db.session.scalars(
            sa.select(PortalRequest).where(PortalRequest.case_id == case.id).order_by(PortalRequest.id.desc())
        ).all()
        return {
            "codes": {a.party_id: a for a in codes},
            "requests": requests,
            "issue_form": _issue_form(case),
            "handled_form": HandledForm(),
            "steps": _request_steps(case, requests),
        }

    return {"portal_staff_panel": portal_staff_panel}
