"""Period arithmetic on China's official working-day calendar. Pure: no Flask, no database.

Rules (domain.md §1):
- P1: a period in days, months or years starts the day after the triggering event.
- P2: a month period ends on the corresponding day of the final month, or on that month's
  last day when it has no such day.
- P2 for years: a year period ends on the corresponding day of the final year; a period that
  starts on 29 February ends on 28 February when the final year is not a leap year.
- P3: a day, month or year period whose last day is a rest day ends on the next working day.
  Weekends are rest days; make-up working days (调休) are working days.
- P4: a period in working days (工作日) counts working days only; day 1 is the first working
  day after the event, and it is not shifted further.
- P6: a period in hours runs by the clock from the event, through nights and holidays.

Every computation returns the steps that explain it, and the calendar years it relied on that
have no confirmed official schedule (the result is then provisional).
"""

import calendar as _cal
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from enum import StrEnum

LOCAL_TZ_NAME = "Asia/Shanghai"


class DayKind(StrEnum):
    workday = "workday"
    weekend = "weekend"
    holiday = "holiday"
    makeup_workday = "makeup_workday"


class Unit(StrEnum):
    working_days = "working_days"
    days = "days"
    months = "months"
    years = "years"
    hours = "hours"


@dataclass(frozen=True)
class OfficialDay:
    """An exception to the Monday–Friday pattern: a statutory holiday or a make-up working day."""

    day: date
    is_workday: bool
    name: str = ""


class WorkCalendar:
    """Monday–Friday working weeks, corrected by the official schedule of each confirmed year."""

    def __init__(self, official_days: Iterable[OfficialDay] = (), confirmed_years: Iterable[int] = ()) -> None:
        self._days: Mapping[date, OfficialDay] = {d.day: d for d in official_days}
        self.confirmed_years = frozenset(confirmed_years)

    def kind(self, day: date) -> DayKind:
        official = self._days.get(day)
        weekend = day.weekday() >= 5
        if official is not None:
            if official.is_workday:
                return DayKind.makeup_workday if weekend else DayKind.workday
            return DayKind.holiday
        return DayKind.weekend if weekend else DayKind.workday

    def is_workday(self, day: date) -> bool:
        return self.kind(day) in (DayKind.workday, DayKind.makeup_workday)

    def name(self, day: date) -> str:
        official = self._days.get(day)
        return official.name if official else ""

    def is_confirmed(self, day: date) -> bool:
        return day.year in self.confirmed_years


@dataclass(frozen=True)
class Step:
    """One line of an explanation. ``code`` is one of: start, count, skip, nominal, month_end,
    extension, excluded, shift, due, clock."""

    code: str
    day: date | datetime
    kind: DayKind | None = None
    note: str = ""
    ordinal: int | None = None

    def describe(self) -> str:
        """English sentence; the web UI renders the same steps in the reader's language."""
        when = self.day.strftime("%Y-%m-%d %H:%M") if isinstance(self.day, datetime) else self.day.isoformat()
        label = f" ({self.note})" if self.note else ""
        kind = f"{self.kind.value.replace('_', ' ')}{label}" if self.kind else ""
        texts = {
            "start": f"{when}: triggering event; this day is not counted (P1)",
            "count": f"{when}: working day {self.ordinal}"
            + (f" — {kind}" if self.kind == DayKind.makeup_workday else ""),
            "skip": f"{when}: not counted — {kind}",
            "nominal": f"{when}: the period's last day by the calendar",
            "month_end": f"{when}: the final month has no corresponding day; its last day is used (P2)",
            "year_end": f"{when}: the final year has no 29 February; 28 February is used (P2)",
            "extension": f"{when}: after the approved extension ({self.note})",
            "excluded": f"{when}: after adding {self.ordinal} excluded day(s) ({self.note})",
            "shift": f"{when}: last day is a rest day ({kind}); moved to the next working day (P3)",
            "due": f"{when}: due",
            "clock": f"{when}: due by the clock; hours run through nights and holidays (P6)",
        }
        return texts[self.code]


@dataclass(frozen=True)
class Result:
    start: date | datetime
    unit: Unit
    length: int
    due: date | datetime
    steps: tuple[Step, ...]
    provisional_years: tuple[int, ...] = field(default=())

    @property
    def is_provisional(self) -> bool:
        return bool(self.provisional_years)

    def explain(self) -> list[str]:
        lines = [s.describe() for s in self.steps]
        if self.provisional_years:
            years = ", ".join(str(y) for y in self.provisional_years)
            lines.append(f"PROVISIONAL: no confirmed official holiday schedule for {years}")
        return lines


class _Tracker:
    """Collects the years a computation looked at that are not confirmed."""

    def __init__(self, cal: WorkCalendar) -> None:
        self.cal = cal
        self.unconfirmed: set[int] = set()

    def kind(self, day: date) -> DayKind:
        if not self.cal.is_confirmed(day):
            self.unconfirmed.add(day.year)
        return self.cal.kind(day)


def _check_length(n: int) -> None:
    if isinstance(n, bool) or not isinstance(n, int) or n < 1:
        raise ValueError("a period's length must be a whole number of at least 1")


def add_working_days(cal: WorkCalendar, start: date, n: int) -> Result:
    """The n-th working day after ``start`` (P1, P4). Legal basis: [85] uses 工作日 for e.g. 立案 5 WD."""
    _check_length(n)
    track = _Tracker(cal)
    steps = [Step("start", start)]
    day, counted = start, 0
    while counted < n:
        day += timedelta(days=1)
        kind = track.kind(day)
        if kind in (DayKind.workday, DayKind.makeup_workday):
            counted += 1
            steps.append(Step("count", day, kind, cal.name(day), counted))
        else:
            steps.append(Step("skip", day, kind, cal.name(day)))
    steps.append(Step("due", day))
    return Result(start, Unit.working_days, n, day, tuple(steps), tuple(sorted(track.unconfirmed)))


def add_days(cal: WorkCalendar, start: date, n: int) -> Result:
    """``start`` + n calendar days, moved to the next working day if it is a rest day (P1, P3, P5)."""
    _check_length(n)
    nominal = start + timedelta(days=n)
    return finish(cal, start, Unit.days, n, nominal, [Step("start", start), Step("nominal", nominal)])


def months_later(start: date, n: int) -> tuple[date, bool]:
    """The corresponding day n months after ``start``; True when clamped to the month's end (P2)."""
    month_index = start.month - 1 + n
    year, month = start.year + month_index // 12, month_index % 12 + 1
    last = _cal.monthrange(year, month)[1]
    return date(year, month, min(start.day, last)), start.day > last


def add_months(cal: WorkCalendar, start: date, n: int) -> Result:
    """The corresponding day n months later, or the month's last day; then P3 (P1, P2, P3)."""
    _check_length(n)
    nominal, clamped = months_later(start, n)
    steps = [Step("start", start), Step("month_end" if clamped else "nominal", nominal)]
    return finish(cal, start, Unit.months, n, nominal, steps)


def years_later(start: date, n: int) -> tuple[date, bool]:
    """The corresponding day n years after ``start``; True when 29 February became 28 February (P2)."""
    year = start.year + n
    if start.month == 2 and start.day == 29 and not _cal.isleap(year):
        return date(year, 2, 28), True
    return start.replace(year=year), False


def add_years(cal: WorkCalendar, start: date, n: int) -> Result:
    """The corresponding day n years later (29 February → 28 February); then P3 (P1, P2, P3)."""
    _check_length(n)
    nominal, clamped = years_later(start, n)
    steps = [Step("start", start), Step("year_end" if clamped else "nominal", nominal)]
    return finish(cal, start, Unit.years, n, nominal, steps)


def shift_to_workday(cal: WorkCalendar, nominal: date) -> tuple[date, list[Step], set[int]]:
    """P3 alone: the nominal last day if it is a working day, else the next working day."""
    track = _Tracker(cal)
    steps: list[Step] = []
    day = nominal
    kind = track.kind(day)
    while kind not in (DayKind.workday, DayKind.makeup_workday):
        steps.append(Step("shift", day, kind, cal.name(day)))
        day += timedelta(days=1)
        kind = track.kind(day)
    return day, steps, track.unconfirmed


def finish(cal: WorkCalendar, start: date, unit: Unit, n: int, nominal: date, steps: list[Step]) -> Result:
    """Apply P3 to a nominal last day and close the explanation."""
    due, shift_steps, unconfirmed = shift_to_workday(cal, nominal)
    steps += shift_steps
    steps.append(Step("due", due))
    return Result(start, unit, n, due, tuple(steps), tuple(sorted(unconfirmed)))


def add_hours(start: datetime, n: int) -> Result:
    """``start`` + n hours by the clock, not extended for nights or holidays (P6)."""
    _check_length(n)
    if start.tzinfo is None:
        raise ValueError("an hour period needs a time zone")
    due = start + timedelta(hours=n)
    return Result(start, Unit.hours, n, due, (Step("start", start), Step("clock", due)))


def compute(cal: WorkCalendar, unit: Unit | str, start: date | datetime, n: int) -> Result:
    """Dispatch on the unit; hours need a datetime, the other units a date."""
    unit = Unit(unit)
    if unit == Unit.hours:
        if not isinstance(start, datetime):
            raise ValueError("an hour period starts at a date and time")
        return add_hours(start, n)
    day = start.date() if isinstance(start, datetime) else start
    adders = {Unit.working_days: add_working_days, Unit.days: add_days, Unit.months: add_months, Unit.years: add_years}
    return adders[unit](cal, day, n)
