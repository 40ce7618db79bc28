"""Keeping the working calendar in the database in step with the official schedules, and the audit
trail of its changes (the calendar as loaded from the database: ``calendar_store``)."""

from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from ipcase.auth.models import User
from ipcase.core import clock
from ipcase.core.extensions import db
from ipcase.deadlines.calendar import OfficialDay, WorkCalendar
from ipcase.deadlines.calendar_store import forget_calendar, load_calendar
from ipcase.deadlines.models import CalendarChange, CalendarDay, CalendarYear, DaySource
from ipcase.deadlines.official import estimated_days, official_days, package_years
from ipcase.deadlines.operations import recompute_open_deadlines


def sync_calendar(*, through_year: int | None = None) -> dict[str, int]:
    """Load official schedules from ``chinesecalendar`` for every year it knows, and statutory
    holidays by rule (unconfirmed) for the years after, through ``through_year``. Years an
    administrator has entered or corrected are left alone. Safe to run repeatedly.

    A year whose days or confirmation changed moves the open deadlines it touches, in the same
    transaction, as an administrator's calendar change does (each move on the case's timeline
    and notified): ``counts["moved"]``."""
    years = package_years()
    last = max(through_year or 0, years.stop, clock.today().year + 1)
    existing = {y.year: y for y in db.session.scalars(sa.select(CalendarYear))}
    before = load_calendar()
    replaced: list[int] = []
    counts = {"confirmed": 0, "estimated": 0, "kept": 0}
    for year in range(years.start, last + 1):
        row = existing.get(year)
        if row is not None and row.source in (DaySource.official_notice, DaySource.correction):
            counts["kept"] += 1
            continue
        known = year in years
        if row is not None and row.source == DaySource.package and known:
            continue
        if row is not None and row.source == DaySource.estimate and not known:
            continue
        days = official_days(year) if known else estimated_days(year)
        _replace_year(year, days, DaySource.package if known else DaySource.estimate)
        if row is None:
            row = CalendarYear(year=year, source=DaySource.estimate)
            db.session.add(row)
        row.source = DaySource.package if known else DaySource.estimate
        row.is_confirmed = known
        row.confirmed_at = clock.now() if known else None
        counts["confirmed" if known else "estimated"] += 1
        replaced.append(year)
    db.session.flush()
    forget_calendar()
    counts["moved"] = 0
    ranges = changed_ranges(before, load_calendar(), replaced)
    if ranges:
        label = ", ".join(str(y) for y in sorted({r[0].year for r in ranges} | {r[1].year for r in ranges}))
        counts["moved"] = recompute_open_deadlines(
            actor=None, reason=str(_l("Official holiday schedule updated: %(years)s", years=label)), ranges=ranges
        )
    return counts


def changed_ranges(before: WorkCalendar, after: WorkCalendar, years: Iterable[int]) -> list[tuple[date, date]]:
    """The stretches of ``years`` on which two calendars differ: a whole year whose confirmation
    changed (its computations gain or lose the provisional mark), else each run of days whose
    working or rest status changed."""
    ranges: list[tuple[date, date]] = []
    for year in sorted(set(years)):
        first, last = date(year, 1, 1), date(year, 12, 31)
        if before.is_confirmed(first) != after.is_confirmed(first):
            ranges.append((first, last))
            continue
        run: list[date] = []
        day = first
        while day <= last:
            if before.is_workday(day) != after.is_workday(day):
                if run and (day - run[-1]).days > 1:
                    ranges.append((run[0], run[-1]))
                    run = []
                run.append(day)
            day += timedelta(days=1)
        if run:
            ranges.append((run[0], run[-1]))
    return ranges


def _replace_year(year: int, days: Iterable[OfficialDay], source: DaySource) -> None:
    db.session.execute(
        sa.delete(CalendarDay).where(CalendarDay.day >= date(year, 1, 1), CalendarDay.day <= date(year, 12, 31))
    )
    db.session.add_all(CalendarDay(day=d.day, is_workday=d.is_workday, name=d.name, source=source) for d in days)


def audit_calendar(
    action: str,
    *,
    actor: User | None,
    day: date | None = None,
    year: int | None = None,
    old: dict[str, Any] | None = None,
    new: dict[str, Any] | None = None,
    reason: str = "",
) -> None:
    db.session.add(
        CalendarChange(action=action, actor=actor, day=day, year=year, old=old or {}, new=new or {}, reason=reason)
    )
