"""Deadline commands: calc-deadline, sweep, sync-calendar, recompute-deadlines."""

import sys
from datetime import date, datetime

import click
from flask.cli import with_appcontext

from ipcase.core import clock
from ipcase.extensions import db


def _parse_start(value: str) -> date | datetime:
    text = value.strip().replace("T", " ")
    try:
        if len(text) <= 10:
            return date.fromisoformat(text)
        moment = datetime.fromisoformat(text)
    except ValueError as exc:
        raise click.BadParameter(f"{value!r} is not a date (YYYY-MM-DD) or a date and time (YYYY-MM-DD HH:MM)") from exc
    return moment.replace(tzinfo=clock.LOCAL_TZ) if moment.tzinfo is None else moment


def register(group: click.Group) -> None:
    @group.command("calc-deadline")
    @click.option(
        "--from", "start", required=True, help="Triggering event: YYYY-MM-DD, or YYYY-MM-DD HH:MM (China time)."
    )
    @click.option("--working-days", type=int, help="Period in working days (工作日).")
    @click.option("--days", type=int, help="Period in calendar days (日).")
    @click.option("--months", type=int, help="Period in months (月).")
    @click.option("--hours", type=int, help="Period in hours, by the clock.")
    @click.option("--explain", is_flag=True, help="Print the computation step by step.")
    @with_appcontext
    def calc_deadline(
        start: str, working_days: int | None, days: int | None, months: int | None, hours: int | None, explain: bool
    ) -> None:
        """Compute a due date on the official working-day calendar."""
        from ipcase.deadlines.calendar import Unit, compute
        from ipcase.deadlines.service import effective_calendar

        given = {Unit.working_days: working_days, Unit.days: days, Unit.months: months, Unit.hours: hours}
        chosen = [(u, n) for u, n in given.items() if n is not None]
        if len(chosen) != 1:
            raise click.UsageError("Give exactly one of --working-days, --days, --months, --hours.")
        unit, n = chosen[0]
        if n < 1:
            raise click.BadParameter("the length must be at least 1", param_hint=f"--{unit.value.replace('_', '-')}")
        moment = _parse_start(start)
        if unit == Unit.hours and not isinstance(moment, datetime):
            moment = datetime.combine(moment, datetime.min.time(), clock.LOCAL_TZ)
        try:
            result = compute(effective_calendar(), unit, moment, n)
        except ValueError as exc:
            click.secho(str(exc), fg="red", err=True)
            sys.exit(1)
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
        from ipcase.deadlines.jobs import sweep

        counts = sweep()
        click.echo(" ".join(f"{k}={v}" for k, v in counts.items()))

    @group.command("sync-calendar")
    @with_appcontext
    def sync_calendar_command() -> None:
        """Load official holiday schedules from the maintained packages (idempotent)."""
        from ipcase.deadlines.service import sync_calendar

        counts = sync_calendar()
        db.session.commit()
        click.echo(" ".join(f"{k}={v}" for k, v in counts.items()))

    @group.command("recompute-deadlines")
    @with_appcontext
    def recompute_command() -> None:
        """Recompute every open deadline against the current calendar and rules."""
        from ipcase.deadlines.operations import recompute_open_deadlines

        moved = recompute_open_deadlines(actor=None, reason="recompute-deadlines")
        db.session.commit()
        click.echo(f"moved={moved}")
