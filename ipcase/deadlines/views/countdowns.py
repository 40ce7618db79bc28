"""What is left of a deadline, in its own unit, and the texts deadlines.js counts down with."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from flask_babel import gettext as _
from flask_babel import ngettext

from ipcase.core import clock
from ipcase.deadlines.calendar import Unit, WorkCalendar
from ipcase.deadlines.models import Deadline, DeadlineState


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
        days = max((today - due_day(deadline)).days, 0)
        return Countdown(unit, "overdue", ngettext("Overdue by %(n)s day", "Overdue by %(n)s days", days, n=days))
    if deadline.unit == Unit.hours:
        minutes = int((deadline.due_at - now).total_seconds() // 60)
        h, m = divmod(minutes, 60)
        urgency = "soon" if minutes <= 60 else "normal"
        return Countdown(unit, urgency, _("%(h)s h %(m)s min left", h=h, m=f"{m:02d}"))
    due = due_day(deadline)
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


def due_day(deadline: Deadline) -> date:
    return deadline.due_on or clock.to_local(deadline.due_at).date()


def provisional_years(deadline: Deadline, cal: WorkCalendar) -> list[int]:
    """The years between the start and the due day whose official schedule is not confirmed."""
    if not deadline.is_provisional:
        return []
    first, last = clock.to_local(deadline.started_at).year, due_day(deadline).year
    return [y for y in range(first, last + 1) if y not in cal.confirmed_years] or [last]
