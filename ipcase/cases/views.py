"""The case file's own pages: the case list, intake, and editing the case's details, parties,
agents, rights and staff. The ``cases`` blueprint is defined here; the case page itself, which
brings the channel's steps, periods, pools and online requests together, adds its routes to it
from ``ipcase.office`` (above them all), as the evidence list and transfers do from their modules."""

from typing import Any

import sqlalchemy as sa
from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ipcase.auth.models import CASE_HANDLERS, Role, User
from ipcase.auth.permissions import require_role
from ipcase.cases import operations as ops
from ipcase.cases.enums import Channel, PartyRole
from ipcase.cases.forms import (
    AgentForm,
    CaseFilterForm,
    EditCaseForm,
    OpenCaseForm,
    PartyForm,
    RightForm,
)
from ipcase.cases.intake import may_open
from ipcase.cases.models import Agent, Assignment, Case, IPRight, Party
from ipcase.cases.permissions import (
    can_assign,
    can_edit,
    can_open_case,
    can_view,
    openable_organisations,
    visible_org_ids,
)
from ipcase.cases.queries import CaseFilters, list_cases
from ipcase.cases.registry import all_channels, get_channel
from ipcase.cases.transfers import HANDLED_BY
from ipcase.core import clock
from ipcase.core.errors import DomainError
from ipcase.core.extensions import db
from ipcase.core.forms import apply_domain_errors, opts
from ipcase.core.http import MAX_ID
from ipcase.core.views import commit_or_flash
from ipcase.organisations.models import Organisation

bp = Blueprint("cases", __name__)


# -- loading and authorising ------------------------------------------------------------------


def get_case_or_404(case_id: int) -> Case:
    case = db.session.get(Case, case_id)
    if case is None:
        abort(404)
    if not can_view(current_user, case):
        # Another organisation's or party's case: indistinguishable from a missing one.
        abort(404)
    return case


def get_editable_case(case_id: int) -> Case:
    case = get_case_or_404(case_id)
    if not can_edit(current_user, case):
        abort(403)
    return case


def _child_or_404(model: Any, obj_id: int, case: Case) -> Any:
    obj = db.session.get(model, obj_id)
    owner = obj.party.case_id if isinstance(obj, Agent) else getattr(obj, "case_id", None)
    if obj is None or owner != case.id:
        abort(404)
    return obj


def _commit_or_errors(form: Any, action: Any) -> bool:
    """Run an operation; commit on success, show its refusal on the form and roll back on failure."""
    try:
        action()
    except DomainError as exc:
        db.session.rollback()
        apply_domain_errors(form, exc)
        return False
    db.session.commit()
    return True


# -- list -------------------------------------------------------------------------------------


@bp.get("/", endpoint="list_cases")
def list_cases_view() -> Any:
    form = CaseFilterForm(request.args)
    form.state.choices = opts([("", _("All states")), *_state_choices(form.channel.data)])
    staff = _staff_choices()
    form.assignee.choices = opts([("", _("Anyone")), ("me", _("Me"))] + [(str(u.id), u.display_name) for u in staff])
    orgs = _org_choices()
    form.organisation.choices = opts([("", _("All organisations"))] + [(str(o.id), o.name) for o in orgs])
    filters = CaseFilters(page=1)
    if form.validate():
        filters = CaseFilters(
            q=form.q.data or "",
            channel=form.channel.data or "",
            state=form.state.data or "",
            assignee_id=form_int(current_user.id if form.assignee.data == "me" else form.assignee.data),
            organisation_id=form_int(form.organisation.data),
            closed=form.closed.data or "",
            page=form.page.data or 1,
        )
    pagination = list_cases(current_user, filters, current_app.config["CASES_PER_PAGE"])
    args = {k: v for k, v in request.args.items() if k != "page" and v}
    return render_template(
        "cases/list.html", form=form, pagination=pagination, args=args, can_open=can_open_case(current_user)
    )


def form_int(value: Any) -> int | None:
    """An id from the query string, or None when it is not a plausible id."""
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if 0 < number <= MAX_ID else None


def _state_choices(channel: str | None) -> list[tuple[str, Any]]:
    defs = [get_channel(channel)] if channel in set(Channel) else all_channels()
    seen: dict[str, Any] = {}
    for d in defs:
        for value, label in d.state_choices():
            seen.setdefault(value, label)
    return list(seen.items())


def _staff_choices() -> list[User]:
    if current_user.role == Role.party:
        return []
    stmt = sa.select(User).where(User.role.in_(CASE_HANDLERS), User.is_active)
    if current_user.role != Role.admin:
        stmt = stmt.where(User.organisation_id.in_(visible_org_ids(current_user)))
    return list(db.session.scalars(stmt.order_by(User.display_name)))


def _org_choices() -> list[Organisation]:
    if current_user.role == Role.party:
        return []
    stmt = sa.select(Organisation).order_by(Organisation.id)
    if current_user.role != Role.admin:
        stmt = stmt.where(Organisation.id.in_(visible_org_ids(current_user)))
    return list(db.session.scalars(stmt))


# -- intake -----------------------------------------------------------------------------------


def _intake_channels(orgs: list[Organisation]) -> dict[Channel, list[Organisation]]:
    """The channels ``current_user`` may open, each with the organisations that handle it."""
    found: dict[Channel, list[Organisation]] = {}
    for channel in Channel:
        where = [o for o in orgs if may_open(current_user.role, channel, o.kind, HANDLED_BY)]
        if where:
            found[channel] = where
    return found


@bp.route("/new", methods=["GET", "POST"])
@require_role(*CASE_HANDLERS)
def open_case() -> Any:
    """Intake: the user picks one of the channels their role opens (skipped when there is one),
    then fills that channel's form only. A channel the role may not open is refused with a message
    and nothing is saved, also when the POST was forged."""
    channels = _intake_channels(openable_organisations(current_user))
    chosen = request.form.get("channel") if request.method == "POST" else request.args.get("channel")
    if not chosen:
        if len(channels) == 1:
            return redirect(url_for(".open_case", channel=next(iter(channels)).value))
        return render_template("cases/open_choose.html", channels=channels)
    try:
        channel = Channel(chosen)
    except ValueError:
        channel = None
    if channel is None:
        message = _("Choose one of the channels you may open.")
        status = 422 if request.method == "POST" else 200
        return render_template("cases/open_choose.html", channels=channels, refused=message), status
    if channel not in channels:
        message = _("Your role may not open a case in the channel “%(channel)s”.", channel=channel.label)
        return render_template("cases/open_choose.html", channels=channels, refused=message), 403
    orgs = channels[channel]
    form = OpenCaseForm()
    form.channel.choices = opts([(channel.value, channel.label)])  # chosen above: this form is that channel's
    form.channel.data = channel.value
    form.organisation_id.choices = opts([(o.id, o.name) for o in orgs])
    if request.method == "GET":
        form.received_at.data = clock.to_local(clock.now()).replace(second=0, microsecond=0, tzinfo=None)
        if current_user.organisation_id in {o.id for o in orgs}:
            form.organisation_id.data = current_user.organisation_id
    if form.validate_on_submit():
        command = form.to_command()
        org = db.session.get(Organisation, form.organisation_id.data)
        holder: dict[str, Case] = {}

        def act() -> None:
            holder["case"] = ops.open_case(organisation=org, actor=current_user, **command)

        if _commit_or_errors(form, act):
            case = holder["case"]
            flash(_("Case %(number)s opened.", number=case.number), "success")
            return redirect(url_for(".show_case", case_id=case.id))
    status = 422 if form.errors or form.form_errors else 200
    return render_template("cases/open.html", form=form, channel=channel, choices=len(channels) > 1), status


@bp.route("/<id:case_id>/edit", methods=["GET", "POST"])
def edit_case(case_id: int) -> Any:
    case = get_editable_case(case_id)
    form = EditCaseForm(obj=case)
    form.channel_value = case.channel
    if request.method == "GET":
        form.received_at.data = clock.to_local(case.received_at).replace(tzinfo=None)
    if form.validate_on_submit():
        if _commit_or_errors(form, lambda: ops.update_case(case, form.to_command(), actor=current_user)):
            flash(_("Case details saved."), "success")
            return redirect(url_for(".show_case", case_id=case.id))
    return render_template("cases/edit.html", case=case, form=form), (422 if form.errors or form.form_errors else 200)


# -- parties and agents -----------------------------------------------------------------------


@bp.route("/<id:case_id>/parties/new", methods=["GET", "POST"])
def add_party(case_id: int) -> Any:
    case = get_editable_case(case_id)
    form = PartyForm()
    if request.method == "GET" and request.args.get("role") in set(PartyRole):
        form.role.data = request.args["role"]
    if form.validate_on_submit():
        if _commit_or_errors(form, lambda: ops.add_party(case, form.to_command(), actor=current_user)):
            flash(_("Party added."), "success")
            return redirect(url_for(".show_case", case_id=case.id) + "#parties")
    return _form_page("cases/party_form.html", case, form)


@bp.route("/<id:case_id>/parties/<id:party_id>/edit", methods=["GET", "POST"])
def edit_party(case_id: int, party_id: int) -> Any:
    case = get_editable_case(case_id)
    party = _child_or_404(Party, party_id, case)
    form = PartyForm(obj=party)
    if request.method == "GET" and party.user is not None:
        form.account.data = party.user.username
    if form.validate_on_submit():
        if _commit_or_errors(form, lambda: ops.update_party(party, form.to_command(), actor=current_user)):
            flash(_("Party saved."), "success")
            return redirect(url_for(".show_case", case_id=case.id) + "#parties")
    return _form_page("cases/party_form.html", case, form, party=party)


@bp.post("/<id:case_id>/parties/<id:party_id>/delete")
def remove_party(case_id: int, party_id: int) -> Any:
    case = get_editable_case(case_id)
    party = _child_or_404(Party, party_id, case)
    return _post_action(case, lambda: ops.remove_party(party, actor=current_user), _("Party removed."))


@bp.route("/<id:case_id>/parties/<id:party_id>/agents/new", methods=["GET", "POST"])
def add_agent(case_id: int, party_id: int) -> Any:
    case = get_editable_case(case_id)
    party = _child_or_404(Party, party_id, case)
    form = AgentForm()
    if form.validate_on_submit():
        if _commit_or_errors(form, lambda: ops.add_agent(party, form.to_command(), actor=current_user)):
            flash(_("Agent added."), "success")
            return redirect(url_for(".show_case", case_id=case.id) + "#parties")
    return _form_page("cases/agent_form.html", case, form, party=party)


@bp.route("/<id:case_id>/agents/<id:agent_id>/edit", methods=["GET", "POST"])
def edit_agent(case_id: int, agent_id: int) -> Any:
    case = get_editable_case(case_id)
    agent = _child_or_404(Agent, agent_id, case)
    form = AgentForm(obj=agent)
    if form.validate_on_submit():
        if _commit_or_errors(form, lambda: ops.update_agent(agent, form.to_command(), actor=current_user)):
            flash(_("Agent saved."), "success")
            return redirect(url_for(".show_case", case_id=case.id) + "#parties")
    return _form_page("cases/agent_form.html", case, form, party=agent.party, agent=agent)


@bp.post("/<id:case_id>/agents/<id:agent_id>/delete")
def remove_agent(case_id: int, agent_id: int) -> Any:
    case = get_editable_case(case_id)
    agent = _child_or_404(Agent, agent_id, case)
    return _post_action(case, lambda: ops.remove_agent(agent, actor=current_user), _("Agent removed."))


# -- rights -----------------------------------------------------------------------------------


@bp.route("/<id:case_id>/rights/new", methods=["GET", "POST"])
def add_right(case_id: int) -> Any:
    case = get_editable_case(case_id)
    form = RightForm()
    if form.validate_on_submit():
        if _commit_or_errors(form, lambda: ops.add_right(case, form.to_command(), actor=current_user)):
            flash(_("Right added."), "success")
            return redirect(url_for(".show_case", case_id=case.id) + "#rights")
    return _form_page("cases/right_form.html", case, form)


@bp.route("/<id:case_id>/rights/<id:right_id>/edit", methods=["GET", "POST"])
def edit_right(case_id: int, right_id: int) -> Any:
    case = get_editable_case(case_id)
    right = _child_or_404(IPRight, right_id, case)
    form = RightForm(obj=right)
    if form.validate_on_submit():
        if _commit_or_errors(form, lambda: ops.update_right(right, form.to_command(), actor=current_user)):
            flash(_("Right saved."), "success")
            return redirect(url_for(".show_case", case_id=case.id) + "#rights")
    return _form_page("cases/right_form.html", case, form, right=right)


@bp.post("/<id:case_id>/rights/<id:right_id>/delete")
def remove_right(case_id: int, right_id: int) -> Any:
    case = get_editable_case(case_id)
    right = _child_or_404(IPRight, right_id, case)
    return _post_action(case, lambda: ops.remove_right(right, actor=current_user), _("Right removed."))


# -- staff assignments ------------------------------------------------------------------------


@bp.post("/<id:case_id>/assignments/<id:assignment_id>/delete")
def remove_assignment(case_id: int, assignment_id: int) -> Any:
    case = get_case_or_404(case_id)
    if not can_assign(current_user, case):
        abort(403)
    assignment = _child_or_404(Assignment, assignment_id, case)
    return _post_action(
        case, lambda: ops.unassign_staff(assignment, actor=current_user), _("Assignment removed."), "#staff"
    )


# -- helpers ----------------------------------------------------------------------------------


def _form_page(template: str, case: Case, form: Any, **extra: Any) -> Any:
    status = 422 if form.errors or form.form_errors else 200
    return render_template(template, case=case, form=form, **extra), status


def _post_action(case: Case, action: Any, success: str, anchor: str = "") -> Any:
    """A state-changing POST without its own page: CSRF-checked form, flash the outcome."""
    # CSRFProtect has already checked the token of every POST before we get here.
    commit_or_flash(action, success)
    return redirect(url_for(".show_case", case_id=case.id) + anchor)
