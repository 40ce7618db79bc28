"""The administrators' pages: the working calendar, the rules catalogue and the duty roster."""

import calendar as _cal
from datetime import date
from functools import partial
from typing import Any

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from sqlalchemy.orm import joinedload

from ipcase.auth.models import STAFF_ROLES, Role, User
from ipcase.auth.permissions import require_role
from ipcase.core import clock
from ipcase.core.extensions import db
from ipcase.core.forms import opts
from ipcase.deadlines import calendar_admin
from ipcase.deadlines.calendar import DayKind, WorkCalendar
from ipcase.deadlines.calendar_store import load_calendar
from ipcase.deadlines.forms import (
    FIRST_YEAR,
    LAST_YEAR,
    ConfirmYearForm,
    CorrectDayForm,
    DutyShiftForm,
    RuleSettingForm,
    YearScheduleForm,
)
from ipcase.deadlines.models import CalendarChange, CalendarDay, CalendarYear, DutyShift, RuleSetting
from ipcase.deadlines.rules import RULES, UnknownRule, get_rule
from ipcase.deadlines.views.blueprint import DAY_KINDS, bp
from ipcase.deadlines.views.loading import form_status, run_operation
from ipcase.organisations.models import Organisation


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
    ), form_status(day_form, schedule_form, confirm_form)


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
        ok, moved = run_operation(
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
        ok, moved = run_operation(form, partial(enter, actor=current_user))
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
        ok, moved = run_operation(form, partial(calendar_admin.confirm_year, year, actor=current_user))
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
    return page, form_status(failed[1] if failed else None)


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
        ok, moved = run_operation(
            form, partial(calendar_admin.set_rule_length, rule, org, form.length.data, actor=current_user)
        )
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
        if run_operation(
            form, partial(calendar_admin.add_duty_shift, org, user, actor=current_user, **form.to_command())
        )[0]:
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
    return render_template("deadlines/admin_duty.html", form=form, shifts=shifts, names=names), form_status(form)


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
