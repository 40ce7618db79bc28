"""The case's deadline panel and the pages of its actions: extensions, cancelling, excluded
time and the raw event recorder."""

from dataclasses import dataclass, field
from functools import partial
from typing import Any

import sqlalchemy as sa
from flask import abort, flash, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy.orm import joinedload, selectinload

from ipcase.auth.models import Role, User
from ipcase.cases.models import Case
from ipcase.cases.permissions import can_edit
from ipcase.core import clock
from ipcase.core.extensions import db
from ipcase.core.forms import opts
from ipcase.deadlines import operations as ops
from ipcase.deadlines.calendar import Result
from ipcase.deadlines.calendar_store import load_calendar
from ipcase.deadlines.forms import (
    CancelDeadlineForm,
    EndExclusionForm,
    ExtensionDecisionForm,
    ExtensionRequestForm,
    RecordEventForm,
    StartExclusionForm,
)
from ipcase.deadlines.models import Deadline, DeadlineEvent, ExcludedPeriod, ExclusionKind, Extension, ExtensionState
from ipcase.deadlines.rules import Rule, UnknownRule
from ipcase.deadlines.triggers import EVENT_LABELS, recordable_events
from ipcase.deadlines.triggers import record_event as record_event_op
from ipcase.deadlines.views.blueprint import bp
from ipcase.deadlines.views.countdowns import Countdown, countdown, countdown_texts, provisional_years
from ipcase.deadlines.views.loading import (
    back_to_case,
    case_or_404,
    deadline_or_404,
    editable_case,
    extension_levels,
    form_status,
    rule_of,
    run_operation,
)


@dataclass
class DeadlineRow:
    deadline: Deadline
    rule: Rule | None
    countdown: Countdown | None
    explanation: Result | None
    provisional_years: list[int]
    levels: list[tuple[str, str]] = field(default_factory=list)
    pending: Extension | None = None
    can_decide: bool = False


def case_panel_context(case: Case, user: User) -> dict[str, Any]:
    """What ``deadlines/_case_panel.html`` needs besides ``case``. Parties see only the periods
    that run for them, without the office's history, extensions or actions."""
    internal = user.role != Role.party
    stmt = (
        sa.select(Deadline)
        .where(Deadline.case_id == case.id)
        .options(
            joinedload(Deadline.party),
            selectinload(Deadline.events).joinedload(DeadlineEvent.actor),
            selectinload(Deadline.extensions).joinedload(Extension.requested_by),
            selectinload(Deadline.extensions).joinedload(Extension.decided_by),
        )
        .order_by(Deadline.due_at, Deadline.id)
    )
    cal, now = load_calendar(), clock.now()
    editable = internal and can_edit(user, case)
    rows = []
    for deadline in db.session.scalars(stmt):
        rule = rule_of(deadline)
        if not internal and not (rule and rule.is_party_period and _runs_for_viewer(deadline, rule, case, user)):
            continue
        try:
            explanation = ops.explain(deadline, cal)
        except (UnknownRule, ValueError, OverflowError):
            explanation = None
        pending = next((e for e in deadline.extensions if e.state == ExtensionState.requested), None)
        rows.append(
            DeadlineRow(
                deadline=deadline,
                rule=rule,
                countdown=countdown(deadline, now=now, cal=cal),
                explanation=explanation,
                provisional_years=provisional_years(deadline, cal),
                levels=extension_levels(rule, deadline) if editable and deadline.is_open and pending is None else [],
                pending=pending if internal else None,
                can_decide=bool(internal and pending and ops.can_decide_extension(user, pending)),
            )
        )
    rows.sort(key=lambda r: not r.deadline.is_open)  # stable: running ones first, each group by due date
    exclusions = (
        db.session.scalars(
            sa.select(ExcludedPeriod)
            .where(ExcludedPeriod.case_id == case.id)
            .order_by(ExcludedPeriod.starts_on, ExcludedPeriod.id)
        ).all()
        if internal
        else []
    )
    return {
        "deadlines": rows,
        "deadline_exclusions": exclusions,
        "deadline_internal": internal,
        "deadline_can_edit": editable,
        "deadline_exclusion_kinds": ExclusionKind.choices(),
        "deadline_events": _event_choices(case) if editable else [],
        "deadline_today": clock.today(),
        "countdown_texts": countdown_texts(),
    }


def _runs_for_viewer(deadline: Deadline, rule: Rule, case: Case, user: User) -> bool:
    """A party account sees the case's periods and its own party's: not another party's own
    window of a kind it has itself (each party's lawsuit window runs from the service on it)."""
    if deadline.party_id is None:
        return True
    own = [p for p in case.parties if p.user_id == user.id]
    if any(p.id == deadline.party_id for p in own):
        return True
    return not any(p.role.value in rule.per_party for p in own)


ALL_EVENTS_OWNED = _l(
    "Every procedural event of this procedure is recorded by one of its steps: "
    "take the step under “Next steps” on the case page."
)


def _event_choices(case: Case) -> list[tuple[str, Any]]:
    """The events the raw recorder offers on the case: only those no step records."""
    return [(code, EVENT_LABELS[code]) for code in recordable_events(str(case.channel))]


@bp.get("/case/<id:case_id>")
def case_deadlines(case_id: int) -> Any:
    case = case_or_404(case_id)
    return render_template("deadlines/case.html", case=case, **case_panel_context(case, current_user))


def _action_page(case: Case, form: Any, *, heading: Any, deadline: Deadline | None = None, **extra: Any) -> Any:
    row = None
    if deadline is not None:
        cal = load_calendar()
        row = DeadlineRow(deadline, rule_of(deadline), countdown(deadline, now=clock.now(), cal=cal), None, [])
    return render_template(
        "deadlines/action.html",
        case=case,
        form=form,
        heading=heading,
        row=row,
        countdown_texts=countdown_texts(),
        **extra,
    ), form_status(form)


@bp.route("/<id:deadline_id>/extension", methods=["GET", "POST"])
def request_extension(deadline_id: int) -> Any:
    deadline = deadline_or_404(deadline_id)
    case = editable_case(deadline.case)
    form = ExtensionRequestForm()
    form.level.choices = opts(extension_levels(rule_of(deadline)))  # every level, so the operation explains a refusal
    if form.validate_on_submit():
        if run_operation(form, partial(ops.request_extension, deadline, actor=current_user, **form.to_command()))[0]:
            flash(_("Extension requested; the director has been told."), "success")
            return back_to_case(case)
    return _action_page(
        case,
        form,
        heading=_("Request an extension"),
        deadline=deadline,
        fields=("level", "length", "reason"),
        submit=_("Request the extension"),
        action=url_for(".request_extension", deadline_id=deadline.id),
    )


@bp.route("/extensions/<id:extension_id>/decision", methods=["GET", "POST"])
def decide_extension(extension_id: int) -> Any:
    ext = db.session.get(Extension, extension_id)
    if ext is None:
        abort(404)
    case = case_or_404(ext.deadline.case_id)
    if not ops.can_decide_extension(current_user, ext):
        abort(403)
    form = ExtensionDecisionForm()
    if form.validate_on_submit():
        command = form.to_command()
        if run_operation(form, partial(ops.decide_extension, ext, actor=current_user, **command))[0]:
            flash(_("Extension approved.") if command["approve"] else _("Extension refused."), "success")
            return back_to_case(case)
    return _action_page(
        case,
        form,
        heading=_("Decide on the extension"),
        deadline=ext.deadline,
        extension=ext,
        fields=("note",),
        decision=True,
        action=url_for(".decide_extension", extension_id=ext.id),
    )


@bp.route("/<id:deadline_id>/cancel", methods=["GET", "POST"])
def cancel_deadline(deadline_id: int) -> Any:
    deadline = deadline_or_404(deadline_id)
    case = editable_case(deadline.case)
    form = CancelDeadlineForm()
    if form.validate_on_submit():
        if run_operation(form, partial(ops.cancel_deadline, deadline, actor=current_user, reason=form.reason.data))[0]:
            flash(_("Deadline cancelled."), "success")
            return back_to_case(case)
    return _action_page(
        case,
        form,
        heading=_("Cancel the deadline"),
        deadline=deadline,
        fields=("reason",),
        submit=_("Cancel the deadline"),
        action=url_for(".cancel_deadline", deadline_id=deadline.id),
    )


@bp.route("/case/<id:case_id>/exclusions/new", methods=["GET", "POST"])
def start_exclusion(case_id: int) -> Any:
    case = editable_case(case_or_404(case_id))
    form = StartExclusionForm()
    if request.method == "GET":
        form.first_day.data = clock.today()
    if form.validate_on_submit():
        if run_operation(form, partial(ops.start_exclusion, case, actor=current_user, **form.to_command()))[0]:
            flash(_("Excluded time started: the case's time limit is paused."), "success")
            return back_to_case(case)
    return _action_page(
        case,
        form,
        heading=_("Start excluded time"),
        fields=("kind", "first_day", "reason"),
        submit=_("Start excluded time"),
        action=url_for(".start_exclusion", case_id=case.id),
    )


@bp.route("/case/<id:case_id>/events", methods=["GET", "POST"])
def record_event(case_id: int) -> Any:
    """The raw recorder, for the events no step records (``triggers.recordable_events``). Where
    the procedure's steps record every event, the page says so and answers 404; a POST of an
    event a step records is refused by the operation, naming the step."""
    case = editable_case(case_or_404(case_id))
    form = RecordEventForm()
    form.event.choices = opts(_event_choices(case))
    if request.method == "GET":
        form.at.data = clock.to_local(clock.now()).replace(second=0, microsecond=0, tzinfo=None)
    if form.validate_on_submit():
        if run_operation(form, partial(record_event_op, case, actor=current_user, **form.to_command()))[0]:
            flash(_("Event recorded; the time limits it meets and starts are updated."), "success")
            return back_to_case(case)
    page, status = _action_page(
        case,
        form,
        heading=_("Record a procedural event"),
        fields=("event", "at"),
        submit=_("Record the event"),
        action=url_for(".record_event", case_id=case.id),
        unavailable=None if form.event.choices else ALL_EVENTS_OWNED,
    )
    return page, (404 if not form.event.choices and status == 200 else status)


@bp.route("/exclusions/<id:period_id>/end", methods=["GET", "POST"])
def end_exclusion(period_id: int) -> Any:
    period = db.session.get(ExcludedPeriod, period_id)
    if period is None:
        abort(404)
    case = editable_case(case_or_404(period.case_id))
    form = EndExclusionForm()
    if request.method == "GET":
        form.last_day.data = clock.today()
    if form.validate_on_submit():
        if run_operation(form, partial(ops.end_exclusion, period, form.last_day.data, actor=current_user))[0]:
            flash(_("Excluded time ended; the due dates have been recomputed."), "success")
            return back_to_case(case)
    return _action_page(
        case,
        form,
        heading=_("End excluded time"),
        period=period,
        fields=("last_day",),
        submit=_("End excluded time"),
        action=url_for(".end_exclusion", period_id=period.id),
    )
