"""Administrators' operations on the deadline engine's data: the official calendar, per-organisation
rule settings and the duty roster. Each calendar change is audited (CalendarChange), and every open
deadline a change touches is recomputed, each move audited and notified. None commits."""

import logging
import re
from datetime import date, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from ipcase.auth.models import STAFF_ROLES, User
from ipcase.core import clock
from ipcase.core.errors import DomainError
from ipcase.core.extensions import db
from ipcase.deadlines import calendar_store, operations, service
from ipcase.deadlines.forms import MAX_LENGTH
from ipcase.deadlines.models import CalendarDay, CalendarYear, DaySource, DutyShift, RuleSetting
from ipcase.deadlines.rules import Rule
from ipcase.organisations.models import Organisation

log = logging.getLogger(__name__)

#: an administrator's entries that ``sync_calendar`` must leave alone
ADMIN_SOURCES = (DaySource.official_notice, DaySource.correction)

#: 2027-02-06 rest 春节 — the date, rest or work, and an optional name
_LINE = re.compile(r"(?P<day>\S+)\s+(?P<kind>\S+)(?:\s+(?P<name>.*))?")

#: the longest duty shift accepted
MAX_SHIFT = timedelta(days=31)


def _day_state(row: CalendarDay | None) -> dict[str, Any]:
    if row is None:
        return {}
    return {"is_workday": row.is_workday, "name": row.name, "source": row.source.value}


def _recompute(first: date, last: date, *, actor: User, reason: str) -> int:
    calendar_store.forget_calendar()
    db.session.flush()
    return operations.recompute_open_deadlines(actor=actor, reason=reason, touching=(first, last))


def correct_day(day: date, is_workday: bool, name: str, *, actor: User, reason: str) -> int:
    """Make one day a working day or a rest day (a correction of the official schedule).
    Returns how many open deadlines moved."""
    name, reason = name.strip(), reason.strip()
    if not reason:
        raise DomainError(("reason", _l("Give the reason for the correction.")))
    if len(name) > 60:
        raise DomainError(("name", _l("At most %(n)d characters.", n=60)))
    row = db.session.get(CalendarDay, day)
    old = _day_state(row)
    currently_workday = row.is_workday if row is not None else day.weekday() < 5
    if currently_workday == is_workday and (row.name if row is not None else "") == name:
        raise DomainError(("kind", _l("The calendar already says this.")))
    if is_workday == (day.weekday() < 5) and not name:
        # Back to the plain Monday–Friday pattern: no exception row is needed.
        if row is not None:
            db.session.delete(row)
    else:
        if row is None:
            row = CalendarDay(day=day)
            db.session.add(row)
        row.is_workday, row.name, row.source = is_workday, name, DaySource.correction
    year = db.session.get(CalendarYear, day.year)
    if year is None:
        db.session.add(CalendarYear(year=day.year, source=DaySource.correction, is_confirmed=False))
    elif year.source not in ADMIN_SOURCES:
        year.source = DaySource.correction  # so that sync-calendar does not overwrite the correction
    new = {"is_workday": is_workday, "name": name, "source": DaySource.correction.value}
    service.audit_calendar("correct_day", actor=actor, day=day, year=day.year, old=old, new=new, reason=reason)
    label = str(_l("Calendar corrected: %(day)s", day=day.isoformat()))
    return _recompute(day, day, actor=actor, reason=label)


class _BadLine(Exception):
    def __init__(self, problem: Any) -> None:
        self.problem = problem


def _parse_line(year: int, text: str, seen: set[date]) -> tuple[date, bool, str]:
    match = _LINE.fullmatch(text)
    if match is None:
        raise _BadLine(_l("expected a date, rest or work, and a name"))
    try:
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", match["day"]):
            raise ValueError(match["day"])
        day = date.fromisoformat(match["day"])
    except ValueError:
        raise _BadLine(_l("%(text)s is not a date (YYYY-MM-DD)", text=match["day"])) from None
    kind, name = match["kind"].lower(), (match["name"] or "").strip()
    if day.year != year:
        raise _BadLine(_l("the date is not in %(year)d", year=year))
    if kind not in ("rest", "work"):
        raise _BadLine(_l("write rest or work, not %(text)s", text=match["kind"]))
    if kind == "work" and day.weekday() < 5:
        raise _BadLine(_l("a make-up working day falls on a Saturday or Sunday"))
    if len(name) > 60:
        raise _BadLine(_l("the name is longer than %(n)d characters", n=60))
    if day in seen:
        raise _BadLine(_l("this date is given twice"))
    return day, kind == "work", name


def parse_schedule(year: int, lines: str) -> list[tuple[date, bool, str]]:
    """Strictly parse ``YYYY-MM-DD rest|work name`` lines; every bad line is named in the error."""
    errors: list[tuple[str, Any]] = []
    days: dict[date, tuple[date, bool, str]] = {}
    for number, raw in enumerate(lines.splitlines(), start=1):
        text = raw.strip()
        if not text:
            continue
        try:
            day, is_workday, name = _parse_line(year, text, set(days))
        except _BadLine as bad:
            message = _l("Line %(n)d (%(line)s): %(problem)s.", n=number, line=text[:40], problem=bad.problem)
            errors.append(("lines", message))
            if len(errors) >= 10:
                break
        else:
            days[day] = (day, is_workday, name)
    if errors:
        raise DomainError(*errors)
    if not days:
        raise DomainError(("lines", _l("Enter at least one holiday or make-up working day.")))
    return sorted(days.values())


def enter_year_schedule(year: int, lines: str, *, actor: User, reason: str) -> int:
    """Enter the State Council's schedule for ``year``: it replaces the year's days and confirms
    the year. Returns how many open deadlines moved."""
    reason = reason.strip()
    if not reason:
        raise DomainError(("reason", _l("Name the notice the schedule comes from.")))
    days = parse_schedule(year, lines)
    first, last = date(year, 1, 1), date(year, 12, 31)
    old_rows = db.session.scalars(
        sa.select(CalendarDay).where(CalendarDay.day >= first, CalendarDay.day <= last).order_by(CalendarDay.day)
    ).all()
    row = db.session.get(CalendarYear, year)
    old = {
        "is_confirmed": bool(row and row.is_confirmed),
        "source": row.source.value if row else None,
        "days": [[d.day.isoformat(), d.is_workday, d.name] for d in old_rows],
    }
    db.session.execute(sa.delete(CalendarDay).where(CalendarDay.day >= first, CalendarDay.day <= last))
    db.session.add_all(CalendarDay(day=d, is_workday=w, name=n, source=DaySource.official_notice) for d, w, n in days)
    if row is None:
        row = CalendarYear(year=year, source=DaySource.official_notice)
        db.session.add(row)
    _confirm(row, actor, note=reason, source=DaySource.official_notice)
    new = {"is_confirmed": True, "days": [[d.isoformat(), w, n] for d, w, n in days]}
    service.audit_calendar("enter_year", actor=actor, year=year, old=old, new=new, reason=reason)
    label = str(_l("Official schedule for %(year)d entered", year=year))
    return _recompute(first, last, actor=actor, reason=label)


def confirm_year(year: int, *, actor: User) -> int:
    """Confirm the year's days as they stand: its computations stop being provisional.
    Returns how many open deadlines moved (usually none; they lose their provisional mark)."""
    row = db.session.get(CalendarYear, year)
    if row is None:
        raise DomainError(("year", _l("There is no calendar for %(year)d yet: enter its schedule.", year=year)))
    if row.is_confirmed:
        raise DomainError(("year", _l("%(year)d is already confirmed.", year=year)))
    old = {"is_confirmed": False, "source": row.source.value}
    # An estimate an administrator has checked becomes theirs: sync-calendar leaves it alone.
    _confirm(row, actor, note=row.note, source=row.source if row.source in ADMIN_SOURCES else DaySource.official_notice)
    service.audit_calendar(
        "confirm_year", actor=actor, year=year, old=old, new={"is_confirmed": True, "source": row.source.value}
    )
    label = str(_l("Calendar %(year)d confirmed", year=year))
    return _recompute(date(year, 1, 1), date(year, 12, 31), actor=actor, reason=label)


def _confirm(row: CalendarYear, actor: User, *, note: str, source: DaySource) -> None:
    row.is_confirmed = True
    row.confirmed_at = clock.now()
    row.confirmed_by_id = actor.id
    row.source = source
    row.note = note[:200]


# -- rule settings ----------------------------------------------------------------------------


def set_rule_length(rule: Rule, organisation: Organisation, length: int | None, *, actor: User) -> int:
    """Set (or, with None, clear) an organisation's own length of a configurable rule, and
    recompute that organisation's open deadlines of the rule. Returns how many moved."""
    if not rule.is_configurable:
        raise DomainError(_l("This time limit is fixed by law and cannot be set."))
    setting = db.session.scalar(
        sa.select(RuleSetting).where(RuleSetting.organisation_id == organisation.id, RuleSetting.rule_id == rule.id)
    )
    if length is None:
        if setting is None:
            raise DomainError(("length", _l("This organisation uses the catalogue's length already.")))
        db.session.delete(setting)
    else:
        if isinstance(length, bool) or not isinstance(length, int) or length < 1:
            raise DomainError(("length", _l("Enter a whole number of at least 1.")))
        if length > MAX_LENGTH[rule.unit]:
            raise DomainError(("length", _l("At most %(n)d for this unit.", n=MAX_LENGTH[rule.unit])))
        if rule.tag == "V" and length < rule.length:
            # A verified configurable rule states a statutory minimum (e.g. 举证期限不少于15日).
            raise DomainError(("length", _l("The law requires at least %(n)d.", n=rule.length)))
        if setting is None:
            setting = RuleSetting(organisation_id=organisation.id, rule_id=rule.id)
            db.session.add(setting)
        setting.length = length
        setting.updated_by_id = actor.id
    db.session.flush()
    log.info("rule %s for organisation %s set to %s by %s", rule.id, organisation.id, length, actor.username)
    reason = str(_l("Local setting of %(title)s changed", title=rule.title))
    return operations.recompute_open_deadlines(
        actor=actor, reason=reason, rule_ids=[rule.id], organisation_id=organisation.id
    )


# -- duty roster ------------------------------------------------------------------------------


def add_duty_shift(
    organisation: Organisation, user: User, *, starts_at: datetime, ends_at: datetime, actor: User
) -> DutyShift:
    """Put ``user`` on duty for the organisation's round-the-clock deadlines from ``starts_at`` to ``ends_at``."""
    if user.organisation_id != organisation.id or user.role not in STAFF_ROLES or not user.is_active:
        raise DomainError(("user_id", _l("Choose an active staff member of this organisation.")))
    if ends_at <= starts_at:
        raise DomainError(("ends_at", _l("The shift must end after it starts.")))
    if ends_at - starts_at > MAX_SHIFT:
        raise DomainError(("ends_at", _l("A shift lasts at most %(n)d days.", n=MAX_SHIFT.days)))
    if ends_at <= clock.now():
        raise DomainError(("ends_at", _l("This shift has already ended.")))
    shift = DutyShift(organisation_id=organisation.id, user=user, starts_at=starts_at, ends_at=ends_at)
    db.session.add(shift)
    db.session.flush()
    log.info("duty shift %s added by %s", shift.id, actor.username)
    return shift


def delete_duty_shift(shift: DutyShift, *, actor: User) -> None:
    log.info("duty shift %s deleted by %s", shift.id, actor.username)
    db.session.delete(shift)
    db.session.flush()
