"""Official holiday schedules from maintained packages, to seed the calendar table.

``chinesecalendar`` carries the State Council's schedules with make-up working days and refuses
years it does not know (it raises rather than guess); ``holidays`` is the cross-check.
"""

from datetime import date, timedelta
from functools import cache

import chinese_calendar
import holidays as holidays_pkg

from ipcase.deadlines.calendar import OfficialDay


def package_years() -> range:
    """The years ``chinesecalendar`` has official schedules for."""
    years = {d.year for d in chinese_calendar.holidays} | {d.year for d in chinese_calendar.workdays}
    return range(min(years), max(years) + 1)


@cache
def official_days(year: int) -> tuple[OfficialDay, ...]:
    """Every exception to Monday–Friday in ``year``: statutory holidays on weekdays and make-up
    working days on weekends, named as the package names them."""
    days = []
    day = date(year, 1, 1)
    while day.year == year:
        is_workday = chinese_calendar.is_workday(day)
        weekend = day.weekday() >= 5
        _, name = chinese_calendar.get_holiday_detail(day)
        # Keep every exception to Monday–Friday, and the weekends inside a named holiday too,
        # so explanations say "国庆节" rather than "weekend" for 3 October.
        if is_workday == weekend or (not is_workday and name):
            days.append(OfficialDay(day, is_workday, _name(name, is_workday)))
        day += timedelta(days=1)
    return tuple(days)


_NAMES_ZH = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节",
    "Anti-Fascist 70th Day": "抗战胜利70周年纪念日",
}


def _name(name: str | None, is_workday: bool) -> str:
    zh = _NAMES_ZH.get(name or "", name or "")
    return f"{zh}调休上班" if is_workday else zh


def cross_check(year: int) -> list[str]:
    """Days on which ``chinesecalendar`` and ``holidays`` disagree about working or not."""
    cn = holidays_pkg.China(years=year)
    makeup = set(getattr(cn, "weekend_workdays", set()))
    problems = []
    day = date(year, 1, 1)
    while day.year == year:
        other = (day.weekday() < 5 and day not in cn) or day in makeup
        if other != chinese_calendar.is_workday(day):
            problems.append(f"{day.isoformat()}: chinesecalendar={chinese_calendar.is_workday(day)} holidays={other}")
        day += timedelta(days=1)
    return problems


@cache
def estimated_days(year: int) -> tuple[OfficialDay, ...]:
    """For a year without a published schedule: the statutory holidays by rule (``holidays``),
    without make-up days. Only an estimate — computations using it are marked provisional."""
    cn = holidays_pkg.China(years=year)
    days = []
    for day, name in sorted(cn.items()):
        if day.year == year and "substituted" not in name.lower():
            days.append(OfficialDay(day, False, name))
    return tuple(days)
