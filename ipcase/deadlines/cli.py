"""Deadline commands: calc-deadline, sweep, sync-calendar, recompute-deadlines."""

import sys
from datetime import date, datetime
from typing import NoReturn

import click
from flask.cli import with_appcontext

from ipcase.core import clock
from ipcase.core.extensions import db
from ipcase.deadlines.calendar import Unit, compute
from ipcase.deadlines.calendar_store import effective_calendar
from ipcase.deadlines.forms import FIRST_YEAR, LAST_YEAR, MAX_LENGTH
from ipcase.deadlines.jobs import sweep
from ipcase.deadlines.operations import recompute_open_deadlines
from ipcase.deadlines.service import sync_calendar


def _parse_start(value: str) -> date | datetime:
    text = value.strip().replace("T", " ")
    try:
        if len(text) <= 10:
            return date.fromisoformat(text)
        moment = datetime.fromisoformat(text)
    except ValueError as exc:
        raise click.BadParameter(f"{value!r} is not a date (YYYY-MM-DD) or a date and time (YYYY-MM-DD HH:MM)") from exc
    return moment.replace(tzinfo=clock.LOCAL_TZ) if moment.tzinfo is None else moment


def _fail(message: str) -> NoReturn:
    """A clean error on stderr and exit code 2 (bad input), never a traceback."""
    click.secho(message, fg="red", err=True)
    sys.exit(2)


def register(group: click.Group) -> None:
    @group.command("calc-deadline")
    @click.option(
        "--from",
        "start",
        required=True,
        help="Triggering event: YYYY-MM-DD, or YYYY-MM-DD HH:MM (China time), or an instant with an offset "
        "(2024-10-11T16:20+00:00: its day in China counts).",
    )
    @click.option("--working-days", type=int, help="Period in working days (工作日).")
    @click.option("--days", type=int, help="Period in calendar days (日).")
    @click.option("--months", type=int, help="Period in months (月).")
    @click.option("--years", type=int, help="Period in years (年).")
    @click.option("--hours", type=int, help="Period in hours, by the clock.")
    @click.option("--explain", is_flag=True, help="Print the computation step by step.")
    @with_appcontext
    def calc_deadline(
        start: str,
        working_days: int | None,
        days: int | None,
        months: int | None,
        years: int | None,
        hours: int | None,
        explain: bool,
    ) -> None:
        """Compute a due date on the official working-day calendar."""
        given = {
            Unit.working_days: working_days,
            Unit.days: days,
            Unit.months: months,
            Unit.years: years,
            Unit.hours: hours,
        }
        chosen = [(u, n) for u, n in given.items() if n is not None]
        if len(chosen) != 1:
            raise click.UsageError("Give exactly one of --working-days, --days, --months, --years, --hours.")
        unit, n = chosen[0]
        option = f"--{unit.value.replace('_', '-')}"
        if n < 1:
            raise click.BadParameter("the length must be at least 1", param_hint=option)
        if n > MAX_LENGTH[unit]:
            raise click.BadParameter(f"at most {MAX_LENGTH[unit]} for this unit", param_hint=option)
        moment = _parse_start(start)
        if not FIRST_YEAR <= moment.year <= LAST_YEAR:
            raise click.BadParameter(f"give a year from {FIRST_YEAR} to {LAST_YEAR}", param_hint="--from")
        if unit == Unit.hours and not isinstance(moment, datetime):
            moment = datetime.combine(moment, datetime.min.time(), clock.LOCAL_TZ)
        elif unit != Unit.hours and isinstance(moment, datetime):
            moment = clock.to_local(moment).date()  # the event's day is its day in China (P1)
        try:
            result = compute(effective_calendar(), unit, moment, n)
        except (ValueError, OverflowError) as exc:
            _fail(f"This period cannot be computed: {exc}")
        if isinstance(result.due, datetime):
            click.echo(clock.to_local(result.due).strftime("%Y-%m-%d %H:%M"))
        else:
            click.echo(result.due.isoformat())
        if explain:
            for line in result.explain():
                click.echo(line)
        elif result.is_provisional:
            click.secho(result.explain()[-1], fg="yellow", err=True)

    @group.command("sweep")
    @with_appcontext
    def sweep_command() -> None:
        """Send reminders for deadlines coming due and alerts for missed ones (run from cron)."""
        counts = sweep()
        click.echo(" ".join(f"{k}={v}" for k, v in counts.items()))

    @group.command("sync-calendar")
    @with_appcontext
    def sync_calendar_command() -> None:
        """Load official holiday schedules from the maintained packages (idempotent)."""
        counts = sync_calendar()
        db.session.commit()
        click.echo(" ".join(f"{k}={v}" for k, v in counts.items()))

    @group.command("recompute-deadlines")
    @with_appcontext
    def recompute_command() -> None:
        """Recompute every open deadline against the current calendar and rules."""
        moved = recompute_open_deadlines(actor=None, reason="recompute-deadlines")
        db.session.commit()
        click.echo(f"moved={moved}")
