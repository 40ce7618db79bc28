"""Time one deadline sweep over 100,000 open deadlines, on SQLite and on PostgreSQL.

    python bench/sweep.py [--deadlines 100000] [--backend sqlite|postgresql|both]

Prints, per backend: rows set up, the first sweep (which claims the breached and due-soon rows and
writes their notifications), and a second sweep right after (nothing left to claim).
"""

import argparse
import sys
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import sqlalchemy as sa
from flask_migrate import upgrade

from bench.scratch import build, drop
from ipcase import create_app
from ipcase.cases.models import Case
from ipcase.core.extensions import db
from ipcase.deadlines.calendar import Unit
from ipcase.deadlines.jobs import sweep
from ipcase.deadlines.models import Deadline, DeadlineState, Notification
from ipcase.deadlines.service import sync_calendar
from ipcase.demo.large import seed_large
from ipcase.demo.seed import seed_demo


def run(backend: str, n: int) -> None:
    config, schema = build(backend, "sweep")
    app = create_app({"TESTING": True, "SECRET_KEY": "bench", "SWEEP_INTERVAL": 0, **config})
    try:
        with app.app_context():
            upgrade()
            sync_calendar()
            seed_demo()
            db.session.commit()
            cases = max(1, n // 10)
            seed_large(cases)
            case_ids = db.session.scalars(sa.select(Case.id)).all()
            now = datetime.now(UTC)
            t0 = time.perf_counter()
            rows = []
            for i in range(n):
                # 5 % already missed, 10 % due within a day, the rest weeks away
                offset = (
                    timedelta(hours=-5)
                    if i % 20 == 0
                    else timedelta(hours=20)
                    if i % 10 == 1
                    else timedelta(days=30 + i % 60)
                )
                due_at = now + offset
                rows.append(
                    {
                        "case_id": case_ids[i % len(case_ids)],
                        "rule_id": "adj.serve_request",
                        "rule_version": date(2025, 2, 1),
                        "title": "送达请求书副本期限",
                        "basis": "第二十二条",
                        "tag": "V",
                        "unit": Unit.working_days,
                        "length": 5,
                        "started_at": now - timedelta(days=3),
                        "due_on": due_at.date(),
                        "due_at": due_at,
                        "state": DeadlineState.running,
                        "is_provisional": False,
                        "extended_by": 0,
                        "created_at": now,
                        "updated_at": now,
                    }
                )
                if len(rows) == 10_000:
                    db.session.execute(sa.insert(Deadline), rows)
                    rows = []
            if rows:
                db.session.execute(sa.insert(Deadline), rows)
            db.session.commit()
            setup = time.perf_counter() - t0
            open_count = db.session.scalar(
                sa.select(sa.func.count()).select_from(Deadline).where(Deadline.state == DeadlineState.running)
            )
            t1 = time.perf_counter()
            first = sweep()
            first_s = time.perf_counter() - t1
            t2 = time.perf_counter()
            second = sweep()
            second_s = time.perf_counter() - t2
            notes = db.session.scalar(sa.select(sa.func.count()).select_from(Notification))
            print(f"[{backend}] open deadlines before the sweep: {open_count:,} (inserted in {setup:.1f} s)")
            print(f"[{backend}] first sweep:  {first_s:.2f} s  {first}")
            print(f"[{backend}] second sweep: {second_s:.2f} s  {second}")
            print(f"[{backend}] notifications written: {notes:,}")
            db.session.remove()
            db.engine.dispose()
    finally:
        drop(schema)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--deadlines", type=int, default=100_000)
    parser.add_argument("--backend", choices=("sqlite", "postgresql", "both"), default="both")
    args = parser.parse_args()
    for backend in ("sqlite", "postgresql") if args.backend == "both" else (args.backend,):
        run(backend, args.deadlines)


if __name__ == "__main__":
    main()
