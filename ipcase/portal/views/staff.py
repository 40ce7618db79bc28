"""The staff side of the portal, behind the case page's portal panel: issuing access codes and
handling online requests (with the step each one asks for)."""

from typing import Any

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ipcase.cases.models import Case, Party
from ipcase.cases.permissions import can_view, visible_org_ids
from ipcase.cases.registry import get_channel
from ipcase.channels.forms import StepForm
from ipcase.channels.workflow import available
from ipcase.core import clock
from ipcase.core.errors import DomainError
from ipcase.core.extensions import db
from ipcase.core.forms import opts
from ipcase.core.views import commit_or_flash
from ipcase.portal import operations as ops
from ipcase.portal.forms import HandledForm, IssueCodeForm
from ipcase.portal.models import PortalAccess, PortalRequest
from ipcase.portal.views.blueprint import bp


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
