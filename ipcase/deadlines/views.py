"""Deadline pages: the case panel and its actions, my deadlines, the calculator, notifications,
and the administrators' calendar, rules catalogue and duty roster."""

import calendar as _cal
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import partial
from typing import Any

import sqlalchemy as sa
from flask import Blueprint, abort, flash, has_request_context, redirect, render_template, request, url_for
from flask_babel import format_date, format_datetime, ngettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import joinedload, selectinload

from ipcase.auth.models import STAFF_ROLES, Role, User
from ipcase.auth.permissions import require_role
from ipcase.cases.models import Assignment, Case
from ipcase.cases.permissions import can_edit, can_view, case_visibility_clause, visible_org_ids
from ipcase.core import clock
from ipcase.core.errors import DomainError
from ipcase.core.extensions import db
from ipcase.core.forms import apply_domain_errors, opts
from ipcase.deadlines import calendar_admin
from ipcase.deadlines import operations as ops
from ipcase.deadlines.calendar import DayKind, Result, Unit, WorkCalendar, compute
from ipcase.deadlines.forms import (
    EXTENSION_LEVELS,
    FIRST_YEAR,
    LAST_YEAR,
    CalculatorForm,
    CancelDeadlineForm,
    ConfirmYearForm,
    CorrectDayForm,
    DutyShiftForm,
    EndExclusionForm,
    ExtensionDecisionForm,
    ExtensionRequestForm,
    MyDeadlinesFilterForm,
    RecordEventForm,
    RuleSettingForm,
    StartExclusionForm,
    YearScheduleForm,
)
from ipcase.deadlines.messages import notification_text
from ipcase.deadlines.models import (
    OPEN_STATES,
    CalendarChange,
    CalendarDay,
    CalendarYear,
    Deadline,
    DeadlineEvent,
    DeadlineState,
    DutyShift,
    ExcludedPeriod,
    ExclusionKind,
    Extension,
    ExtensionState,
    Notification,
    RuleSetting,
    UnitLabel,
)
from ipcase.deadlines.notify import unread_count
from ipcase.deadlines.rules import RULES, Rule, UnknownRule, get_rule
from ipcase.deadlines.service import forget_calendar, load_calendar
from ipcase.deadlines.triggers import EVENT_LABELS, recordable_events
from ipcase.deadlines.triggers import record_event as record_event_op
from ipcase.organisations.models import Organisation

bp = Blueprint("deadlines", __name__)

PER_PAGE = 50
MAX_PAGE = 100_000

#: how sure a rule's legal basis is (domain.md: V, S, R)
TAGS = {
    "V": _l("Verified against the text of the rule"),
    "S": _l("From a secondary copy of the rule, not the official text"),
    "R": _l("Local assumption, not verified: configurable; check it before relying on it"),
}

DAY_KINDS = {
    DayKind.workday: _l("working day"),
    DayKind.weekend: _l("weekend"),
    DayKind.holiday: _l("public holiday"),
    DayKind.makeup_workday: _l("make-up working day"),
}

EVENTS = {
    "started": _l("Started"),
    "moved": _l("Due date moved"),
    "paused": _l("Paused"),
    "resumed": _l("Resumed"),
    "extension_requested": _l("Extension requested"),
    "extended": _l("Extended"),
    "extension_refused": _l("Extension refused"),
    "met": _l("Met"),
    "cancelled": _l("Cancelled"),
}


# -- template helpers ---------------------------------------------------------------------------


bp.add_app_template_global(TAGS, "dl_tags")  # type: ignore[arg-type]


@bp.app_template_filter("dl_when")
def when(value: date | datetime | None) -> str:
    """A step's or event's moment: date and time (China) for instants, the date for days."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return format_datetime(value, "yyyy-MM-dd HH:mm")
    return format_date(value, "yyyy-MM-dd")


@bp.app_template_filter("dl_unit")
def unit_label(value: Any) -> Any:
    try:
        return UnitLabel(str(value)).label
    except ValueError:
        return value


@bp.app_template_filter("dl_amount")
def amount(n: int, unit: Any) -> str:
    """A length in its unit ("5 working days", "1 month") in the reader's language."""
    unit = str(unit)
    if unit == Unit.working_days:
        return ngettext("%(n)s working day", "%(n)s working days", n, n=n)
    if unit == Unit.months:
        return ngettext("%(n)s month", "%(n)s months", n, n=n)
    if unit == Unit.years:
        return ngettext("%(n)s year", "%(n)s years", n, n=n)
    if unit == Unit.hours:
        return ngettext("%(n)s hour", "%(n)s hours", n, n=n)
    return ngettext("%(n)s day", "%(n)s days", n, n=n)


@bp.app_template_filter("dl_day_kind")
def day_kind_label(kind: DayKind | None, name: str = "") -> str:
    if kind is None:
        return name
    label = str(DAY_KINDS.get(kind, kind))
    return f"{label} · {name}" if name else label


@bp.app_template_filter("dl_event")
def event_label(kind: str) -> Any:
    return EVENTS.get(kind, kind)


@bp.app_template_filter("dl_extension_note")
def extension_note(note: str) -> str:
    """The engine's "+1 months" in the reader's language."""
    number, _sep, unit = note.partition(" ")
    try:
        return "+" + amount(int(number.lstrip("+")), unit)
    except ValueError:
        return note


@bp.app_template_filter("dl_event_note")
def event_note(event: DeadlineEvent) -> str:
    """The engine's notes on extension events ("director +1", "+1 months") in the reader's language."""
    if event.kind == "extended":
        return extension_note(event.note)
    if event.kind == "extension_requested":
        level, _sep, length = event.note.partition(" ")
        return f"{level_label(level)} {length}".strip()
    return event.note


@bp.app_template_filter("dl_level")
def level_label(level: str) -> Any:
    return EXTENSION_LEVELS.get(level, level)


@bp.app_context_processor
def inject_unread_notifications() -> dict[str, Any]:
    if not has_request_context() or not current_user.is_authenticated:
        return {"unread_notifications": 0}
    try:
        return {"unread_notifications": unread_count(current_user.id)}
    except SQLAlchemyError:
        # Error pages are rendered after a failed transaction; a header badge must not fail them.
        db.session.rollback()
        return {"unread_notifications": 0}


def countdown_texts() -> dict[str, str]:
    """Message templates for deadlines.js, in the reader's language ({n}, {h}, {m} filled in)."""
    return {
        "wd-one": ngettext("%(n)s working day left", "%(n)s working days left", 1, n="{n}"),
        "wd-other": ngettext("%(n)s working day left", "%(n)s working days left", 2, n="{n}"),
        "d-one": ngettext("%(n)s day left", "%(n)s days left", 1, n="{n}"),
        "d-other": ngettext("%(n)s day left", "%(n)s days left", 2, n="{n}"),
        "today": _("Due today"),
        "hm": _("%(h)s h %(m)s min left", h="{h}", m="{m}"),
        "od-one": ngettext("Overdue by %(n)s day", "Overdue by %(n)s days", 1, n="{n}"),
        "od-other": ngettext("Overdue by %(n)s day", "Overdue by %(n)s days", 2, n="{n}"),
        "od-hm": _("Overdue by %(h)s h %(m)s min", h="{h}", m="{m}"),
    }


# -- countdowns ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Countdown:
    """What is left of a deadline, in its own unit; ``urgency`` is overdue, soon, normal or paused."""

    unit: str
    urgency: str
    text: str
    #: for working-day periods: the working days still to come (ISO), so the page can count down
    workdays: tuple[str, ...] = ()


def countdown(deadline: Deadline, *, now: datetime, cal: WorkCalendar) -> Countdown | None:
    if deadline.state in (DeadlineState.met, DeadlineState.cancelled):
        return None
    unit = {Unit.hours: "hours", Unit.working_days: "working_days"}.get(deadline.unit, "days")
    if deadline.state == DeadlineState.suspended:
        return Countdown(unit, "paused", _("Paused: excluded time is running"))
    today = clock.to_local(now).date()
    if now > deadline.due_at or deadline.state == DeadlineState.breached:
        if deadline.unit == Unit.hours:
            h, m = divmod(int((now - deadline.due_at).total_seconds() // 60), 60)
            return Countdown(unit, "overdue", _("Overdue by %(h)s h %(m)s min", h=h, m=f"{m:02d}"))
        days = max((today - _due_day(deadline)).days, 0)
        return Countdown(unit, "overdue", ngettext("Overdue by %(n)s day", "Overdue by %(n)s days", days, n=days))
    if deadline.unit == Unit.hours:
        minutes = int((deadline.due_at - now).total_seconds() // 60)
        h, m = divmod(minutes, 60)
        urgency = "soon" if minutes <= 60 else "normal"
        return Countdown(unit, urgency, _("%(h)s h %(m)s min left", h=h, m=f"{m:02d}"))
    due = _due_day(deadline)
    if deadline.unit == Unit.working_days:
        workdays = tuple(
            d.isoformat()
            for d in (today + timedelta(days=i) for i in range(1, (due - today).days + 1))
            if cal.is_workday(d)
        )
        left = len(workdays)
        text = (
            _("Due today")
            if due == today
            else ngettext("%(n)s working day left", "%(n)s working days left", left, n=left)
        )
        return Countdown(unit, "soon" if left <= 1 else "normal", text, workdays)
    left = (due - today).days
    text = _("Due today") if left == 0 else ngettext("%(n)s day left", "%(n)s days left", left, n=left)
    return Countdown(unit, "soon" if left <= 1 else "normal", text)


def _due_day(deadline: Deadline) -> date:
    return deadline.due_on or clock.to_local(deadline.due_at).date()


def provisional_years(deadline: Deadline, cal: WorkCalendar) -> list[int]:
    """The years between the start and the due day whose official schedule is not confirmed."""
    if not deadline.is_provisional:
        return []
    first, last = clock.to_local(deadline.started_at).year, _due_day(deadline).year
    return [y for y in range(first, last + 1) if y not in cal.confirmed_years] or [last]


# -- loading and authorising --------------------------------------------------------------------


def _case_or_404(case_id: int) -> Case:
    case = db.session.get(Case, case_id)
    if case is None or not can_view(current_user, case):
        # Another organisation's or party's case: indistinguishable from a missing one.
        abort(404)
    return case


def _editable(case: Case) -> Case:
    if not can_edit(current_user, case):
        abort(403)
    return case


def _deadline_or_404(deadline_id: int) -> Deadline:
    deadline = db.session.get(Deadline, deadline_id)
    if deadline is None:
        abort(404)
    _case_or_404(deadline.case_id)
    return deadline


def _rule_of(deadline: Deadline) -> Rule | None:
    try:
        return get_rule(deadline.rule_id, deadline.rule_version)
    except UnknownRule:
        return None


def _levels(rule: Rule | None, deadline: Deadline | None = None) -> list[tuple[str, str]]:
    """The approvers who may still extend the period, each with what is left of their cap
    (a superior office only after the director's extension, [85]37)."""
    if rule is None:
        return []
    unit = rule.extension_unit or rule.unit
    granted = {"director": 0, "superior": 0}
    for ext in deadline.extensions if deadline is not None else ():
        if ext.state == ExtensionState.approved and ext.level in granted:
            granted[ext.level] += ext.length
    left = {"director": rule.director_extension - granted["director"]}
    if rule.superior_extension and (deadline is None or granted["director"]):
        left["superior"] = rule.superior_extension - granted["superior"]
    # the first level is the director's unless the rule names another approver (the defence
    # period: the panel leader, A4)
    labels = dict(EXTENSION_LEVELS)
    if rule.extension_approver == "panel_leader":
        labels["director"] = _("Panel leader")
    return [
        (level, _("%(level)s (at most %(amount)s)", level=labels[level], amount=amount(n, unit)))
        for level, n in left.items()
        if n > 0
    ]


def _run(form: Any, action: Callable[[], Any]) -> tuple[bool, Any]:
    """Run an operation: commit and return (True, its result), or show its refusal on the form,
    roll back and return (False, None)."""
    try:
        result = action()
    except DomainError as exc:
        db.session.rollback()
        forget_calendar()  # it may hold what the rolled-back change computed
        apply_domain_errors(form, exc)
        return False, None
    db.session.commit()
    return True, result


def _status(*forms: Any) -> int:
    return 422 if any(f is not None and (f.errors or f.form_errors) for f in forms) else 200


def _back_to_case(case: Case) -> Any:
    return redirect(url_for("cases.show_case", case_id=case.id) + "#deadlines")


# -- case panel ---------------------------------------------------------------------------------


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
        rule = _rule_of(deadline)
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
                levels=_levels(rule, deadline) if editable and deadline.is_open and pending is None else [],
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
    case = _case_or_404(case_id)
    return render_template("deadlines/case.html", case=case, **case_panel_context(case, current_user))


def _action_page(case: Case, form: Any, *, heading: Any, deadline: Deadline | None = None, **extra: Any) -> Any:
    row = None
    if deadline is not None:
        cal = load_calendar()
        row = DeadlineRow(deadline, _rule_of(deadline), countdown(deadline, now=clock.now(), cal=cal), None, [])
    return render_template(
        "deadlines/action.html",
        case=case,
        form=form,
        heading=heading,
        row=row,
        countdown_texts=countdown_texts(),
        **extra,
    ), _status(form)


@bp.route("/<id:deadline_id>/extension", methods=["GET", "POST"])
def request_extension(deadline_id: int) -> Any:
    deadline = _deadline_or_404(deadline_id)
    case = _editable(deadline.case)
    form = ExtensionRequestForm()
    form.level.choices = opts(_levels(_rule_of(deadline)))  # every level, so the operation explains a refusal
    if form.validate_on_submit():
        if _run(form, partial(ops.request_extension, deadline, actor=current_user, **form.to_command()))[0]:
            flash(_("Extension requested; the director has been told."), "success")
            return _back_to_case(case)
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
    case = _case_or_404(ext.deadline.case_id)
    if not ops.can_decide_extension(current_user, ext):
        abort(403)
    form = ExtensionDecisionForm()
    if form.validate_on_submit():
        command = form.to_command()
        if _run(form, partial(ops.decide_extension, ext, actor=current_user, **command))[0]:
            flash(_("Extension approved.") if command["approve"] else _("Extension refused."), "success")
            return _back_to_case(case)
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
    deadline = _deadline_or_404(deadline_id)
    case = _editable(deadline.case)
    form = CancelDeadlineForm()
    if form.validate_on_submit():
        if _run(form, partial(ops.cancel_deadline, deadline, actor=current_user, reason=form.reason.data))[0]:
            flash(_("Deadline cancelled."), "success")
            return _back_to_case(case)
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
    case = _editable(_case_or_404(case_id))
    form = StartExclusionForm()
    if request.method == "GET":
        form.first_day.data = clock.today()
    if form.validate_on_submit():
        if _run(form, partial(ops.start_exclusion, case, actor=current_user, **form.to_command()))[0]:
            flash(_("Excluded time started: the case's time limit is paused."), "success")
            return _back_to_case(case)
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
    case = _editable(_case_or_404(case_id))
    form = RecordEventForm()
    form.event.choices = opts(_event_choices(case))
    if request.method == "GET":
        form.at.data = clock.to_local(clock.now()).replace(second=0, microsecond=0, tzinfo=None)
    if form.validate_on_submit():
        if _run(form, partial(record_event_op, case, actor=current_user, **form.to_command()))[0]:
            flash(_("Event recorded; the time limits it meets and starts are updated."), "success")
            return _back_to_case(case)
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
    case = _editable(_case_or_404(period.case_id))
    form = EndExclusionForm()
    if request.method == "GET":
        form.last_day.data = clock.today()
    if form.validate_on_submit():
        if _run(form, partial(ops.end_exclusion, period, form.last_day.data, actor=current_user))[0]:
            flash(_("Excluded time ended; the due dates have been recomputed."), "success")
            return _back_to_case(case)
    return _action_page(
        case,
        form,
        heading=_("End excluded time"),
        period=period,
        fields=("last_day",),
        submit=_("End excluded time"),
        action=url_for(".end_exclusion", period_id=period.id),
    )


# -- my deadlines -------------------------------------------------------------------------------


def my_deadlines_query(user: User, *, unit: str = "", missed: bool = False) -> sa.Select[Any]:
    """Open deadlines of the cases ``user`` is assigned to (directors: every case of their
    organisation), most urgent first: missed ones, then by due instant."""
    states = [*OPEN_STATES, DeadlineState.breached] if missed else list(OPEN_STATES)
    stmt = (
        sa.select(Deadline)
        .join(Case, Case.id == Deadline.case_id)
        .where(Deadline.state.in_(states), case_visibility_clause(user))
        .options(joinedload(Deadline.case), joinedload(Deadline.party))
    )
    if user.role == Role.director:
        stmt = stmt.where(Case.organisation_id.in_(visible_org_ids(user)))
    else:
        stmt = stmt.where(Case.id.in_(sa.select(Assignment.case_id).where(Assignment.user_id == user.id)))
    if unit:
        stmt = stmt.where(Deadline.unit == unit)
    breached_first = sa.case((Deadline.state == DeadlineState.breached, 0), else_=1)
    return stmt.order_by(breached_first, Deadline.due_at, Deadline.id)


@bp.get("/mine")
def my_deadlines() -> Any:
    if current_user.role not in STAFF_ROLES:
        abort(403)
    form = MyDeadlinesFilterForm(request.args)
    form.unit.choices = opts([("", _("All units")), *UnitLabel.choices()])
    unit, missed, page = "", False, 1
    if form.validate():
        unit, missed, page = form.unit.data or "", bool(form.missed.data), form.page.data or 1
    pagination = db.paginate(
        my_deadlines_query(current_user, unit=unit, missed=missed),
        page=page,
        per_page=PER_PAGE,
        error_out=False,
        count=True,
    )
    cal, now = load_calendar(), clock.now()
    rows = [(d, countdown(d, now=now, cal=cal), provisional_years(d, cal)) for d in pagination.items]
    args = {k: v for k, v in request.args.items() if k != "page" and v}
    return render_template(
        "deadlines/mine.html",
        form=form,
        pagination=pagination,
        rows=rows,
        args=args,
        countdown_texts=countdown_texts(),
    )


# -- calculator ---------------------------------------------------------------------------------


@bp.route("/calculator", methods=["GET", "POST"])
def calculator() -> Any:
    if current_user.role not in STAFF_ROLES:
        abort(403)
    form = CalculatorForm()
    if request.method == "GET":
        form.start.data = clock.today().isoformat()
        form.unit.data = Unit.working_days.value
    result = None
    if form.validate_on_submit():
        command = form.to_command()
        try:
            result = compute(load_calendar(), command["unit"], command["start"], command["length"])
        except (ValueError, OverflowError):
            form.form_errors.append(_("This period cannot be computed: check the start and the length."))
    return render_template("deadlines/calculator.html", form=form, result=result), _status(form)


# -- notifications ------------------------------------------------------------------------------


@bp.get("/notifications")
def notifications() -> Any:
    page = min(max(request.args.get("page", 1, type=int), 1), MAX_PAGE)
    stmt = (
        sa.select(Notification)
        .where(Notification.user_id == current_user.id)
        .order_by(Notification.created_at.desc(), Notification.id.desc())
    )
    pagination = db.paginate(stmt, page=page, per_page=PER_PAGE, error_out=False, count=True)
    deadline_ids = {n.deadline_id for n in pagination.items if n.deadline_id is not None}
    # One query for all the page's deadlines and their cases, held while the texts are built so
    # that notification_text's lookups hit the identity map (which keeps only weak references).
    held = db.session.scalars(
        sa.select(Deadline).where(Deadline.id.in_(deadline_ids)).options(joinedload(Deadline.case))
    ).all()
    rows = [(n, notification_text(n)) for n in pagination.items]
    del held
    return render_template("deadlines/notifications.html", pagination=pagination, rows=rows)


@bp.post("/notifications/read")
def read_all_notifications() -> Any:
    db.session.execute(
        sa.update(Notification)
        .where(Notification.user_id == current_user.id, Notification.read_at.is_(None))
        .values(read_at=clock.now())
    )
    db.session.commit()
    flash(_("All notifications marked as read."), "success")
    return redirect(url_for(".notifications"))


@bp.post("/notifications/<id:note_id>/read")
def read_notification(note_id: int) -> Any:
    note = db.session.get(Notification, note_id)
    if note is None or note.user_id != current_user.id:
        abort(404)
    if note.read_at is None:
        note.read_at = clock.now()
        db.session.commit()
    if request.form.get("open") and note.case_id is not None:
        return redirect(url_for("cases.show_case", case_id=note.case_id) + "#deadlines")
    return redirect(url_for(".notifications"))


# -- administration: calendar -------------------------------------------------------------------


def _year_arg() -> int:
    year = request.args.get("year", type=int)
    return year if year is not None and FIRST_YEAR <= year <= LAST_YEAR else clock.today().year


def _month_grid(cal: WorkCalendar, year: int) -> list[tuple[int, list[list[tuple[date, bool, DayKind, str]]]]]:
    weeks_of = _cal.Calendar(firstweekday=0).monthdatescalendar
    return [
        (month, [[(d, d.month == month, cal.kind(d), cal.name(d)) for d in week] for week in weeks_of(year, month)])
        for month in range(1, 13)
    ]


def _schedule_text(days: list[CalendarDay]) -> str:
    return "\n".join(f"{d.day.isoformat()} {'work' if d.is_workday else 'rest'} {d.name}".rstrip() for d in days)


def _calendar_page(
    year: int,
    *,
    day_form: CorrectDayForm | None = None,
    schedule_form: YearScheduleForm | None = None,
    confirm_form: ConfirmYearForm | None = None,
) -> Any:
    first, last = date(year, 1, 1), date(year, 12, 31)
    days = db.session.scalars(
        sa.select(CalendarDay).where(CalendarDay.day >= first, CalendarDay.day <= last).order_by(CalendarDay.day)
    ).all()
    changes = db.session.scalars(
        sa.select(CalendarChange)
        .where(sa.or_(CalendarChange.year == year, CalendarChange.day.between(first, last)))
        .options(joinedload(CalendarChange.actor))
        .order_by(CalendarChange.id.desc())
        .limit(200)
    ).all()
    day_form = day_form or CorrectDayForm(formdata=None)
    schedule_form = schedule_form or YearScheduleForm(formdata=None, year=year, lines=_schedule_text(days))
    confirm_form = confirm_form or ConfirmYearForm(formdata=None, year=year)
    return render_template(
        "deadlines/admin_calendar.html",
        year=year,
        year_row=db.session.get(CalendarYear, year),
        months=_month_grid(load_calendar(), year),
        days=days,
        changes=changes,
        day_form=day_form,
        schedule_form=schedule_form,
        confirm_form=confirm_form,
        day_kinds=DAY_KINDS,
    ), _status(day_form, schedule_form, confirm_form)


def _moved_message(moved: int) -> str:
    return ngettext(
        "%(n)s open deadline moved; each move is recorded and the staff told.",
        "%(n)s open deadlines moved; each move is recorded and the staff told.",
        moved,
        n=moved,
    )


@bp.get("/admin/calendar")
@require_role(Role.admin)
def admin_calendar() -> Any:
    return _calendar_page(_year_arg())


@bp.post("/admin/calendar/day")
@require_role(Role.admin)
def correct_calendar_day() -> Any:
    form = CorrectDayForm()
    if form.validate_on_submit():
        command = form.to_command()
        ok, moved = _run(
            form, partial(calendar_admin.correct_day, **command, actor=current_user, reason=form.reason.data)
        )
        if ok:
            flash(_("Calendar corrected.") + " " + _moved_message(moved), "success")
            return redirect(url_for(".admin_calendar", year=command["day"].year))
    year = form.day.data.year if isinstance(form.day.data, date) else _year_arg()
    return _calendar_page(year, day_form=form)


@bp.post("/admin/calendar/schedule")
@require_role(Role.admin)
def enter_calendar_schedule() -> Any:
    form = YearScheduleForm()
    if form.validate_on_submit():
        year = form.year.data
        enter = partial(calendar_admin.enter_year_schedule, year, form.lines.data, reason=form.reason.data)
        ok, moved = _run(form, partial(enter, actor=current_user))
        if ok:
            done = _("The official schedule for %(year)s is entered and confirmed.", year=year)
            flash(done + " " + _moved_message(moved), "success")
            return redirect(url_for(".admin_calendar", year=year))
    year = form.year.data if isinstance(form.year.data, int) and FIRST_YEAR <= form.year.data <= LAST_YEAR else None
    return _calendar_page(year or _year_arg(), schedule_form=form)


@bp.post("/admin/calendar/confirm")
@require_role(Role.admin)
def confirm_calendar_year() -> Any:
    form = ConfirmYearForm()
    if form.validate_on_submit():
        year = form.year.data
        ok, moved = _run(form, partial(calendar_admin.confirm_year, year, actor=current_user))
        if ok:
            flash(_("%(year)s is confirmed.", year=year) + " " + _moved_message(moved), "success")
            return redirect(url_for(".admin_calendar", year=year))
    year = form.year.data if isinstance(form.year.data, int) and FIRST_YEAR <= form.year.data <= LAST_YEAR else None
    return _calendar_page(year or _year_arg(), confirm_form=form)


# -- administration: rules catalogue ------------------------------------------------------------


def _organisations() -> list[Organisation]:
    return list(db.session.scalars(sa.select(Organisation).order_by(Organisation.id)))


def _rules_page(failed: tuple[str, RuleSettingForm] | None = None) -> Any:
    orgs = _organisations()
    names = {o.id: o.name for o in orgs}
    settings: dict[str, list[tuple[str, RuleSetting]]] = {}
    for s in db.session.scalars(sa.select(RuleSetting).order_by(RuleSetting.organisation_id)):
        settings.setdefault(s.rule_id, []).append((names.get(s.organisation_id, "?"), s))
    forms: dict[str, RuleSettingForm] = {}
    for rule in RULES:
        if rule.is_configurable and rule.id not in forms:
            form = failed[1] if failed and failed[0] == rule.id else RuleSettingForm(formdata=None)
            form.organisation_id.choices = opts([(o.id, o.name) for o in orgs])
            forms[rule.id] = form
    page = render_template("deadlines/admin_rules.html", rules=RULES, settings=settings, forms=forms, failed=failed)
    return page, _status(failed[1] if failed else None)


@bp.get("/admin/rules")
@require_role(Role.admin)
def admin_rules() -> Any:
    return _rules_page()


@bp.post("/admin/rules/<rule_id>/setting")
@require_role(Role.admin)
def set_rule_setting(rule_id: str) -> Any:
    try:
        rule = get_rule(rule_id)
    except UnknownRule:
        abort(404)
    form = RuleSettingForm()
    form.organisation_id.choices = opts([(o.id, o.name) for o in _organisations()])
    if form.validate_on_submit():
        org = db.session.get(Organisation, form.organisation_id.data)
        ok, moved = _run(form, partial(calendar_admin.set_rule_length, rule, org, form.length.data, actor=current_user))
        if ok:
            flash(_("Setting saved.") + " " + _moved_message(moved), "success")
            return redirect(url_for(".admin_rules") + f"#rule-{rule.id}")
    return _rules_page((rule.id, form))


# -- administration: duty roster ----------------------------------------------------------------


def _duty_choices(form: DutyShiftForm) -> None:
    orgs = _organisations()
    names = {o.id: o.name for o in orgs}
    form.organisation_id.choices = opts([(o.id, o.name) for o in orgs])
    staff = db.session.scalars(
        sa.select(User)
        .where(User.is_active, User.organisation_id.is_not(None), User.role.in_(STAFF_ROLES))
        .order_by(User.organisation_id, User.display_name)
    )
    form.user_id.choices = opts([(u.id, f"{u.display_name} · {names.get(u.organisation_id, '')}") for u in staff])


@bp.route("/admin/duty", methods=["GET", "POST"])
@require_role(Role.admin)
def admin_duty() -> Any:
    form = DutyShiftForm()
    _duty_choices(form)
    if form.validate_on_submit():
        org = db.session.get(Organisation, form.organisation_id.data)
        user = db.session.get(User, form.user_id.data)
        if _run(form, partial(calendar_admin.add_duty_shift, org, user, actor=current_user, **form.to_command()))[0]:
            flash(_("Duty shift added."), "success")
            return redirect(url_for(".admin_duty"))
    shifts = db.session.scalars(
        sa.select(DutyShift)
        .where(DutyShift.ends_at > clock.now())
        .options(joinedload(DutyShift.user))
        .order_by(DutyShift.starts_at, DutyShift.id)
        .limit(500)
    ).all()
    names = {o.id: o.name for o in _organisations()}
    return render_template("deadlines/admin_duty.html", form=form, shifts=shifts, names=names), _status(form)


@bp.post("/admin/duty/<id:shift_id>/delete")
@require_role(Role.admin)
def delete_duty_shift(shift_id: int) -> Any:
    shift = db.session.get(DutyShift, shift_id)
    if shift is None:
        abort(404)
    calendar_admin.delete_duty_shift(shift, actor=current_user)
    db.session.commit()
    flash(_("Duty shift deleted."), "success")
    return redirect(url_for(".admin_duty"))
