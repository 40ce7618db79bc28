"""The case page (staff and party view) and what is done from it: the channel's steps, the link of
an injunction to its main case, the referral of suspected crime, and putting staff on the case with
the recusal checks' confirmation. Routes on the ``cases`` blueprint (endpoints ``cases.*``)."""

from typing import Any

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ipcase.auth.models import CASE_HANDLERS, Role, User
from ipcase.cases import operations as ops
from ipcase.cases.enums import PANEL_ROLES, Channel
from ipcase.cases.forms import (
    AssignmentForm,
    CrimeDecisionForm,
    CrimeHandoverForm,
    CrimeReportForm,
    MainCaseForm,
)
from ipcase.cases.models import Case
from ipcase.cases.permissions import can_assign, can_edit, can_view, visible_org_ids
from ipcase.cases.registry import get_channel
from ipcase.cases.timeline import render_entry
from ipcase.cases.views import bp, form_int, get_case_or_404, get_editable_case
from ipcase.channels import referrals
from ipcase.channels.diagram import layout
from ipcase.channels.forms import StepForm
from ipcase.channels.injunctions.workflow import link_main_case as link
from ipcase.channels.workflow import available, changed_meanwhile, step_version, take
from ipcase.core import clock
from ipcase.core.errors import DomainError
from ipcase.core.extensions import db
from ipcase.core.forms import opts
from ipcase.core.views import commit_or_flash
from ipcase.deadlines.views import case_panel_context
from ipcase.pools.forms import AcknowledgedAssignmentForm
from ipcase.pools.operations import RecusalWarnings
from ipcase.pools.views import confirm_assignment_page
from ipcase.portal.models import PortalRequest
from ipcase.portal.operations import take_step_from_request

# -- case page --------------------------------------------------------------------------------


@bp.get("/<id:case_id>")
def show_case(case_id: int) -> Any:
    case = get_case_or_404(case_id)
    assignment_form = None
    if can_assign(current_user, case):
        assignment_form = AssignmentForm()
        assignment_form.user_id.choices = opts(_assignable_users(case))
    party_view = current_user.role == Role.party
    workflow = get_channel(case.channel).workflow
    actions = available(workflow, case, current_user) if workflow is not None and not party_view else []
    entries = [e for e in case.timeline if e.is_public or not party_view]
    return render_template(
        "cases/show.html",
        case=case,
        defn=get_channel(case.channel),
        can_edit=can_edit(current_user, case),
        assignment_form=assignment_form,
        panel_problems=ops.panel_problems(case) if case.channel == Channel.adjudication else [],
        panel_roles=PANEL_ROLES,
        timeline=[(e, render_entry(e)) for e in reversed(entries)],
        party_view=party_view,
        actions=actions,
        step_forms={t.action: _step_form(t, case) for t in actions},
        step_seen=step_version(case) if actions else None,
        diagram=_diagram(case) if not party_view else None,
        crime_stage=referrals.stage(case) if not party_view else None,
        main_case_form=MainCaseForm() if case.channel == Channel.injunction and can_edit(current_user, case) else None,
        main_case=db.session.get(Case, case.main_case_id) if getattr(case, "main_case_id", None) else None,
        crime_forms=_crime_forms(case) if not party_view and can_edit_or_follow_up(case) else None,
        **case_panel_context(case, current_user),
    )


def _assignable_users(case: Case) -> list[tuple[int, str]]:
    stmt = sa.select(User).where(
        User.is_active,
        sa.or_(
            sa.and_(User.role.in_(CASE_HANDLERS), User.organisation_id.in_(visible_org_ids(current_user))),
            User.role == Role.expert,
        ),
    )
    return [(u.id, f"{u.display_name} · {u.role.label}") for u in db.session.scalars(stmt.order_by(User.display_name))]


# -- workflow actions -------------------------------------------------------------------------


@bp.post("/<id:case_id>/actions/<action>")
def take_action(case_id: int, action: str) -> Any:
    case = get_case_or_404(case_id)
    workflow = get_channel(case.channel).workflow
    if workflow is None or action not in workflow.by_action:
        abort(404)
    if current_user.role not in workflow.by_action[action].roles or not can_edit_or_follow_up(case):
        abort(403)
    t = workflow.by_action[action]
    form = _step_form(t, case)
    if not form.validate_on_submit():
        for name, errors in form.errors.items():
            label = form[name].label.text if name in form and name not in ("reason", "at") else ""
            for message in errors:
                flash(f"{label}: {message}" if label else message, "danger")
        return redirect(url_for("cases.show_case", case_id=case.id) + "#actions")
    at = clock.from_local(form.at.data) if form.at.data else None
    online = _online_request(case)
    try:
        # one step at a time per case: wait for a step being taken on it, then check the page
        # this one came from against what that step left, and the move against the case's state
        ops.lock_case(case)
        stale = changed_meanwhile(case, form.seen.data)
        if stale:
            raise DomainError(("action", stale))
        if online is not None:  # taken from what a party sent online: at its time of receipt, closing both
            taken = take_step_from_request(
                online, action, actor=current_user, reason=form.reason.data or "", details=form.details()
            )
        else:
            taken = take(
                workflow, case, action, actor=current_user, reason=form.reason.data or "", at=at, details=form.details()
            )
    except DomainError as exc:
        db.session.rollback()
        for message in exc.messages:
            flash(message, "danger")
    else:
        db.session.commit()
        flash(_("Done: %(action)s.", action=taken.label), "success")
    return redirect(url_for("cases.show_case", case_id=case.id) + "#actions")


def _online_request(case: Case) -> Any:
    """The online request a step is taken from (``portal_request`` in the form), or None; 404 when
    it is not one of this case's."""
    ident = form_int(request.form.get("portal_request"))
    if not request.form.get("portal_request"):
        return None
    online = db.session.get(PortalRequest, ident) if ident else None
    if online is None or online.case_id != case.id:
        abort(404)
    return online


def _step_form(t: Any, case: Case) -> Any:
    form = (t.form or StepForm)()
    form.prepare(case)
    return form


def _crime_forms(case: Case) -> dict[str, Any]:
    return {"report": CrimeReportForm(), "decide": CrimeDecisionForm(), "handover": CrimeHandoverForm()}


def _diagram(case: Case) -> dict[str, Any] | None:
    defn = get_channel(case.channel)
    if defn.workflow is None:
        return None
    return layout(defn.workflow, defn.initial_state.value, case.state, defn.state_label)


def can_edit_or_follow_up(case: Case) -> bool:
    """Handlers of the case's organisation; closed cases still take their follow-up steps."""
    return current_user.handles_cases and case.organisation_id in visible_org_ids(current_user)


# -- injunction ↔ main case ------------------------------------------------------------------


@bp.post("/<id:case_id>/main-case")
def link_main_case(case_id: int) -> Any:
    case = get_editable_case(case_id)
    if case.channel != Channel.injunction:
        abort(404)
    form = MainCaseForm()
    if form.validate_on_submit():
        main = db.session.scalar(sa.select(Case).where(Case.number == form.number.data))
        if main is None or not can_view(current_user, main):
            flash(_("There is no case with this number."), "danger")
        else:
            commit_or_flash(
                lambda: link(case, main, actor=current_user),
                _("Linked to the main case %(number)s.", number=main.number),
            )
    else:
        for errors in form.errors.values():
            for message in errors:
                flash(message, "danger")
    return redirect(url_for("cases.show_case", case_id=case.id))


# -- referral of suspected crime ---------------------------------------------------------------


@bp.post("/<id:case_id>/crime/<step>")
def crime_referral(case_id: int, step: str) -> Any:
    case = get_case_or_404(case_id)
    if not can_edit_or_follow_up(case):
        abort(403)
    forms = {"report": CrimeReportForm, "decide": CrimeDecisionForm, "handover": CrimeHandoverForm}
    if step not in forms:
        abort(404)
    form = forms[step]()
    if not form.validate_on_submit():
        for errors in form.errors.values():
            for message in errors:
                flash(message, "danger")
        return redirect(url_for("cases.show_case", case_id=case.id) + "#crime")
    try:
        if step == "report":
            referrals.report_suspected_crime(case, actor=current_user, facts=form.facts.data)
        elif step == "decide":
            referrals.decide_crime_referral(
                case, approve=form.decision.data == "approve", actor=current_user, reasons=form.reasons.data or ""
            )
        else:
            referrals.hand_over_to_police(case, actor=current_user, authority=form.authority.data)
    except DomainError as exc:
        db.session.rollback()
        for message in exc.messages:
            flash(message, "danger")
    else:
        db.session.commit()
        flash(_("Referral to the police updated."), "success")
    return redirect(url_for("cases.show_case", case_id=case.id) + "#crime")


@bp.post("/<id:case_id>/assignments")
def add_assignment(case_id: int) -> Any:
    case = get_case_or_404(case_id)
    if not can_assign(current_user, case):
        abort(403)
    form = AcknowledgedAssignmentForm()
    form.user_id.choices = opts(_assignable_users(case))
    if not form.validate_on_submit():
        for errors in form.errors.values():
            for message in errors:
                flash(message, "danger")
        return redirect(url_for("cases.show_case", case_id=case.id) + "#staff")
    user = db.session.get(User, form.user_id.data)
    try:
        ops.assign_staff(
            case, user, form.role.data, actor=current_user, acknowledge_warnings=form.acknowledge_warnings.data
        )
    except RecusalWarnings as exc:
        # nothing is assigned: show the warnings, with the checkbox that confirms the assignment
        db.session.rollback()
        return confirm_assignment_page(case, form, user, exc)
    except DomainError as exc:
        db.session.rollback()
        for message in exc.messages:
            flash(message, "danger")
    else:
        db.session.commit()
        flash(_("Staff assigned."), "success")
    return redirect(url_for("cases.show_case", case_id=case.id) + "#staff")
