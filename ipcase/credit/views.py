"""Credit pages for staff: the panel on the case page, the subject search, and the head of the
office's own entries and removals. Never shown to party users."""

from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length

from ipcase.auth.models import CASE_HANDLERS, Role, User
from ipcase.auth.permissions import require_role
from ipcase.cases.models import Case
from ipcase.cases.permissions import can_view, visible_org_ids
from ipcase.core.errors import DomainError
from ipcase.core.extensions import db
from ipcase.core.forms import opts
from ipcase.credit import operations as ops
from ipcase.credit.models import MANUAL_KINDS, CreditEvent

bp = Blueprint("credit", __name__)

#: who sees credit records: the offices' staff and administrators (not experts, not parties)
READERS = (*CASE_HANDLERS, Role.admin)


def _strip(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


class SearchForm(FlaskForm):
    class Meta:
        csrf = False

    q = StringField(_l("Name or identity document number"), validators=[Length(max=120)], filters=[_strip])


class ManualEntryForm(FlaskForm):
    party_id = SelectField(_l("Party"), coerce=int, validators=[InputRequired()])
    kind = SelectField(
        _l("Record"), choices=opts([(k.value, k.label) for k in MANUAL_KINDS]), validators=[InputRequired()]
    )
    reason = TextAreaField(_l("Reasons"), validators=[DataRequired(), Length(max=4000)], filters=[_strip])

    def prepare(self, case: Case) -> "ManualEntryForm":
        self.party_id.choices = opts([(p.id, f"{p.name} ({p.role.label})") for p in case.parties])
        return self


class RemovalForm(FlaskForm):
    reason = TextAreaField(_l("Reasons for removal"), validators=[DataRequired(), Length(max=4000)], filters=[_strip])


def is_reader(user: User) -> bool:
    return user.is_authenticated and user.role in READERS


def may_manage(user: User, case: Case) -> bool:
    """The head of the office handling the case records and removes entries by hand."""
    return user.role == Role.director and case.organisation_id in visible_org_ids(user)


def row(event: CreditEvent, user: User) -> dict[str, Any]:
    """One event as the viewer may see it: the case number and link only if they may open the case."""
    visible = can_view(user, event.case)
    return {"event": event, "case": event.case if visible else None, "organisation": event.case.organisation}


def credit_panel(case: Case) -> dict[str, Any]:
    """What ``credit/_case_panel.html`` shows: each party's record from other cases, with flags,
    and the records made on this case. Empty for anyone but the offices' staff."""
    if not is_reader(current_user):
        return {"show": False}
    parties = []
    for party in case.parties:
        events = ops.history(party, exclude_case_id=case.id)
        parties.append({"party": party, "rows": [row(e, current_user) for e in events], "flags": ops.flags_of(events)})
    own = ops.history_of_case(case)
    manage = may_manage(current_user, case)
    return {
        "show": True,
        "parties": parties,
        "own": own,
        "manage": manage,
        "entry_form": ManualEntryForm(prefix="credit", formdata=None).prepare(case) if manage else None,
        "removal_form": RemovalForm(prefix="removal", formdata=None) if manage else None,
    }


@bp.app_context_processor
def _inject_credit_panel() -> dict[str, Any]:
    return {"credit_panel": credit_panel}


@bp.get("/", endpoint="search")
@require_role(*READERS)
def search() -> Any:
    form = SearchForm(request.args)
    results = []
    if request.args.get("q") and form.validate():
        for key, name, events in ops.search(form.q.data or ""):
            results.append(
                {
                    "key": key,
                    "name": name,
                    "rows": [row(e, current_user) for e in events],
                    "flags": ops.flags_of(events),
                    "removed": [row(e, current_user) for e in ops.history(key, include_removed=True) if e.is_removed],
                }
            )
    return render_template("credit/search.html", form=form, results=results)


def _case_or_404(case_id: int) -> Case:
    case = db.session.get(Case, case_id)
    if case is None or not can_view(current_user, case):
        abort(404)
    return case


def _flash_errors(form: FlaskForm) -> None:
    for name, errors in form.errors.items():
        label = form[name].label.text if name in form else ""
        for message in errors:
            flash(f"{label}: {message}" if label else message, "danger")


@bp.post("/cases/<id:case_id>/entries")
@require_role(*READERS)
def add_entry(case_id: int) -> Any:
    case = _case_or_404(case_id)
    if not may_manage(current_user, case):
        abort(403)
    form = ManualEntryForm(prefix="credit").prepare(case)
    back = redirect(url_for("cases.show_case", case_id=case.id) + "#credit")
    if not form.validate_on_submit():
        _flash_errors(form)
        return back
    party = next(p for p in case.parties if p.id == form.party_id.data)
    try:
        ops.record_manual(case, party, form.kind.data, actor=current_user, reason=form.reason.data)
    except DomainError as exc:
        db.session.rollback()
        for message in exc.messages:
            flash(message, "danger")
        return back
    db.session.commit()
    flash(_("Credit record added."), "success")
    return back


@bp.post("/events/<id:event_id>/remove")
@require_role(*READERS)
def remove_entry(event_id: int) -> Any:
    event = db.session.get(CreditEvent, event_id)
    if event is None:
        abort(404)
    case = _case_or_404(event.case_id)
    if not may_manage(current_user, case):
        abort(403)
    form = RemovalForm(prefix="removal")
    back = redirect(url_for("cases.show_case", case_id=case.id) + "#credit")
    if not form.validate_on_submit():
        _flash_errors(form)
        return back
    try:
        ops.remove_event(event, actor=current_user, reason=form.reason.data)
    except DomainError as exc:
        db.session.rollback()
        for message in exc.messages:
            flash(message, "danger")
        return back
    db.session.commit()
    flash(_("Credit record removed."), "success")
    return back
