"""Due dates of deadlines on cases: the rule's period, plus approved extensions, plus excluded
time. Pure (no Flask, no database); the operations feed it rows and store what it returns."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from ipcase.deadlines.calendar import (
    LOCAL_TZ_NAME,
    Result,
    Step,
    Unit,
    WorkCalendar,
    _check_length,
    add_hours,
    add_working_days,
    finish,
    months_later,
    shift_to_workday,
    years_later,
)
from ipcase.deadlines.rules import Rule


@dataclass(frozen=True)
class Interval:
    """Excluded time, both ends inclusive; ``last`` None means still running."""

    first: date
    last: date | None
    label: str = ""


def excluded_days(intervals: Iterable[Interval], *, after: date, today: date, through: date | None = None) -> int:
    """Calendar days covered by the intervals after the period's start (and, given ``through``,
    up to that day), overlaps counted once ([85]37: time in suspension, appraisal … does not count)."""
    days: set[date] = set()
    for iv in intervals:
        first = max(iv.first, after + timedelta(days=1))
        last = iv.last or today
        if through is not None:
            last = min(last, through)
        d = first
        while d <= last:
            days.add(d)
            d += timedelta(days=1)
    return len(days)


def _check_extension(extended_by: int) -> None:
    if isinstance(extended_by, bool) or not isinstance(extended_by, int) or extended_by < 0:
        raise ValueError("an extension must be a whole number of at least 0")


def _later(unit: Unit, start: date, n: int) -> tuple[date, str]:
    """The nominal last day n units after ``start`` and the step code that explains it."""
    if unit == Unit.months:
        day, clamped = months_later(start, n)
        return day, "month_end" if clamped else "nominal"
    if unit == Unit.years:
        day, clamped = years_later(start, n)
        return day, "year_end" if clamped else "nominal"
    return start + timedelta(days=n), "nominal"


def due_result(
    cal: WorkCalendar,
    rule: Rule,
    *,
    started_at: datetime,
    length: int,
    extended_by: int = 0,
    exclusions: Iterable[Interval] = (),
    today: date,
) -> Result:
    """The due date (or instant, for hours) with its step-by-step explanation.

    Refuses (ValueError) a length below 1 and a negative extension. Excluded time counts only
    while the period runs: days excluded after its last day leave a missed limit where it was."""
    _check_length(length)
    _check_extension(extended_by)
    exclusions = list(exclusions)
    if rule.unit == Unit.hours:
        return add_hours(started_at, length + (extended_by if rule.extension_unit in (None, Unit.hours) else 0))
    start = local_date(started_at)
    ext_unit = rule.extension_unit or rule.unit
    if rule.unit == Unit.working_days:
        return add_working_days(cal, start, length + (extended_by if ext_unit == Unit.working_days else 0))
    nominal, code = _later(rule.unit, start, length)
    steps = [Step("start", start), Step(code, nominal)]
    if extended_by:
        if ext_unit == rule.unit:
            nominal, _code = _later(rule.unit, start, length + extended_by)
        elif ext_unit in (Unit.months, Unit.years) and rule.unit == Unit.days:
            nominal = _later(ext_unit, start, extended_by)[0] + timedelta(days=length)
        elif ext_unit in (Unit.months, Unit.years):
            nominal = _later(ext_unit, nominal, extended_by)[0]
        else:
            nominal = nominal + timedelta(days=extended_by)
        steps.append(Step("extension", nominal, note=f"+{extended_by} {ext_unit.value}"))
    if rule.is_pausable and exclusions:
        # The clock stops on excluded days while the period runs: push the end back by the
        # excluded days up to the (pushed) end, until no further excluded day falls inside.
        extra = 0
        while True:
            end = shift_to_workday(cal, nominal + timedelta(days=extra))[0]
            found = excluded_days(exclusions, after=start, today=today, through=end)
            if found == extra:
                break
            extra = found
        if extra:
            nominal = nominal + timedelta(days=extra)
            labels = "、".join(sorted({iv.label for iv in exclusions if iv.label}))
            steps.append(Step("excluded", nominal, note=labels, ordinal=extra))
    return finish(cal, start, rule.unit, length, nominal, steps)


LOCAL_TZ = ZoneInfo(LOCAL_TZ_NAME)


def local_date(instant: datetime) -> date:
    return instant.astimezone(LOCAL_TZ).date()


def end_of_day(day: date) -> datetime:
    """The last instant of ``day`` in China, in UTC: a day period runs to the end of its last day."""
    return datetime.combine(day, time(23, 59, 59), LOCAL_TZ).astimezone(UTC)


def due_instant(result: Result) -> tuple[date | None, datetime]:
    """(due_on, due_at) to store: the date and the end of that day, or the exact instant for hours."""
    if isinstance(result.due, datetime):
        return None, result.due.astimezone(UTC)
    return result.due, end_of_day(result.due)
