"""The working calendar as the database holds it (cached for the current request or command), or
straight from the holiday packages while the database has none. Kept apart from ``service``, which
updates the calendar and so moves deadlines: the deadline operations need only this."""

from functools import cache

import sqlalchemy as sa
from flask import g, has_app_context

from ipcase.core.extensions import db
from ipcase.deadlines.calendar import OfficialDay, WorkCalendar
from ipcase.deadlines.models import CalendarDay, CalendarYear
from ipcase.deadlines.official import estimated_days, official_days, package_years


def load_calendar() -> WorkCalendar:
    """The calendar as the database holds it; cached for the current request or command."""
    if has_app_context() and "work_calendar" in g:
        return g.work_calendar
    years = db.session.execute(sa.select(CalendarYear.year, CalendarYear.is_confirmed)).all()
    if years:
        days = [OfficialDay(d.day, d.is_workday, d.name) for d in db.session.scalars(sa.select(CalendarDay))]
        cal = WorkCalendar(days, [y for y, confirmed in years if confirmed])
    else:
        # Not loaded yet (``flask ipcase sync-calendar``): use the packages' schedules meanwhile.
        cal = package_calendar()
    if has_app_context():
        g.work_calendar = cal
    return cal


def forget_calendar() -> None:
    if has_app_context():
        g.pop("work_calendar", None)


@cache
def package_calendar() -> WorkCalendar:
    """The calendar straight from the packages, for a database whose calendar is not loaded yet."""
    years = package_years()
    days = [d for y in years for d in official_days(y)] + list(estimated_days(years.stop))
    return WorkCalendar(days, years)


def effective_calendar() -> WorkCalendar:
    return load_calendar()
