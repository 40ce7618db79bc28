"""``flask --app wsgi ipcase …`` commands."""

import logging
import sys
from pathlib import Path

import click
import sqlalchemy as sa
from flask import current_app
from flask.cli import with_appcontext

from ipcase.auth.models import Role
from ipcase.auth.operations import create_user
from ipcase.core.errors import DomainError
from ipcase.core.extensions import db
from ipcase.deadlines import cli as deadlines_cli
from ipcase.demo.large import seed_large
from ipcase.demo.seed import DEMO_ACCOUNTS, seed_demo
from ipcase.ops import backup
from ipcase.organisations.models import Organisation
from ipcase.tasks.worker import WORKER_TYPES, run_worker


@click.group("ipcase")
def ipcase_cli() -> None:
    """ipcase administration commands."""


@ipcase_cli.command("create-user")
@click.option("--username", required=True)
@click.option("--name", "display_name", required=True, help="Full name shown in the interface.")
@click.option("--role", type=click.Choice([r.value for r in Role]), required=True)
@click.option("--organisation", "org_code", default=None, help="Organisation code (see the admin page).")
@click.option("--email", default="")
@click.password_option()
@with_appcontext
def create_user_command(
    username: str, display_name: str, role: str, org_code: str | None, email: str, password: str
) -> None:
    """Create an account."""
    org = None
    if org_code:
        org = db.session.scalar(sa.select(Organisation).where(Organisation.code == org_code))
        if org is None:
            click.secho(f"No organisation with code {org_code!r}.", fg="red", err=True)
            sys.exit(1)
    try:
        user = create_user(
            username=username,
            password=password,
            display_name=display_name,
            role=Role(role),
            organisation=org,
            email=email,
        )
    except DomainError as exc:
        db.session.rollback()
        for message in exc.messages:
            click.secho(message, fg="red", err=True)
        sys.exit(1)
    db.session.commit()
    click.secho(f"Created {user.username} ({user.role.value}).", fg="green")


@ipcase_cli.command("seed-demo")
@with_appcontext
def seed_demo_command() -> None:
    """Load demo organisations, one account per role and about 30 cases (once), and print the logins."""
    created = seed_demo()
    db.session.commit()
    if created:
        click.secho(f"Demo data loaded: {created} cases.", fg="green")
    else:
        click.secho("Demo data already present; nothing added.", fg="yellow")
    click.echo("Demo accounts (user name / password / role):")
    for username, password, role, _name, _org in DEMO_ACCOUNTS:
        click.echo(f"  {username:<12} {password:<22} {role.value}")


@ipcase_cli.command("seed-large")
@click.option("--cases", "count", default=100_000, show_default=True, type=click.IntRange(1, 2_000_000))
@with_appcontext
def seed_large_command(count: int) -> None:
    """Fill the database with COUNT synthetic cases for benchmarks (bulk inserts)."""
    seconds = seed_large(count)
    click.secho(f"Inserted {count} cases in {seconds:.1f} s.", fg="green")


@ipcase_cli.command("worker")
@click.option("--workers", default=1, show_default=True, type=click.IntRange(1, 64), help="Tasks run at once.")
@click.option("--worker-type", type=click.Choice(WORKER_TYPES), default="thread", show_default=True)
@click.option("--no-periodic", is_flag=True, help="Do not enqueue the periodic tasks (another worker does).")
@with_appcontext
def worker_command(workers: int, worker_type: str, no_periodic: bool) -> None:
    """Run the job queue's consumer (ipcase.tasks) until Ctrl-C or SIGTERM."""
    huey_log = logging.getLogger("huey")  # the consumer's own messages (the app's go through its logger)
    if not huey_log.handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        huey_log.addHandler(handler)
        huey_log.setLevel(logging.INFO)
    run_worker(current_app._get_current_object(), workers, worker_type, periodic=not no_periodic)


@ipcase_cli.command("backup")
@click.argument("path", type=click.Path(dir_okay=False, writable=True))
@with_appcontext
def backup_command(path: str) -> None:
    """Write the database (every table, evidence files and issued documents included) to PATH (.tar.gz)."""
    try:
        manifest = backup.backup(Path(path))
    except backup.BackupError as exc:
        click.secho(f"Backup failed: {exc}", fg="red", err=True)
        sys.exit(1)
    rows = sum(table["rows"] for table in manifest["tables"])
    click.secho(
        f"Backed up {rows} rows of {len(manifest['tables'])} tables and {len(manifest['documents'])} issued"
        f" documents (migration {manifest['alembic_revision']}) to {path}.",
        fg="green",
    )


@ipcase_cli.command("restore")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@with_appcontext
def restore_command(path: str) -> None:
    """Load the backup at PATH into this instance's empty database and check every document's hash."""
    try:
        report = backup.restore(Path(path))
    except backup.BackupError as exc:
        click.secho(f"Restore refused: {exc}", fg="red", err=True)
        sys.exit(1)
    click.echo(
        f"Restored {sum(report.counts.values())} rows of {len(report.counts)} tables (migration {report.revision})."
    )
    for label in report.mismatched:
        click.secho(f"  hash differs: {label}", fg="red")
    summary = f"{report.verified} issued documents verified, {len(report.mismatched)} mismatched."
    click.secho(summary, fg="green" if report.ok else "red")
    if not report.ok:
        sys.exit(1)


deadlines_cli.register(ipcase_cli)
